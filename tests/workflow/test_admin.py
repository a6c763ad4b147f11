"""The workflow in the admin: queues, buttons, drafts corrected by their drafter, return
for revision, the decision page, objections and their answers, the printable 公告, and
no restoring a proposal from its history."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from registry.models import Division, Objection, Place, Proposal
from registry.services.places import place_create
from registry.services.proposals import proposal_create, proposal_transition
from tests.workflow.conftest import form_data, today


@pytest.fixture
def login(users):
    def client(name):
        c = Client()
        c.force_login(users[name])
        return c

    return client


def step(client, proposal, name, data=None):
    url = reverse("admin:registry_proposal_transition", args=[proposal.pk, name])
    return client.post(url, data or {}, follow=True)


def change_url(proposal):
    return reverse("admin:registry_proposal_change", args=[proposal.pk])


def edit(client, proposal, **changes):
    """Post the drafter's change form as a browser would, with ``changes`` applied."""
    data = form_data(client.get(change_url(proposal)).content.decode(), "proposal_form")
    data.update({k: str(v) for k, v in changes.items()})
    data["_continue"] = "1"
    return client.post(change_url(proposal), data, follow=True)


@pytest.fixture
def baohe_road(db):
    return place_create(name="左圣宫巷", category="road", division=Division.objects.get(code="340111"), named_on="1900")


def test_a_rename_through_the_admin(login, users, baohe_road, settings):
    settings.REGISTRY_NOTICE_DAYS = 0
    road = baohe_road
    clerk, reviewer, approver = login("clerk"), login("reviewer"), login("approver")
    response = clerk.post(
        reverse("admin:registry_proposal_add"),
        {
            "action": "rename",
            "place": road.pk,
            "name": "庐江路",
            "reason": "以安徽省庐江县命名",
            "category": "",
            "heritage_era": "ce",
        },
        follow=True,
    )
    assert response.status_code == 200
    proposal = Proposal.objects.get()
    page = clerk.get(change_url(proposal)).content.decode()
    assert 'data-step="submit"' in page and 'data-step="approve"' not in page
    step(clerk, proposal, "submit")
    queue = reviewer.get(reverse("admin:registry_proposal_changelist"), {"queue": "mine"}).content.decode()
    assert "庐江路" in queue
    step(reviewer, proposal, "start_review")
    step(reviewer, proposal, "start_notice", {"days": "0"})
    step(
        reviewer,
        proposal,
        "object",
        {
            "text": "群众来信：建议保留旧名",
            "objector": "李女士",
            "channel": "letter",
            "received_on": today(),
            "contact": "合肥市包河区某路1号",
        },
    )
    objection = Objection.objects.get()
    assert (objection.objector, objection.channel, objection.contact) == ("李女士", "letter", "合肥市包河区某路1号")
    reviewer_queue = reviewer.get(reverse("admin:registry_proposal_changelist"), {"queue": "mine"}).content.decode()
    assert "庐江路" in reviewer_queue  # an objection waits for its answer
    page = approver.get(change_url(proposal)).content.decode()
    assert 'data-step="approve"' in page and "群众来信" in page
    answered = reviewer.post(
        reverse("admin:registry_proposal_respond", args=[proposal.pk, objection.pk]),
        {"response": "旧名已作为历史地名保留于地名档案", "outcome": "not_accepted"},
        follow=True,
    )
    assert answered.status_code == 200 and "已办理：答复异议" in answered.content.decode()
    step(
        approver,
        proposal,
        "approve",
        {"authority": "合肥市人民政府", "document_number": "合政〔2026〕12号", "decided_on": today()},
    )
    proposal.refresh_from_db()
    assert proposal.state == "approved"
    road.refresh_from_db()
    assert road.name == "庐江路"
    history = approver.get(reverse("admin:registry_place_change", args=[road.pk])).content.decode()
    assert "左圣宫巷" in history and "合政〔2026〕12号" in history
    printed = approver.get(reverse("admin:registry_proposal_announcement", args=[proposal.pk])).content.decode()
    assert "地名更名公告" in printed and "地名命名公告" not in printed
    assert '<span id="old-name">左圣宫巷</span> → <span id="new-name">庐江路</span>' in printed
    assert "Lujiang Lu" in printed and "合肥市人民政府" in printed and "合肥市包河区" in printed
    assert f"合民地公〔{timezone.localdate().year}〕第1号" in printed and "合肥市民政局" in printed


def test_a_step_refused_in_the_admin_shows_why_in_chinese_and_changes_nothing(login, users, db):
    proposal = proposal_create(
        action="name",
        name="习友路",
        category="road",
        division=Division.objects.get(code="340104"),
        drafted_by=users["clerk"],
        reason="x",
    )
    response = step(
        login("approver"), proposal, "approve", {"authority": "a", "document_number": "b", "decided_on": today()}
    )
    page = response.content.decode()
    assert "申报当前为“草稿”，不能办理“批准”" in page and "public_notice" not in page
    proposal.refresh_from_db()
    assert proposal.state == "draft" and not Place.objects.exists()


def test_the_add_form_shows_service_errors(login, db):
    response = login("clerk").post(reverse("admin:registry_proposal_add"), {"action": "rename", "reason": "x"})
    assert response.status_code == 200 and not Proposal.objects.exists()
    assert "errorlist" in response.content.decode()


def test_outsiders_cannot_draft(login, db):
    assert login("outsider").get(reverse("admin:registry_proposal_add")).status_code == 403


# --- Drafts are corrected by their drafter (issue #10 item 8, issue #12 item 7) --------------


@pytest.fixture
def draft(users, db):
    return proposal_create(
        action="name",
        name="习有路",
        category="road",
        division=Division.objects.get(code="340104"),
        drafted_by=users["clerk"],
        reason="新建道路",
    )


def test_the_drafter_corrects_a_draft_in_the_admin_and_the_check_runs_again(login, draft):
    clerk = login("clerk")
    page = clerk.get(change_url(draft)).content.decode()
    assert 'name="name"' in page and 'name="_save"' in page
    response = edit(clerk, draft, name="习友路", origin="以习友路片区命名")
    assert response.status_code == 200 and "errorlist" not in response.content.decode()
    draft.refresh_from_db()
    assert (draft.name, draft.origin, draft.state) == ("习友路", "以习友路片区命名", "draft")
    assert draft.check_level == "ok"
    latest = draft.history.first()
    assert (latest.history_user.username, latest.history_change_reason) == ("clerk", "update")
    update = draft.events.get(transition="update")
    assert update.actor.username == "clerk" and "拟用名称" in update.note


def test_a_correction_with_an_error_is_refused_with_the_field(login, draft):
    response = edit(login("clerk"), draft, division="")
    page = response.content.decode()
    assert "新命名须选择行政区划" in page
    draft.refresh_from_db()
    assert draft.division.code == "340104" and not draft.events.filter(transition="update").exists()


@pytest.mark.parametrize("who", ["clerk2", "reviewer", "approver"])
def test_only_the_drafter_edits_a_draft(login, draft, who):
    other = login(who)
    page = other.get(change_url(draft)).content.decode()
    assert 'name="name"' not in page and 'name="_save"' not in page
    data = form_data(login("clerk").get(change_url(draft)).content.decode(), "proposal_form")
    assert "events-TOTAL_FORMS" in data
    data.update({"name": "别的路", "_save": "1"})
    assert other.post(change_url(draft), data).status_code == 403
    draft.refresh_from_db()
    assert draft.name == "习有路" and not draft.events.filter(transition="update").exists()


def test_a_submitted_proposal_is_read_only_even_for_its_drafter(login, users, draft):
    proposal_transition(proposal=draft, transition="submit", acting_user=users["clerk"])
    clerk = login("clerk")
    page = clerk.get(change_url(draft)).content.decode()
    assert 'name="name"' not in page and 'name="_save"' not in page
    assert clerk.post(change_url(draft), {"name": "别的路", "_save": "1"}).status_code == 403


def test_return_for_revision_correct_and_resubmit_in_the_admin(login, users, draft):
    clerk, reviewer = login("clerk"), login("reviewer")
    step(clerk, draft, "submit")
    page = reviewer.get(change_url(draft)).content.decode()
    assert 'data-step="return_for_revision"' in page and "退回修改" in page
    no_reason = step(reviewer, draft, "return_for_revision", {"reason": ""})
    assert "errorlist" in no_reason.content.decode()
    draft.refresh_from_db()
    assert draft.state == "submitted"
    step(reviewer, draft, "return_for_revision", {"reason": "“有”字疑为笔误，请核对"})
    draft.refresh_from_db()
    assert draft.state == "draft"
    page = clerk.get(change_url(draft)).content.decode()
    assert 'id="returned-for-revision"' in page and "“有”字疑为笔误，请核对" in page and 'name="name"' in page
    edit(clerk, draft, name="习友路")
    step(clerk, draft, "submit")
    draft.refresh_from_db()
    assert (draft.state, draft.name) == ("submitted", "习友路")
    assert list(draft.events.values_list("transition", flat=True)) == [
        "draft",
        "submit",
        "return_for_revision",
        "update",
        "submit",
    ]
    timeline = reviewer.get(change_url(draft)).content.decode()
    assert (
        "退回修改" in timeline
        and "修改草稿" in timeline
        and "return_for_revision" not in timeline.split('id="events-group"')[-1].split("</fieldset>")[0]
    )


def test_the_timeline_and_the_check_result_are_in_chinese(login, users, draft):
    proposal_transition(proposal=draft, transition="submit", acting_user=users["clerk"])
    proposal_transition(proposal=draft, transition="start_review", acting_user=users["reviewer"])
    page = login("reviewer").get(change_url(draft)).content.decode()
    timeline = page.split('id="events-group"')[1].split("</fieldset>")[0]
    for label in ("起草", "提交", "开始审核", "已提交", "审核中"):
        assert label in timeline
    for code in ("start_review", "submitted", "in_review", ">draft<", ">submit<"):
        assert code not in timeline
    assert "审查结果" in page and "通过" in page
    listing = login("reviewer").get(reverse("admin:registry_proposal_changelist")).content.decode()
    assert "通过" in listing and ">ok<" not in listing


def test_a_check_with_errors_shows_chinese_labels_and_the_rule_code_only_as_a_tooltip(login, users, db):
    place_create(name="金寨路", category="road", division=Division.objects.get(code="340104"))
    proposal = proposal_create(
        action="name",
        name="金寨路",
        category="road",
        division=Division.objects.get(code="340111"),
        drafted_by=users["clerk"],
        reason="x",
    )
    assert proposal.check_level == "error"
    page = login("clerk").get(change_url(proposal)).content.decode()
    assert "有错误" in page and "<b>错误</b>" in page and 'title="DUPLICATE"' in page
    assert "[DUPLICATE]" not in page


# --- Heritage listings as form fields (issue #10 item 10) ----------------------------------


@pytest.fixture
def zhegao(db):
    return place_create(name="柘皋镇", category="town", division=Division.objects.get(code="340181"))


def heritage_form(place, **fields):
    data = {
        "action": "list_heritage",
        "place": place.pk,
        "reason": "千年古镇申报",
        "heritage_scheme": "ancient_town",
        "heritage_level": "provincial",
        "heritage_era": "bce",
        "heritage_year": "484",
        "heritage_first_recorded_name": "橐皋",
        "heritage_first_recorded_source": "《春秋》哀公十二年",
    }
    data.update(fields)
    return data


def test_a_heritage_proposal_from_form_fields(login, zhegao):
    clerk = login("clerk")
    page = clerk.get(reverse("admin:registry_proposal_add")).content.decode()
    assert "仅用于列入地名文化遗产" in page and "heritage-fields" in page and "registry/proposal_form.js" in page
    assert 'name="heritage"' not in page and "JSON" not in page
    assert "千年古镇" in page and "省级" in page and "公元前" in page
    response = clerk.post(reverse("admin:registry_proposal_add"), heritage_form(zhegao), follow=True)
    assert "errorlist" not in response.content.decode()
    proposal = Proposal.objects.get()
    assert proposal.heritage == {
        "scheme": "ancient_town",
        "level": "provincial",
        "in_use_since": -484,
        "first_recorded_name": "橐皋",
        "first_recorded_source": "《春秋》哀公十二年",
    }
    shown = clerk.get(change_url(proposal)).content.decode()
    assert 'value="484"' in shown and '<option value="bce" selected>' in shown


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"heritage_year": "前484"}, "年份须为整数，例如 484。"),
        ({"heritage_year": "-484"}, "年份须为正整数；公元前的年份请在“纪年”中选“公元前”。"),
        ({"heritage_scheme": ""}, "请选择名录类别（如千年古镇）。"),
        ({"heritage_level": ""}, "请选择级别。"),
        ({"heritage_era": "ce", "heritage_year": "1500"}, "1,000"),
    ],
    ids=["not-a-number", "negative", "no-scheme", "no-level", "not-a-thousand-years"],
)
def test_bad_heritage_input_gets_a_chinese_message(login, zhegao, fields, message):
    response = login("clerk").post(reverse("admin:registry_proposal_add"), heritage_form(zhegao, **fields))
    page = response.content.decode()
    assert response.status_code == 200 and message in page and not Proposal.objects.exists()
    assert "JSON" not in page and "Expecting value" not in page


def test_heritage_fields_are_ignored_for_other_actions(login, baohe_road):
    login("clerk").post(
        reverse("admin:registry_proposal_add"),
        {
            "action": "rename",
            "place": baohe_road.pk,
            "name": "庐江路",
            "reason": "x",
            "heritage_scheme": "ancient_town",
            "heritage_year": "484",
            "heritage_era": "bce",
        },
    )
    assert Proposal.objects.get().heritage == {}


# --- The decision page, objections and their answers (issue #10 item 9) -------------------


@pytest.fixture
def noticed(walk, baohe_road):
    return walk(
        ["submit", "start_review", "start_notice"],
        action="rename",
        place=baohe_road,
        name="庐江路",
        reason="以安徽省庐江县命名",
        origin="庐江县，古庐子国地",
    )


def test_the_decision_page_shows_the_summary_findings_and_objections(login, users, noticed):
    proposal_transition(
        proposal=noticed,
        transition="object",
        acting_user=users["reviewer"],
        text="建议保留旧名",
        objector="李女士",
        channel="phone",
    )
    page = (
        login("approver")
        .get(reverse("admin:registry_proposal_transition", args=[noticed.pk, "approve"]))
        .content.decode()
    )
    summary = page.split('id="proposal-summary"')[1].split('id="proposal-findings"')[0]
    for text in ("更名", "左圣宫巷 → 庐江路", "以安徽省庐江县命名", "庐江县，古庐子国地", "包河区", "通过"):
        assert text in summary
    objections = page.split('id="proposal-objections"')[1]
    assert "建议保留旧名" in objections and "李女士" in objections and "电话" in objections
    assert 'id="unanswered-warning"' in page and "尚有 1 条异议未答复" in page and "respond-link" in objections


def test_approving_with_an_unanswered_objection_is_refused_in_the_admin(login, users, noticed):
    proposal_transition(proposal=noticed, transition="object", acting_user=users["reviewer"], text="反对")
    response = step(
        login("approver"),
        noticed,
        "approve",
        {"authority": "合肥市人民政府", "document_number": "合政〔2026〕1号", "decided_on": today()},
    )
    assert "尚有 1 条异议未答复：须逐条答复后方可批准" in response.content.decode()
    noticed.refresh_from_db()
    assert noticed.state == "public_notice"


def test_the_approve_form_reads_its_default_authority_from_the_settings(login, noticed, settings):
    settings.REGISTRY_APPROVING_AUTHORITY = "芜湖市人民政府"
    page = (
        login("approver")
        .get(reverse("admin:registry_proposal_transition", args=[noticed.pk, "approve"]))
        .content.decode()
    )
    assert 'value="芜湖市人民政府"' in page and "合肥市人民政府" not in page


def test_the_notice_form_says_the_default_length_in_chinese(login, users, walk, shushan, settings):
    proposal = walk(["submit", "start_review"], action="name", name="习友路", category="road", division=shushan)
    settings.REGISTRY_NOTICE_DAYS = 7
    page = (
        login("reviewer")
        .get(reverse("admin:registry_proposal_transition", args=[proposal.pk, "start_notice"]))
        .content.decode()
    )
    assert "留空则按系统默认公示天数（7 天）" in page and "REGISTRY_NOTICE_DAYS" not in page


def test_the_objection_form_and_a_late_objection_in_the_admin(login, noticed):
    reviewer = login("reviewer")
    page = reviewer.get(reverse("admin:registry_proposal_transition", args=[noticed.pk, "object"])).content.decode()
    for label in ("提出人", "收到方式", "收到日期", "联系方式", "信函", "网上留言"):
        assert label in page
    ended = timezone.localdate() - dt.timedelta(days=2)
    Proposal.objects.filter(pk=noticed.pk).update(
        notice_starts_at=timezone.now() - dt.timedelta(days=9), notice_ends_at=timezone.now() - dt.timedelta(days=2)
    )
    late = step(reviewer, noticed, "object", {"text": "迟到", "channel": "online", "received_on": today()})
    assert f"公示已于 {ended.isoformat()} 结束" in late.content.decode() and not Objection.objects.exists()


def test_the_answer_page_is_for_reviewers(login, users, noticed):
    proposal_transition(proposal=noticed, transition="object", acting_user=users["reviewer"], text="反对")
    objection = Objection.objects.get()
    url = reverse("admin:registry_proposal_respond", args=[noticed.pk, objection.pk])
    refused = login("approver").post(url, {"response": "答复"}, follow=True).content.decode()
    assert "需要审核员角色" in refused
    objection.refresh_from_db()
    assert objection.response == ""
    empty = login("reviewer").post(url, {"response": ""}).content.decode()
    assert "errorlist" in empty
    login("reviewer").post(url, {"response": "已采纳，更名方案保留旧名为历史地名", "outcome": "accepted"})
    objection.refresh_from_db()
    assert (objection.response, objection.outcome, objection.responded_by.username) == (
        "已采纳，更名方案保留旧名为历史地名",
        "accepted",
        "reviewer",
    )
    page = login("approver").get(change_url(noticed)).content.decode()
    assert "已采纳，更名方案保留旧名为历史地名" in page and "采纳" in page


# --- No restoring from history ----------------------------------------------------------


def test_the_history_page_offers_no_revert_and_a_revert_post_changes_nothing(login, users, draft):
    clerk = login("clerk")
    edit(clerk, draft, name="习友路")
    first = draft.history.order_by("history_id").first()
    history = clerk.get(reverse("admin:registry_proposal_history", args=[draft.pk])).content.decode()
    revert_url = reverse("admin:registry_proposal_simple_history", args=[draft.pk, first.history_id])
    assert revert_url not in history
    data = {
        "action": "name",
        "name": "习有路",
        "category": "road",
        "division": draft.division_id,
        "reason": "新建道路",
        "_save": "1",
    }
    response = clerk.post(revert_url, data, follow=True)
    assert "历史版本仅供查阅，不能还原" in response.content.decode()
    draft.refresh_from_db()
    assert draft.name == "习友路" and draft.history.count() == 2
    assert "历史版本仅供查阅，不能还原" in clerk.get(revert_url, follow=True).content.decode()
