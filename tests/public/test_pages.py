"""Every public page answers, in Chinese by default, and no input makes one fail."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(notice, town, client):
    return client


def pages(notice, town):
    listing = town.heritage_listings.first()
    return [
        "/",
        f"/places/{notice.place.code}/",
        "/heritage/",
        f"/heritage/{listing.pk}/",
        "/red/",
        "/notices/",
        f"/notices/{notice.pk}/",
        "/announcements/",
        "/announcements/feed/",
        "/check/",
    ]


def test_every_page_answers_in_chinese(site, notice, town):
    for url in pages(notice, town):
        response = site.get(url)
        assert response.status_code == 200, url
        if url != "/announcements/feed/":
            body = response.content.decode()
            assert 'lang="zh-Hans"' in body and "合肥地名" in body, url


def test_english_switch(site):
    response = site.post("/i18n/setlang/", {"language": "en", "next": "/heritage/"})
    assert response.status_code == 302
    body = site.get("/heritage/").content.decode()
    assert 'lang="en"' in body and "Place-name heritage catalogue" in body


def test_a_former_name_lands_on_the_current_place(site, old_road):
    response = site.get("/", {"q": "江淮路"})
    assert response.status_code == 302
    assert response["Location"].startswith(f"/places/{old_road.code}/")
    page = site.get(response["Location"]).content.decode()
    assert "“江淮路”是淮河路的曾用名" in page
    assert "1948" in page and "测试来源" in page


def test_the_place_page_hides_staff_only_fields(site, make_place):
    place = make_place("测试隐私路", note="内部备注：勿外传")
    body = site.get(f"/places/{place.code}/").content.decode()
    assert "内部备注" not in body


def test_retired_notices_and_drafts_are_not_public(site, staff, old_road):
    from registry.services.proposals import proposal_create

    draft = proposal_create(action="rename", place=old_road, name="草稿路", drafted_by=staff["clerk"], reason="草稿")
    assert site.get(f"/notices/{draft.pk}/").status_code == 404
    assert "草稿路" not in site.get("/notices/").content.decode()


HOSTILE = [
    "\x00",
    "<script>alert(1)</script>",
    "'; DROP TABLE registry_place; --",
    "a" * 5000,
    "%",
    "\u202e路",
    "長江中路",
    "😀",
    "../../etc/passwd",
    "  ",
    "1" * 40,
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_input_never_fails(site, notice, town, value):
    for path, params in [
        ("/", {"q": value}),
        ("/announcements/", {"q": value, "page": value}),
        ("/check/", {"name": value, "category": "road"}),
        ("/check/", {"name": value, "category": value, "division": value}),
        (f"/places/{notice.place.code}/", {"from": value}),
    ]:
        response = site.get(path, params)
        assert response.status_code < 500, (path, params)
        assert b"<script>alert(1)</script>" not in response.content
    for path in ("/places/%s/", "/heritage/%s/", "/notices/%s/", "/announcements/%s/"):
        response = site.get(path % value.replace("/", "x")[:200]) if value.strip("/ ") else None
        assert response is None or response.status_code < 500


def test_hostile_comments_never_fail(site, notice):
    for value in HOSTILE:
        response = site.post(f"/notices/{notice.pk}/", {"text": value, "contact": value, "name": value})
        assert response.status_code < 500


def test_check_explains_the_rule(site):
    body = site.get("/check/", {"name": "Hello路", "category": "road"}).content.decode()
    assert "非汉字" in body or "汉字" in body
    assert "原因" in body and "建议" in body
    assert "标准地名只使用规范汉字" in body


def test_announcements_are_listed_and_searchable(site, notice, staff):
    from tests.public.conftest import decide

    decide(notice, staff)
    body = site.get("/announcements/").content.decode()
    assert "淮水路" in body and "合民地公" in body
    assert "淮水路" in site.get("/announcements/", {"q": "淮水"}).content.decode()
    assert "淮水路" not in site.get("/announcements/", {"q": "没有这个"}).content.decode()
    announcement = notice.place.announcements.first() if notice.place else None
    from registry.models import Announcement

    announcement = Announcement.objects.get(proposal=notice)
    page = site.get(reverse("public:announcement", args=[announcement.pk])).content.decode()
    assert "原名 → 新名" in page and "特此公告" in page


def test_the_place_page_reads_a_fixed_number_of_queries(site, old_road, town, django_assert_max_num_queries):
    """However many names or listings a place has, its page costs the same few queries (the
    SPEC's 50 ms page at 100k places rests on it: every read is by the place's key)."""
    from registry.services.places import name_record

    for year in range(1900, 1910):
        name_record(place=old_road, name=f"旧名{year}路", kind="historical", valid_from=str(year), valid_to=str(year))
    with django_assert_max_num_queries(8):
        assert site.get(f"/places/{old_road.code}/").status_code == 200


@pytest.mark.parametrize("url", ["/no-such-page/", "/places/NO-SUCH-CODE/", "/heritage/999999/", "/notices/999999/"])
def test_a_missing_page_is_a_chinese_404_with_the_search_box(client, url):
    response = client.get(url)
    assert response.status_code == 404
    body = response.content.decode()
    assert 'lang="zh-Hans"' in body and "页面不存在" in body and 'name="q"' in body
    assert "Not Found" not in body


def test_a_missing_api_path_stays_json(client):
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")


def test_the_server_error_page_is_chinese(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "服务器内部错误" in response.content.decode()
