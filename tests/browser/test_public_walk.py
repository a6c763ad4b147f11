"""The public site walked as a member of the public, in Debian's Chromium (Playwright).

A citizen searches a former name (江淮路) and lands on the current place (淮河路), reads
a heritage listing (柘皋镇), finds the open public notice, comments on it and sees the
comment counted. A reviewer then sees the comment in the admin and answers it; after
the decision the public notice shows the response. Every public page is screenshotted
at a phone's width (390 px) and a desktop's (1366 px) into ``docs/screenshots/`` and
checked by axe-core (vendored in ``tests/browser/vendor/``, loaded from that file): no
serious or critical violation. The pages run under the site's Content Security Policy:
any violation reported in the console fails the walk. axe itself is injected into a
second context that bypasses the policy, since an injected script is inline.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from tests.browser.conftest import DOCS
from tests.browser.pages import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
SHOTS = DOCS / "screenshots"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
CONTACT = "13955550000"


@pytest.fixture
def world(django_user_model, settings):
    """The demo data, the three staff roles, and a rename of 淮河路 open for comment for 7 days."""
    from registry.demo import load_demo
    from registry.models import Place
    from registry.services.proposals import proposal_create, proposal_transition

    settings.REGISTRY_NOTICE_DAYS = 7
    load_demo()
    staff = {}
    for name in ("clerk", "reviewer", "approver"):
        user = django_user_model.objects.create_user(name, password=f"{name}-pass-2026", is_staff=True)
        user.groups.add(Group.objects.get(name=name))
        staff[name] = django_user_model.objects.get(pk=user.pk)
    road = Place.objects.get(code="340103R00012")  # 花园街
    proposal = proposal_create(
        action="rename",
        place=road,
        name="花园路",
        drafted_by=staff["clerk"],
        reason="花园街实为城市次干道，按道路通名规范拟更名为花园路。",
        origin="沿用原专名“花园”",
    )
    for step, who in (("submit", "clerk"), ("start_review", "reviewer"), ("start_notice", "reviewer")):
        proposal = proposal_transition(proposal=proposal, transition=step, acting_user=staff[who])
    return {"staff": staff, "proposal": proposal}


def shoot(page, name: str) -> None:
    """Screenshots of the page at both widths (the page is left at desktop width)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in WIDTHS.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(SHOTS / f"public-{name}-{label}.png"), full_page=True)
    page.set_viewport_size(WIDTHS["desktop"])


def axe_violations(page, url: str) -> list[dict]:
    """Serious and critical axe-core violations of ``url``, at both widths."""
    context = page.context.browser.new_context(bypass_csp=True, locale="zh-CN")
    found = []
    try:
        axe_page = context.new_page()
        for size in WIDTHS.values():
            axe_page.set_viewport_size(size)
            axe_page.goto(url)
            axe_page.add_script_tag(path=str(AXE))
            result = axe_page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
            assert result["testEngine"]["version"] == "4.10.3" and result["passes"], url  # axe really ran
            found += [
                {
                    "url": url,
                    "id": v["id"],
                    "impact": v["impact"],
                    "help": v["help"],
                    "nodes": [n["target"] for n in v["nodes"]][:3],
                }
                for v in result["violations"]
                if v["impact"] in ("serious", "critical")
            ]
    finally:
        context.close()
    return found


def citizen_walk(page, base: str, proposal_id: int) -> dict:
    seen = {}
    page.goto(f"{base}/")
    shoot(page, "home")
    page.fill("#q", "江淮路")
    page.click("form.search button[type=submit]")
    page.wait_for_selector("#place-name")
    seen["place_url"], seen["place_name"] = page.url, page.inner_text("#place-name")
    seen["came_from"] = page.inner_text("#came-from")
    seen["names"] = page.inner_text("#names")
    shoot(page, "place")

    page.click("nav.site-nav >> text=地名文化遗产名录")
    page.wait_for_selector("#scheme-ancient_town")
    shoot(page, "heritage")
    page.click("#scheme-ancient_town >> text=柘皋镇")
    page.wait_for_selector("#listing-name")
    seen["listing"] = page.inner_text("main")
    shoot(page, "heritage-listing")

    page.click("nav.site-nav >> text=公示")
    page.wait_for_selector("#open-notices")
    shoot(page, "notices")
    page.click("#open-notices >> text=花园街 → 花园路")
    page.wait_for_selector("#comment-form")
    seen["count_before"] = page.inner_text("#comment-count")
    page.fill("#id_text", "花园街是老合肥人熟悉的街名，建议保留“街”字，或在路牌上注明原名。")
    page.fill("#id_contact", CONTACT)
    page.fill("#id_name", "市民张先生")
    shoot(page, "notice-comment")
    page.click("#comment-form button[type=submit]")
    page.wait_for_selector(".message.success")
    seen["thanks"] = page.inner_text(".message.success")
    seen["count_after"] = page.inner_text("#comment-count")
    seen["notice_page"] = page.content()
    return seen


def reviewer_answers(page, base: str, proposal_id: int) -> dict:
    login(page, base, "reviewer")
    page.goto(f"{base}/admin/registry/proposal/{proposal_id}/change/")
    seen = {"admin_objections": page.inner_text("body")}
    page.click("a.respond-link")
    page.wait_for_selector("#respond-form")
    page.fill("#id_response", "经研究：花园街为次干道，更名为花园路；一年内路牌加注原名“花园街”。")
    page.select_option("#id_outcome", "accepted")
    page.click("#respond-form input[type=submit]")
    page.wait_for_selector(".messagelist .success")
    page.context.clear_cookies()
    return seen


def decide(world) -> None:
    """The notice runs its 7 days (moved back in time), then the approver decides."""
    from django.utils import timezone

    from registry.models import Proposal
    from registry.services.proposals import proposal_transition

    proposal = world["proposal"]
    ended = timezone.now() - dt.timedelta(seconds=1)
    Proposal.objects.filter(pk=proposal.pk).update(notice_starts_at=ended - dt.timedelta(days=7), notice_ends_at=ended)
    proposal_transition(
        proposal=proposal,
        transition="approve",
        acting_user=world["staff"]["approver"],
        authority="合肥市人民政府",
        document_number="合政秘〔2026〕21号",
        decided_on=timezone.localdate().isoformat(),
    )


def test_the_public_walk(browser_page, live_server, world):
    from registry.models import Announcement, HeritageListing, Objection

    page, base = browser_page, live_server.url
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    proposal_id = world["proposal"].pk
    seen = citizen_walk(page, base, proposal_id)

    assert seen["place_url"].startswith(f"{base}/places/340103R00009/")
    assert seen["place_name"] == "淮河路" and "江淮路" in seen["came_from"]
    assert "江淮路" in seen["names"] and "1948" in seen["names"]
    assert "柘皋镇" in seen["listing"] and "橐皋" in seen["listing"]
    assert (seen["count_before"], seen["count_after"]) == ("0", "1")
    assert "意见已收到" in seen["thanks"]
    assert CONTACT not in seen["notice_page"]
    objection = Objection.objects.get(proposal_id=proposal_id)
    assert objection.channel == "online" and objection.contact == CONTACT

    answered = reviewer_answers(page, base, proposal_id)
    assert "花园街是老合肥人熟悉的街名" in answered["admin_objections"]
    decide(world)
    page.goto(f"{base}/notices/{proposal_id}/")
    seen["decided_title"] = page.inner_text("#notice-title")
    responses = page.inner_text("#responses")
    assert "花园街 → 花园路" in seen["decided_title"]
    assert "一年内路牌加注原名" in responses and "采纳" in responses
    assert CONTACT not in page.content()
    shoot(page, "notice-decided")

    announcement = Announcement.objects.get(proposal_id=proposal_id)
    listing = HeritageListing.objects.filter(place__name="柘皋镇").first()
    public_pages = {
        "announcements": "/announcements/",
        "announcement": f"/announcements/{announcement.pk}/",
        "red": "/red/",
        "check": "/check/?name=Hello路&category=road",
    }
    for name, path in public_pages.items():
        page.goto(base + path)
        shoot(page, name)
    every_page = [
        "/",
        "/?q=北大街",
        "/places/340103R00009/",
        "/heritage/",
        f"/heritage/{listing.pk}/",
        "/red/",
        "/notices/",
        f"/notices/{proposal_id}/",
        "/announcements/",
        f"/announcements/{announcement.pk}/",
        "/check/",
        "/check/?name=Hello路&category=road",
        "/no-such-page/",
    ]
    found = []
    for path in every_page:
        found += axe_violations(page, base + path)
    assert not found, found
    assert not violations, violations
