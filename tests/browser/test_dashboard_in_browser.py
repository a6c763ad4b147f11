"""The admin home's work dashboard in a real browser (Debian's Chromium driven by
Playwright): a clerk, a reviewer and an approver each see what waits for them, and a
tile opens the list of exactly those proposals.

Run with ``pytest -m browser``; it never downloads a browser. The approver's home page
is saved as ``docs/admin-dashboard.png`` (1366 px wide).
"""

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from registry.models import Division
from registry.services.places import place_create
from registry.services.proposals import proposal_create, proposal_transition
from tests.browser.conftest import DOCS
from tests.browser.pages import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def work(django_user_model):
    """Users in each role and proposals waiting at each step (real Hefei roads)."""
    users = {}
    for name in ("clerk", "reviewer", "approver"):
        user = django_user_model.objects.create_user(name, password=f"{name}-pass-2026", is_staff=True)
        user.groups.add(Group.objects.get(name=name))
        users[name] = user
    baohe = Division.objects.get(code="340111")
    actors = {"submit": "clerk", "start_review": "reviewer", "start_notice": "reviewer", "approve": "approver"}
    plans = [
        ("左圣宫巷", "庐江路", []),
        ("小书院街", "书院街", ["submit"]),
        ("红星巷", "红星路", ["submit", "start_review"]),
        ("宿州巷", "宿州路", ["submit", "start_review", ("start_notice", {"days": 0})]),
        ("六安巷", "六安路", ["submit", "start_review", ("start_notice", {"days": 2})]),
        (
            "桐城巷",
            "桐城路",
            [
                "submit",
                "start_review",
                ("start_notice", {"days": 0}),
                (
                    "approve",
                    {
                        "authority": "合肥市人民政府",
                        "document_number": "合政〔2026〕18号",
                        "decided_on": timezone.localdate(),
                    },
                ),
            ],
        ),
    ]
    for old, new, steps in plans:
        road = place_create(name=old, category="road", division=baohe, named_on="1900")
        proposal = proposal_create(
            action="rename", place=road, name=new, reason="统一旧城街巷名称", drafted_by=users["clerk"]
        )
        for taken in steps:
            name, data = taken if isinstance(taken, tuple) else (taken, {})
            proposal = proposal_transition(proposal=proposal, transition=name, acting_user=users[actors[name]], **data)
    return users


def tile(page, label):
    """The proposals' tile ``label``: the first of that label (命名批次 has its own section below, same labels)."""
    return page.locator("#work-dashboard .dash-tile", has_text=label).first


def test_each_role_sees_what_waits_and_a_tile_opens_the_list(browser_page, live_server, work):
    page, base = browser_page, live_server.url

    login(page, base, "clerk")
    assert tile(page, "我的草稿（待提交）").locator(".dash-count").inner_text() == "1"
    page.screenshot(path="/tmp/dash-clerk.png")
    tile(page, "我的草稿（待提交）").locator("a").click()
    page.wait_for_selector("#result_list")
    assert "庐江路" in page.inner_text("#result_list") and "书院街" not in page.inner_text("#result_list")

    login(page, base, "reviewer")
    assert tile(page, "已提交（待受理审核）").locator(".dash-count").inner_text() == "1"
    assert tile(page, "审核中（待发起公示）").locator(".dash-count").inner_text() == "1"
    assert tile(page, "3 日内结束").locator(".dash-count").inner_text() == "1"
    page.screenshot(path="/tmp/dash-reviewer.png")

    login(page, base, "approver")
    assert tile(page, "公示期满（待决定）").locator(".dash-count").inner_text() == "1"
    assert tile(page, "已批准、尚未备案").locator(".dash-count").inner_text() == "1"
    deadlines = page.inner_text("#work-dashboard .dash-deadlines")
    assert "桐城路" in deadlines and "还剩 15 日" in deadlines
    # The app list stays below the dashboard.
    dashboard_box = page.locator("#work-dashboard").bounding_box()
    apps_box = page.locator("#content-main .app-registry").bounding_box()
    assert apps_box["y"] > dashboard_box["y"] + dashboard_box["height"] - 1
    page.screenshot(path=str(DOCS / "admin-dashboard.png"), full_page=True)
    page.screenshot(path="/tmp/dash-approver.png")
    tile(page, "公示期满（待决定）").locator("a").click()
    page.wait_for_selector("#result_list")
    listed = page.inner_text("#result_list")
    assert "宿州路" in listed and "六安路" not in listed and "桐城路" not in listed
