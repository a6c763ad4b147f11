"""Public comments: they become objections, the contact never leaves the staff's side,
and throttle, honeypot, size limit and the end of the notice refuse what they should."""

from __future__ import annotations


import pytest
from django.core.cache import cache

from registry.choices import ObjectionChannel
from registry.models import Objection
from registry.public.comments import SYSTEM_USERNAME
from tests.public.conftest import CONTACT, decide, end_notice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def comment(client, notice, **fields):
    data = {"text": "建议保留淮河路这一老地名。", "contact": CONTACT, "name": "市民王先生", **fields}
    return client.post(f"/notices/{notice.pk}/", data, REMOTE_ADDR=fields.pop("addr", "203.0.113.7"))


def test_a_comment_becomes_an_objection_waiting_for_a_response(client, notice):
    response = comment(client, notice)
    assert response.status_code == 302
    objection = Objection.objects.get(proposal=notice)
    assert objection.channel == ObjectionChannel.ONLINE
    assert objection.recorded_by.username == SYSTEM_USERNAME
    assert not objection.recorded_by.has_usable_password() and not objection.recorded_by.is_staff
    assert objection.contact == CONTACT and objection.objector == "市民王先生" and objection.response == ""
    assert notice.events.filter(transition="object").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert 'id="comment-count" data-count="1"' in page
    assert "您的意见已收到" in page


def test_contact_never_appears_publicly_in_the_api_or_an_export(client, notice, staff, tmp_path):
    comment(client, notice)
    assert CONTACT in Objection.objects.get().contact
    decided = decide(notice, staff)
    urls = [
        "/",
        "/notices/",
        f"/notices/{notice.pk}/",
        "/announcements/",
        "/announcements/feed/",
        f"/places/{decided.place.code}/",
        "/heritage/",
        "/red/",
        "/check/",
        "/?q=淮水路",
    ]
    for url in urls:
        response = client.get(url, follow=True)
        assert CONTACT not in response.content.decode(), url
    page = client.get(f"/notices/{notice.pk}/").content.decode()
    assert "经研究，维持原方案。" in page and "建议保留淮河路这一老地名。" in page  # the response is public
    assert "市民王先生" not in page
    from rest_framework.test import APIClient

    from registry.services.tokens import token_issue

    api = APIClient()
    assert api.get(f"/api/v1/proposals/{notice.pk}/").status_code in (401, 403)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=staff['reviewer'])[1]}")
    for url in (f"/api/v1/proposals/{notice.pk}/", "/api/v1/proposals/", f"/api/v1/places/{decided.place.code}/"):
        response = api.get(url)
        assert response.status_code == 200, url
        assert CONTACT not in response.content.decode(), url
    from registry.importers.export import export_heritage, export_places

    export_places(tmp_path / "places.json")
    export_heritage(tmp_path / "heritage.json")
    for path in tmp_path.iterdir():
        assert CONTACT not in path.read_text(encoding="utf-8"), path.name


def test_the_honeypot_refuses_quietly(client, notice):
    response = comment(client, notice, website="http://spam.example")
    assert response.status_code == 400
    assert not Objection.objects.exists()


def test_throttle_per_client_address(client, notice, settings):
    settings.REGISTRY_PUBLIC_COMMENT_RATE = "2/3600"
    assert comment(client, notice, text="第一条").status_code == 302
    assert comment(client, notice, text="第二条").status_code == 302
    refused = comment(client, notice, text="第三条")
    assert refused.status_code == 400 and "意见过多" in refused.content.decode()
    assert comment(client, notice, text="别的地址", addr="198.51.100.9").status_code == 302
    assert Objection.objects.count() == 3


def test_throttle_believes_x_forwarded_for_only_behind_declared_proxies(client, notice, settings):
    settings.REGISTRY_PUBLIC_COMMENT_RATE = "1/3600"
    assert (
        client.post(
            f"/notices/{notice.pk}/",
            {"text": "一", "contact": CONTACT},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR="10.0.0.1",
        ).status_code
        == 302
    )
    rotated = client.post(
        f"/notices/{notice.pk}/",
        {"text": "二", "contact": CONTACT},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="10.0.0.2",
    )
    assert rotated.status_code == 400  # a forged header does not make a new client


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"contact": ""}, "请留下电话或电子邮箱"),
        ({"text": "   "}, "请填写您的意见"),
        ({"text": "长" * 2001}, "2000"),
        ({"contact": "1" * 201}, "200"),
        ({"name": "名" * 101}, "100"),
    ],
)
def test_size_limits_and_required_fields(client, notice, fields, message):
    response = comment(client, notice, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Objection.objects.exists()


def test_a_comment_after_the_notice_is_refused_with_the_end_date(client, notice):
    end_notice(notice)
    page = client.get(f"/notices/{notice.pk}/").content.decode()
    assert 'id="comment-form"' not in page and "公示已于" in page
    response = comment(client, notice)
    assert response.status_code == 400
    body = response.content.decode()
    from django.utils import timezone

    assert "公示已于" in body and str(timezone.localtime(notice.notice_ends_at).year) in body
    assert not Objection.objects.exists()


def test_the_system_user_is_made_once(client, notice):
    comment(client, notice, text="一")
    comment(client, notice, text="二")
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.filter(username=SYSTEM_USERNAME).count() == 1


def test_the_system_user_can_do_nothing_but_receive_comments(client, notice):
    """It records comments through objection_receive; it holds no role, so it cannot
    record an objection as a reviewer, log in, or reach the admin."""
    from django.contrib.auth import get_user_model

    from registry.exceptions import TransitionNotAllowed
    from registry.services.proposals import proposal_transition

    comment(client, notice, text="一")
    user = get_user_model().objects.get(username=SYSTEM_USERNAME)
    assert not user.is_staff and not user.has_usable_password()
    assert not user.get_all_permissions()
    with pytest.raises(TransitionNotAllowed):
        proposal_transition(
            proposal=notice,
            transition="object",
            acting_user=user,
            text="冒充审查员",
            contact="0551-1",
            channel="online",
        )


def test_responses_are_published_only_after_the_decision(client, notice, staff):
    from registry.services.proposals import objection_respond

    comment(client, notice)
    objection_respond(objection=Objection.objects.get(), response="尚在研究的答复", acting_user=staff["reviewer"])
    assert "尚在研究的答复" not in client.get(f"/notices/{notice.pk}/").content.decode()
    decide(notice, staff)
    assert "尚在研究的答复" in client.get(f"/notices/{notice.pk}/").content.decode()
