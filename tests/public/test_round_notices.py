"""A naming round under notice on the public site: one notice listing its items, a comment on
one item that becomes that item's objection (throttled, honeypot, contact never shown),
counted per item and for the round, answered in the admin, and published after the decision."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.utils import timezone

from registry.choices import ObjectionChannel
from registry.models import Objection, Round
from registry.public.comments import SYSTEM_USERNAME
from registry.services.rounds import round_create, round_item_step, round_transition
from tests.public.conftest import CONTACT, ROUND_NAMES

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
NAMES = ROUND_NAMES


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def item_url(round_, position: int) -> str:
    return f"/notices/rounds/{round_.pk}/items/{position}/"


def comment(client, round_, position=2, **fields):
    addr = fields.pop("addr", "203.0.113.7")
    data = {"text": "建议在路牌上注明冯玉祥生平。", "contact": CONTACT, "name": "市民李女士", **fields}
    return client.post(item_url(round_, position), data, REMOTE_ADDR=addr)


def end_notice(round_):
    ended = timezone.now() - dt.timedelta(seconds=1)
    Round.objects.filter(pk=round_.pk).update(notice_starts_at=ended - dt.timedelta(days=7), notice_ends_at=ended)
    round_.refresh_from_db()
    return round_


def decide(round_, staff, response="经研究，采纳：路牌加注人物简介。"):
    from registry.services.rounds import round_objection_respond

    for objection in Objection.objects.filter(item__round=round_, response=""):
        round_objection_respond(
            objection=objection, response=response, acting_user=staff["reviewer"], outcome="accepted"
        )
    end_notice(round_)
    return round_transition(
        round_=round_,
        transition="approve",
        acting_user=staff["approver"],
        authority="合肥市人民政府",
        document_number="合政秘〔2020〕88号",
        decided_on=timezone.localdate().isoformat(),
    )


def test_the_round_is_one_open_notice_listing_its_items(client, round_notice):
    listing = client.get("/notices/").content.decode()
    assert f'href="/notices/rounds/{round_notice.pk}/"' in listing
    assert "合肥市第五批道路、水域命名规划" in listing and "3 项" in listing
    page = client.get(f"/notices/rounds/{round_notice.pk}/").content.decode()
    for position, name in enumerate(NAMES, start=1):
        assert name in page and f'href="{item_url(round_notice, position)}#comments"' in page
    assert "合肥市肥东县长临河镇" in page and "长临河镇新建道路" in page
    assert 'id="comment-count" data-count="0"' in page
    found = client.get(f"/notices/rounds/{round_notice.pk}/?q=冯玉祥").content.decode()
    assert "冯玉祥路" in found and "蔡永祥路" not in found


def test_a_draft_round_is_not_public(client, staff):
    draft = round_create(title="内部草稿批次", drafted_by=staff["clerk"])
    assert client.get(f"/notices/rounds/{draft.pk}/").status_code == 404
    assert "内部草稿批次" not in client.get("/notices/").content.decode()


def test_a_comment_becomes_an_objection_on_the_item_and_is_counted(client, round_notice):
    response = comment(client, round_notice)
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.item == round_notice.items.get(position=2) and objection.proposal is None
    assert objection.channel == ObjectionChannel.ONLINE and objection.recorded_by.username == SYSTEM_USERNAME
    assert objection.contact == CONTACT and objection.response == ""
    assert round_notice.events.filter(transition="item_object", item__position=2).count() == 1
    item_page = client.get(response["Location"]).content.decode()
    assert 'id="comment-count" data-count="1"' in item_page and "您的意见已收到" in item_page
    comment(client, round_notice, position=2, text="第二条意见")
    comment(client, round_notice, position=3, text="第三项的意见")
    page = client.get(f"/notices/rounds/{round_notice.pk}/").content.decode()
    assert 'id="comment-count" data-count="3"' in page
    counts = [int(part.split('"')[0]) for part in page.split('class="item-comments" data-count="')[1:]]
    assert counts == [0, 2, 1]
    assert client.get(item_url(round_notice, 1)).content.decode().count('data-count="0"') == 1


def test_contact_and_name_never_appear_publicly_in_the_api_or_an_export(client, round_notice, staff, tmp_path):
    comment(client, round_notice)
    decided = decide(round_notice, staff)
    urls = [
        "/notices/",
        f"/notices/rounds/{decided.pk}/",
        item_url(decided, 2),
        "/notices/feed/",
        "/announcements/",
        "/announcements/feed/",
        "/?q=冯玉祥路",
    ]
    for url in urls:
        body = client.get(url, follow=True).content.decode()
        assert CONTACT not in body and "市民李女士" not in body, url
    from rest_framework.test import APIClient

    from registry.services.tokens import token_issue

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=staff['reviewer'])[1]}")
    for url in (
        f"/api/v1/rounds/{decided.pk}/",
        "/api/v1/rounds/",
        *(f"/api/v1/rounds/{decided.pk}/announcement/?format={f}" for f in ("csv", "html")),
    ):
        response = api.get(url)
        assert response.status_code == 200, url
        assert CONTACT not in response.content.decode(), url
    from registry.importers.export import export_places

    export_places(tmp_path / "places.json")
    assert CONTACT not in (tmp_path / "places.json").read_text(encoding="utf-8")


def test_the_honeypot_refuses_quietly(client, round_notice):
    response = comment(client, round_notice, website="http://spam.example")
    assert response.status_code == 400
    assert not Objection.objects.exists()


def test_the_throttle_is_per_address_and_shared_with_proposal_comments(client, round_notice, notice, settings):
    settings.REGISTRY_PUBLIC_COMMENT_RATE = "2/3600"
    assert comment(client, round_notice, text="第一条").status_code == 302
    assert (
        client.post(
            f"/notices/{notice.pk}/", {"text": "对提案的意见", "contact": CONTACT}, REMOTE_ADDR="203.0.113.7"
        ).status_code
        == 302
    )
    refused = comment(client, round_notice, position=3, text="第三条")
    assert refused.status_code == 400 and "意见过多" in refused.content.decode()
    assert comment(client, round_notice, position=3, text="别的地址", addr="198.51.100.9").status_code == 302
    assert Objection.objects.filter(item__round=round_notice).count() == 2


def test_size_limit_and_required_contact(client, round_notice):
    assert "2000" in comment(client, round_notice, text="长" * 2001).content.decode()
    assert "请留下电话或电子邮箱" in comment(client, round_notice, contact="").content.decode()
    assert not Objection.objects.exists()


def test_after_the_notice_and_on_a_withdrawn_item_a_comment_is_refused(client, round_notice, staff):
    round_item_step(
        item=round_notice.items.get(position=1), step="withdraw", acting_user=staff["reviewer"], reason="与现有道路重名"
    )
    withdrawn = comment(client, round_notice, position=1)
    assert withdrawn.status_code == 400 and "已撤回" in withdrawn.content.decode()
    end_notice(round_notice)
    page = client.get(item_url(round_notice, 2)).content.decode()
    assert 'id="comment-form"' not in page and "公示已于" in page
    refused = comment(client, round_notice, position=2)
    assert refused.status_code == 400 and "公示已于" in refused.content.decode()
    assert not Objection.objects.exists()


def test_the_reviewer_sees_and_answers_the_comment_in_the_admin(client, round_notice, staff):
    comment(client, round_notice)
    objection = Objection.objects.get()
    client.force_login(staff["reviewer"])
    page = client.get(f"/admin/registry/round/{round_notice.pk}/change/").content.decode()
    assert "建议在路牌上注明冯玉祥生平。" in page and CONTACT in page  # the contact is for the staff's reply
    url = f"/admin/registry/round/{round_notice.pk}/objections/{objection.pk}/respond/"
    assert f'href="{url}"' in page
    response = client.post(url, {"response": "经研究，采纳：路牌加注人物简介。", "outcome": "accepted"})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.response.startswith("经研究") and objection.responded_by == staff["reviewer"]
    assert round_notice.events.filter(transition="respond", item=objection.item).exists()


def test_a_clerk_cannot_answer_in_the_admin(client, round_notice, staff):
    comment(client, round_notice)
    objection = Objection.objects.get()
    client.force_login(staff["clerk"])
    url = f"/admin/registry/round/{round_notice.pk}/objections/{objection.pk}/respond/"
    client.post(url, {"response": "录入员不能答复", "outcome": "accepted"})
    objection.refresh_from_db()
    assert objection.response == ""


def test_responses_are_published_only_after_the_decision(client, round_notice, staff):
    from registry.services.rounds import round_objection_respond

    comment(client, round_notice)
    round_objection_respond(objection=Objection.objects.get(), response="尚在研究的答复", acting_user=staff["reviewer"])
    assert "尚在研究的答复" not in client.get(item_url(round_notice, 2)).content.decode()
    assert "尚在研究的答复" not in client.get(f"/notices/rounds/{round_notice.pk}/").content.decode()
    decide(round_notice, staff)
    item_page = client.get(item_url(round_notice, 2)).content.decode()
    assert "尚在研究的答复" in item_page and "建议在路牌上注明冯玉祥生平。" in item_page
    page = client.get(f"/notices/rounds/{round_notice.pk}/").content.decode()
    assert "尚在研究的答复" in page and "合政秘〔2020〕88号" in page and 'id="comment-form"' not in page


def test_the_notice_feed_lists_rounds_and_proposals_as_valid_atom(client, round_notice, notice):
    response = client.get("/notices/feed/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    for element in ("id", "title", "updated"):
        assert (feed.findtext(f"{ATOM}{element}") or "").strip(), element
    assert feed.find(f"{ATOM}author") is not None
    entries = {
        e.find(f"{ATOM}link").get("href").split("testserver")[-1]: e.findtext(f"{ATOM}title")
        for e in feed.findall(f"{ATOM}entry")
    }
    assert entries[f"/notices/rounds/{round_notice.pk}/"] == "命名批次：合肥市第五批道路、水域命名规划（3 项）"
    assert "淮河路 → 淮水路" in entries[f"/notices/{notice.pk}/"]
    for entry in feed.findall(f"{ATOM}entry"):
        for element in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{element}") or "").strip(), element


def test_the_round_pages_switch_to_english(client, round_notice):
    client.post("/i18n/setlang/", {"language": "en", "next": "/notices/"})
    page = client.get(f"/notices/rounds/{round_notice.pk}/").content.decode()
    assert 'lang="en"' in page and "Naming round" in page and "Comment on this name" in page
    item = client.get(item_url(round_notice, 2)).content.decode()
    assert "Item 2 of the naming round" in item and "Send comment" in item


def approved_with_one_withdrawn(round_notice, staff):
    """The round decided with item 1 withdrawn: its 公告 lists items 2 and 3 only."""
    round_item_step(
        item=round_notice.items.get(position=1), step="withdraw", acting_user=staff["reviewer"], reason="与现有道路重名"
    )
    return decide(round_notice, staff)


def test_the_round_announcement_is_one_entry_of_the_archive_listing_exactly_its_approved_items(
    client, round_notice, staff
):
    decided = approved_with_one_withdrawn(round_notice, staff)
    a = decided.announcement
    archive = client.get("/announcements/").content.decode()
    assert f'href="/announcements/rounds/{a.pk}/"' in archive and a.number in archive
    assert "共 1 份公告" in archive  # one 公告 for the whole round
    page = client.get(f"/announcements/rounds/{a.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="announcement-count" data-count="2"' in html
    assert "冯玉祥路" in html and "丁汝昌路" in html and "蔡永祥路" not in html
    assert "合政秘〔2020〕88号" in html and "特此公告" in html
    for code in decided.items.filter(outcome="approved").values_list("place__code", flat=True):
        assert f'href="/places/{code}/"' in html
    notice = client.get(f"/notices/rounds/{decided.pk}/").content.decode()
    assert f'href="/announcements/rounds/{a.pk}/"' in notice


@pytest.mark.parametrize(
    ("q", "found"),
    [("冯玉祥", True), ("Fengyuxiang", True), ("蔡永祥", False), ("88号", True), ("第五批", True), ("长江路", False)],
)
def test_the_archive_search_finds_a_round_announcement_by_its_items_and_heading(client, round_notice, staff, q, found):
    a = approved_with_one_withdrawn(round_notice, staff).announcement
    archive = client.get("/announcements/", {"q": q}).content.decode()
    assert (f'href="/announcements/rounds/{a.pk}/"' in archive) is found


def test_the_round_announcement_downloads_as_csv_and_xlsx(client, round_notice, staff):
    from openpyxl import load_workbook
    import io

    a = approved_with_one_withdrawn(round_notice, staff).announcement
    csv_response = client.get(f"/announcements/rounds/{a.pk}/", {"format": "csv"})
    assert csv_response["Content-Type"].startswith("text/csv")
    text = csv_response.content.decode("utf-8-sig")
    assert "冯玉祥路" in text and "蔡永祥路" not in text and a.number in text
    xlsx = client.get(f"/announcements/rounds/{a.pk}/", {"format": "xlsx"})
    cells = [c for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True) for c in row]
    assert "丁汝昌路" in cells and "蔡永祥路" not in cells
    assert client.get(f"/announcements/rounds/{a.pk + 1000}/").status_code == 404


def test_proposal_and_round_announcements_share_the_archive_and_the_feed(client, round_notice, notice, staff):
    from tests.public.conftest import decide as decide_proposal

    decide_proposal(notice, staff)
    a = approved_with_one_withdrawn(round_notice, staff).announcement
    archive = client.get("/announcements/").content.decode()
    assert "共 2 份公告" in archive
    assert f'href="/announcements/rounds/{a.pk}/"' in archive
    assert f'href="/announcements/{notice.announcement.pk}/"' in archive
    feed = ET.fromstring(client.get("/announcements/feed/").content)
    links = [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")]
    assert any(link.endswith(f"/announcements/rounds/{a.pk}/") for link in links)
    assert any(link.endswith(f"/announcements/{notice.announcement.pk}/") for link in links)
    ids = [e.find(f"{ATOM}id").text for e in feed.findall(f"{ATOM}entry")]
    assert len(set(ids)) == len(ids) == 2
    titles = [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]
    assert any("合肥市第五批道路、水域命名规划" in t and a.number in t for t in titles)
