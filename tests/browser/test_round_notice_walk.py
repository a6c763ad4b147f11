"""A naming round under notice walked in Debian's Chromium (Playwright), as the public and a reviewer.

A citizen opens the notices, finds the round (one notice listing its names, as Hefei's
5th round was), looks up 冯玉祥路 in it, comments on that item and sees the comment
counted on the item and on the round. A reviewer sees the comment on the admin's round
page with the contact, answers it; after the decision the round's page and the item's
show the response and never the contact. axe-core (``test_public_walk.axe_violations``,
loaded from the vendored file) checks the round's pages open and decided, at both
widths; the round's page is screenshotted into ``docs/`` at a phone's and a desktop's
width. Any Content Security Policy violation in the console fails the walk.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from tests.browser.conftest import DOCS
from tests.browser.pages import login
from tests.browser.test_public_walk import WIDTHS, axe_violations
from tests.public.conftest import round_under_notice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CONTACT = "13955551234"
# Six of the 61 长临河镇 roads of the 5th round, themed on famous people (HEFEI_FACTS.md §4).
NAMES = ["蔡永祥路", "冯玉祥路", "丁汝昌路", "克农路", "治中路", "立人路"]


@pytest.fixture
def world(django_user_model, settings):
    """The three staff roles and a round of six 长临河镇 roads open for comment for 30 days."""
    settings.REGISTRY_NOTICE_DAYS = 30
    staff = {}
    for name in ("clerk", "reviewer", "approver"):
        user = django_user_model.objects.create_user(name, password=f"{name}-pass-2026", is_staff=True)
        user.groups.add(Group.objects.get(name=name))
        staff[name] = django_user_model.objects.get(pk=user.pk)
    round_ = round_under_notice(
        staff,
        NAMES,
        title="合肥市第五批道路、水域命名规划（长临河镇部分）",
        reason="长临河镇新建道路，按“名人”主题命名。",
    )
    return {"staff": staff, "round": round_}


def shoot(page, name: str) -> None:
    for label, size in WIDTHS.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(DOCS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(WIDTHS["desktop"])


def citizen_comments(page, base: str) -> dict:
    seen = {}
    page.goto(f"{base}/notices/")
    page.click("#open-notices >> text=合肥市第五批道路、水域命名规划")
    page.wait_for_selector("#round-items")
    seen["items_listed"] = page.inner_text("#round-items")
    shoot(page, "public-round-notice")
    page.fill("#q", "冯玉祥")
    page.click("form.search button[type=submit]")
    page.wait_for_selector("#matches")
    seen["matches"] = page.inner_text("#round-items")
    page.click("#round-items a.comment-link")
    page.wait_for_selector("#comment-form")
    seen["item_title"] = page.inner_text("#notice-title")
    seen["count_before"] = page.inner_text("#comment-count")
    page.fill("#id_text", "冯玉祥与巢湖有渊源，赞成以其命名；建议路牌旁设简介牌。")
    page.fill("#id_contact", CONTACT)
    page.fill("#id_name", "市民周先生")
    shoot(page, "screenshots/public-round-item-comment")
    page.click("#comment-form button[type=submit]")
    page.wait_for_selector(".message.success")
    seen["thanks"] = page.inner_text(".message.success")
    seen["count_after"] = page.inner_text("#comment-count")
    seen["item_page"] = page.content()
    page.click("text=本批次全部条目")
    page.wait_for_selector("#round-items")
    seen["round_count"] = page.inner_text("#comment-count")
    seen["row"] = page.inner_text("#item-2")
    return seen


def reviewer_answers(page, base: str, round_id: int) -> str:
    login(page, base, "reviewer")
    page.goto(f"{base}/admin/registry/round/{round_id}/change/")
    shown = page.inner_text("#round-objections")
    page.click("#round-objections a.respond-link")
    page.wait_for_selector("#respond-form")
    page.fill("#id_response", "经研究，采纳：冯玉祥路路口设人物简介牌。")
    page.select_option("#id_outcome", "accepted")
    page.click("#respond-form input[type=submit]")
    page.wait_for_selector(".messagelist .success")
    page.context.clear_cookies()
    return shown


def decide(world) -> None:
    """The notice runs its days (moved back in time), then the approver decides."""
    from django.utils import timezone

    from registry.models import Round
    from registry.services.rounds import round_transition

    ended = timezone.now() - dt.timedelta(seconds=1)
    Round.objects.filter(pk=world["round"].pk).update(
        notice_starts_at=ended - dt.timedelta(days=30), notice_ends_at=ended
    )
    round_transition(
        round_=world["round"],
        transition="approve",
        acting_user=world["staff"]["approver"],
        authority="合肥市人民政府",
        document_number="合政秘〔2020〕88号",
        decided_on=timezone.localdate().isoformat(),
    )


def test_a_round_notice_walk(browser_page, live_server, world):
    from registry.models import Objection

    page, base, round_id = browser_page, live_server.url, world["round"].pk
    csp = []
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
    open_pages = [
        "/notices/",
        f"/notices/rounds/{round_id}/",
        f"/notices/rounds/{round_id}/?q=冯玉祥",
        f"/notices/rounds/{round_id}/items/2/",
    ]
    found = [v for path in open_pages for v in axe_violations(page, base + path)]

    seen = citizen_comments(page, base)
    assert all(name in seen["items_listed"] for name in NAMES)
    assert "冯玉祥路" in seen["matches"] and "蔡永祥路" not in seen["matches"]
    assert "冯玉祥路" in seen["item_title"]
    assert (seen["count_before"], seen["count_after"], seen["round_count"]) == ("0", "1", "1")
    assert "意见已收到" in seen["thanks"] and CONTACT not in seen["item_page"]
    assert "冯玉祥路" in seen["row"] and "1" in seen["row"]
    objection = Objection.objects.get(item__round_id=round_id)
    assert objection.item.position == 2 and objection.contact == CONTACT and objection.channel == "online"

    shown = reviewer_answers(page, base, round_id)
    assert "冯玉祥与巢湖有渊源" in shown and CONTACT in shown
    decide(world)
    for path in (f"/notices/rounds/{round_id}/items/2/", f"/notices/rounds/{round_id}/"):
        page.goto(base + path)
        responses = page.inner_text("#responses")
        assert "路口设人物简介牌" in responses and "采纳" in responses, path
        assert CONTACT not in page.content() and "市民周先生" not in page.content(), path
    assert "合政秘〔2020〕88号" in page.inner_text("#round-decision")
    shoot(page, "screenshots/public-round-notice-decided")

    # The decision's one 公告, reached from the round's page and from the archive.
    page.click("#round-announcement-link")
    assert page.url.startswith(f"{base}/announcements/rounds/")
    announced = page.inner_text("#announcement-items")
    assert all(name in announced for name in NAMES), announced
    shoot(page, "screenshots/public-round-announcement")
    announcement_url = page.url.removeprefix(base)
    page.goto(f"{base}/announcements/")
    page.click(f'a[href="{announcement_url}"]')
    assert "合政秘〔2020〕88号" in page.inner_text("article")

    decided_pages = [
        "/notices/",
        f"/notices/rounds/{round_id}/",
        f"/notices/rounds/{round_id}/items/2/",
        "/announcements/",
        announcement_url,
    ]
    found += [v for path in decided_pages for v in axe_violations(page, base + path)]
    assert not found, found
    assert not csp, csp
