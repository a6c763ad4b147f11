"""The naming workflow walked in a real browser (Debian's Chromium driven by Playwright),
as its users walk it: a clerk proposes a rename with a variant character, a reviewer
returns it for revision, the clerk corrects and resubmits it, the reviewer opens a
public notice, records a letter of objection and answers it, an approver decides on
the decision page (summary, findings, objections and answers), and the printed 公告
shows 原名 → 新名 with its number.

Run with ``pytest -m browser``; it never downloads a browser. Screenshots go to
``docs/admin-workflow-*.png``. ``walk`` takes any base URL, so the same walk runs against
a development server (users clerk, reviewer, approver with passwords ``<name>-pass-2026``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from tests.browser.conftest import DOCS
from tests.browser.pages import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def staff(django_user_model, settings):
    settings.REGISTRY_NOTICE_DAYS = 0
    for name in ("clerk", "reviewer", "approver"):
        user = django_user_model.objects.create_user(name, password=f"{name}-pass-2026", is_staff=True)
        user.groups.add(Group.objects.get(name=name))


def open_step(page, base, proposal_id, step):
    page.goto(f"{base}/admin/registry/proposal/{proposal_id}/change/")
    page.click(f"a.workflow-step[data-step='{step}']")
    page.wait_for_selector("#transition-form")


def take_step(page, base, proposal_id, step, fields=None, selects=None, shot=None):
    open_step(page, base, proposal_id, step)
    for selector, value in (selects or {}).items():
        page.select_option(selector, value)
    for selector, value in (fields or {}).items():
        page.fill(selector, value)
    if shot:
        shot(page)
    page.click("#transition-form input[type=submit]")
    page.wait_for_selector(".messagelist .success")


def dashboard_count(page, base, label) -> str:
    """The count on the admin home's tile ``label`` (the work dashboard)."""
    page.goto(f"{base}/admin/")
    # The first tile of that label is the proposals' (命名批次 has its own section below, same labels).
    tile = page.locator("#work-dashboard .dash-tile", has_text=label)
    return tile.first.locator(".dash-count").inner_text() if tile.count() else "0"


def walk(page, base, *, place_id: int, place_name: str, today: str, shots: Path, prefix: str) -> dict:
    """The whole walk; returns what the pages showed, for the caller to assert on."""
    seen = {}

    def shot(name):
        return lambda p: p.screenshot(path=str(shots / f"{prefix}{name}.png"), full_page=True)

    login(page, base, "clerk")
    page.goto(f"{base}/admin/registry/proposal/add/")
    page.select_option("#id_action", "list_heritage")
    seen["heritage_fieldset_shown"] = page.is_visible("fieldset.heritage-fields")
    shot("0-heritage-fields")(page)
    page.select_option("#id_action", "rename")
    seen["heritage_fieldset_hidden"] = not page.is_visible("fieldset.heritage-fields")
    page.evaluate(f"""() => {{ const s = document.querySelector('#id_place');
        s.add(new Option('{place_name}', '{place_id}', true, true)); }}""")
    page.fill("#id_name", "晥江路")
    page.fill("#id_reason", "以长江安徽段“皖江”命名，与周边道路名称协调")
    page.fill("#id_origin", "皖江：长江流经安徽的一段")
    shot("1-draft")(page)
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    proposal_id = int(page.url.rstrip("/").split("/")[-2])
    seen["check_after_draft"] = page.inner_text("#check-findings")
    seen["clerk_drafts_before_submit"] = dashboard_count(page, base, "我的草稿")
    take_step(page, base, proposal_id, "submit")
    seen["clerk_drafts_after_submit"] = dashboard_count(page, base, "我的草稿")

    login(page, base, "reviewer")
    seen["reviewer_submitted"] = dashboard_count(page, base, "已提交")
    take_step(page, base, proposal_id, "start_review")
    seen["reviewer_submitted_after_review"] = dashboard_count(page, base, "已提交")
    seen["reviewer_in_review"] = dashboard_count(page, base, "审核中")
    take_step(
        page,
        base,
        proposal_id,
        "return_for_revision",
        {"#id_reason": "“晥”是《通用规范汉字表》以外的异体字，请改为“皖江路”"},
        shot=shot("2-return"),
    )

    login(page, base, "clerk")
    page.goto(f"{base}/admin/registry/proposal/{proposal_id}/change/")
    seen["returned_banner"] = page.inner_text("#returned-for-revision")
    shot("3-returned")(page)
    page.fill("#id_name", "皖江路")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    seen["check_after_correction"] = page.inner_text("#check-findings")
    take_step(page, base, proposal_id, "submit")

    login(page, base, "reviewer")
    take_step(page, base, proposal_id, "start_review")
    take_step(page, base, proposal_id, "start_notice", {"#id_days": "0"})
    take_step(
        page,
        base,
        proposal_id,
        "object",
        {
            "#id_objector": "市民李女士",
            "#id_received_on": today,
            "#id_contact": "0551-00000000",
            "#id_text": "新安江路是沿用多年的老路名，建议保留旧名或在路牌上注明原名。",
        },
        selects={"#id_channel": "letter"},
        shot=shot("4-objection"),
    )
    page.goto(f"{base}/admin/registry/proposal/{proposal_id}/change/")
    page.click("a.respond-link")
    page.wait_for_selector("#respond-form")
    page.fill("#id_response", "经研究：原名作为历史地名载入地名档案，更名后一年内路牌加注原名。")
    page.select_option("#id_outcome", "accepted")
    shot("5-answer")(page)
    page.click("#respond-form input[type=submit]")
    page.wait_for_selector(".messagelist .success")

    login(page, base, "approver")
    seen["approver_waiting"] = dashboard_count(page, base, "公示期满")
    open_step(page, base, proposal_id, "approve")
    seen["decision_summary"] = page.inner_text("#proposal-summary")
    seen["decision_objections"] = page.inner_text("#proposal-objections")
    seen["decision_warning"] = page.query_selector("#unanswered-warning") is not None
    seen["default_authority"] = page.input_value("#id_authority")
    page.fill("#id_document_number", "合政秘〔2026〕18号")
    page.fill("#id_decided_on", today)
    shot("6-decision")(page)
    page.click("#transition-form input[type=submit]")
    page.wait_for_selector(".messagelist .success")
    seen["approver_waiting_after"] = dashboard_count(page, base, "公示期满")
    seen["approver_recent"] = dashboard_count(page, base, "已批准、尚未备案")
    page.goto(f"{base}/admin/registry/proposal/{proposal_id}/change/")
    seen["timeline"] = page.inner_text("#events-group")
    shot("7-approved")(page)
    page.goto(f"{base}/admin/registry/proposal/{proposal_id}/announcement/")
    seen["announcement"] = page.inner_text("body")
    shot("8-announcement")(page)
    seen["proposal_id"] = proposal_id
    return seen


def test_the_naming_workflow_from_draft_to_announcement(browser_page, live_server, staff):
    from django.utils import timezone

    from registry.models import Division, Place, Proposal
    from registry.services.places import place_create

    road = place_create(
        name="新安江路",
        category="road",
        division=Division.objects.get(code="340102"),
        named_on="1990",
        details={"start": "当涂路", "end": "临河西路"},
    )
    today = timezone.localdate()
    seen = walk(
        browser_page,
        live_server.url,
        place_id=road.pk,
        place_name=road.name,
        today=today.isoformat(),
        shots=DOCS,
        prefix="admin-workflow-",
    )

    assert seen["heritage_fieldset_shown"] and seen["heritage_fieldset_hidden"]
    # The admin home's work dashboard follows the proposal from queue to queue.
    assert (seen["clerk_drafts_before_submit"], seen["clerk_drafts_after_submit"]) == ("1", "0")
    assert (seen["reviewer_submitted"], seen["reviewer_submitted_after_review"], seen["reviewer_in_review"]) == (
        "1",
        "0",
        "1",
    )
    assert (seen["approver_waiting"], seen["approver_waiting_after"], seen["approver_recent"]) == ("1", "0", "1")
    assert "生僻字" in seen["check_after_draft"] and "RARE_CHARACTER" not in seen["check_after_draft"]
    assert "请改为“皖江路”" in seen["returned_banner"]
    assert "无审查意见" in seen["check_after_correction"]
    for text in ("更名", "新安江路 → 皖江路", "Wanjiang Lu", "以长江安徽段", "瑶海区", "通过"):
        assert text in seen["decision_summary"]
    assert "市民李女士" in seen["decision_objections"] and "信函" in seen["decision_objections"]
    assert "路牌加注原名" in seen["decision_objections"] and not seen["decision_warning"]
    assert seen["default_authority"] == "合肥市人民政府"
    for label in ("起草", "退回修改", "修改草稿", "发布公示", "登记异议", "答复异议", "批准", "已批准"):
        assert label in seen["timeline"]
    for code in ("return_for_revision", "public_notice", "approved"):
        assert code not in seen["timeline"]
    announcement = seen["announcement"]
    assert "地名更名公告" in announcement and "新安江路 → 皖江路" in announcement
    assert f"合民地公〔{today.year}〕第1号" in announcement and "合政秘〔2026〕18号" in announcement
    assert "起于当涂路，止于临河西路" in announcement and "合肥市民政局" in announcement
    proposal = Proposal.objects.get(pk=seen["proposal_id"])
    assert proposal.state == "approved"
    road = Place.objects.get(pk=road.pk)
    assert road.name == "皖江路"
    assert list(road.names.values_list("name", "kind")) == [("新安江路", "former"), ("皖江路", "official")]
