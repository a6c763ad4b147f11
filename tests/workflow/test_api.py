"""The proposal API shares the services with the admin: same rules, same answers."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from registry.models import Announcement, Place, Proposal
from tests.workflow.conftest import today
from registry.services.tokens import token_issue


@pytest.fixture
def as_user(users):
    def client(name):
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=users[name])[1]}")
        return api

    return client


def draft(api, **body):
    body = {"action": "name", "name": "习友路", "category": "road", "division": "340104", "reason": "新建道路", **body}
    response = api.post("/api/v1/proposals/", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def to_notice(clerk, reviewer, pid):
    for api, step, body in [
        (clerk, "submit", {}),
        (reviewer, "start_review", {}),
        (reviewer, "start_notice", {"days": 0}),
    ]:
        response = api.post(f"/api/v1/proposals/{pid}/{step}/", body, format="json")
        assert response.status_code == 200, (step, response.content)


APPROVAL = {"authority": "合肥市人民政府", "document_number": "合政〔2026〕3号"}


def test_the_whole_workflow_over_the_api(as_user, settings):
    settings.REGISTRY_NOTICE_DAYS = 0
    clerk, reviewer, approver = as_user("clerk"), as_user("reviewer"), as_user("approver")
    created = clerk.post(
        "/api/v1/proposals/",
        {"action": "name", "name": "习友路", "category": "road", "division": "340104", "reason": "新建道路"},
        format="json",
    )
    assert created.status_code == 201, created.content
    pid = created.json()["id"]
    assert created.json()["allowed_transitions"] == ["submit", "withdraw"]
    assert created.json()["check_level"] == "ok"
    to_notice(clerk, reviewer, pid)
    objected = reviewer.post(
        f"/api/v1/proposals/{pid}/object/",
        {
            "text": "有异议",
            "objector": "张先生",
            "channel": "phone",
            "received_on": today(),
            "contact": "13800000000",
        },
        format="json",
    )
    assert objected.status_code == 200, objected.content
    (objection,) = objected.json()["objections"]
    assert (objection["objector"], objection["channel"], objection["received_on"], objection["response"]) == (
        "张先生",
        "phone",
        today(),
        "",
    )
    assert "contact" not in objection and "13800000000" not in objected.content.decode()
    unanswered = approver.post(f"/api/v1/proposals/{pid}/approve/", {**APPROVAL, "decided_on": today()}, format="json")
    assert unanswered.status_code == 409 and "1" in unanswered.json()["detail"]
    answered = reviewer.post(
        f"/api/v1/proposals/{pid}/objections/{objection['id']}/respond/",
        {"response": "经核实，附近无同名道路", "outcome": "not_accepted"},
        format="json",
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["objections"][0]["response"] == "经核实，附近无同名道路"
    assert answered.json()["objections"][0]["responded_by"] == "reviewer"
    approved = approver.post(f"/api/v1/proposals/{pid}/approve/", {**APPROVAL, "decided_on": today()}, format="json")
    assert approved.status_code == 200, approved.content
    data = approver.get(f"/api/v1/proposals/{pid}/").json()
    assert data["state"] == "approved" and [e["transition"] for e in data["events"]][-2:] == ["respond", "approve"]
    assert Place.objects.get(name="习友路").approval_document == "合政〔2026〕3号"


def test_return_for_revision_over_the_api_needs_a_reason_and_goes_back_to_draft(as_user, settings):
    clerk, reviewer = as_user("clerk"), as_user("reviewer")
    pid = draft(clerk)
    clerk.post(f"/api/v1/proposals/{pid}/submit/", {}, format="json")
    assert "return_for_revision" in reviewer.get(f"/api/v1/proposals/{pid}/").json()["allowed_transitions"]
    no_reason = reviewer.post(f"/api/v1/proposals/{pid}/return_for_revision/", {}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    returned = reviewer.post(f"/api/v1/proposals/{pid}/return_for_revision/", {"reason": "请补充含义"}, format="json")
    assert returned.status_code == 200, returned.content
    assert returned.json()["state"] == "draft" and returned.json()["events"][-1]["note"] == "请补充含义"
    assert clerk.post(f"/api/v1/proposals/{pid}/submit/", {}, format="json").json()["state"] == "submitted"


@pytest.mark.parametrize("decided_on", ["0001-01-01", "2999-01-01", "yesterday"])
def test_an_approval_dated_before_the_notice_or_in_the_future_is_a_400_naming_decided_on(as_user, settings, decided_on):
    """Issue #11: year 1 would end the old name in year 1; 2999 would hide the place until then."""
    settings.REGISTRY_NOTICE_DAYS = 0
    clerk, reviewer, approver = as_user("clerk"), as_user("reviewer"), as_user("approver")
    pid = draft(clerk)
    to_notice(clerk, reviewer, pid)
    if decided_on == "yesterday":
        decided_on = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = approver.post(f"/api/v1/proposals/{pid}/approve/", {**APPROVAL, "decided_on": decided_on}, format="json")
    assert response.status_code == 400 and "decided_on" in response.json(), response.content
    assert Proposal.objects.get(pk=pid).state == "public_notice" and not Place.objects.filter(name="习友路").exists()
    assert not Announcement.objects.exists()


def test_a_late_objection_over_the_api_is_a_400_giving_the_end_of_the_notice(as_user, settings):
    settings.REGISTRY_NOTICE_DAYS = 0
    clerk, reviewer = as_user("clerk"), as_user("reviewer")
    pid = draft(clerk)
    to_notice(clerk, reviewer, pid)
    ended = timezone.localdate() - dt.timedelta(days=3)
    Proposal.objects.filter(pk=pid).update(
        notice_starts_at=timezone.now() - dt.timedelta(days=10), notice_ends_at=timezone.now() - dt.timedelta(days=3)
    )
    late = reviewer.post(f"/api/v1/proposals/{pid}/object/", {"text": "迟到的异议"}, format="json")
    assert late.status_code == 400 and ended.isoformat() in late.json()["received_on"][0]
    in_time = reviewer.post(
        f"/api/v1/proposals/{pid}/object/",
        {"text": "公示期内寄出的信", "channel": "letter", "received_on": ended.isoformat()},
        format="json",
    )
    assert in_time.status_code == 200, in_time.content


def test_errors_are_403_409_and_400(as_user, settings):
    settings.REGISTRY_NOTICE_DAYS = 0
    clerk, approver = as_user("clerk"), as_user("approver")
    pid = draft(clerk, reason="x")
    wrong_state = approver.post(f"/api/v1/proposals/{pid}/approve/", {**APPROVAL, "decided_on": today()}, format="json")
    assert wrong_state.status_code == 409 and "草稿" in wrong_state.json()["detail"]
    assert "draft" not in wrong_state.json()["detail"]
    wrong_role = approver.post(f"/api/v1/proposals/{pid}/submit/", {}, format="json")
    assert wrong_role.status_code == 403 and "录入员" in wrong_role.json()["detail"]
    other_clerk = as_user("clerk2").post(f"/api/v1/proposals/{pid}/submit/", {}, format="json")
    assert other_clerk.status_code == 403 and Proposal.objects.get(pk=pid).state == "draft"
    bad_field = clerk.post(f"/api/v1/proposals/{pid}/submit/", {"days": 3}, format="json")
    assert bad_field.status_code == 400 and "days" in bad_field.json()
    assert (
        clerk.post(
            "/api/v1/proposals/", {"action": "rename", "place": "NOPE0001", "name": "x路", "reason": "x"}, format="json"
        )
        .json()
        .get("place")
    )
    not_a_clerk = approver.post(
        "/api/v1/proposals/",
        {"action": "name", "name": "x路", "category": "road", "division": "340104", "reason": "x"},
        format="json",
    )
    assert not_a_clerk.status_code == 403 and "录入员" in not_a_clerk.json()["detail"]
    assert clerk.get("/api/v1/proposals/999999/").status_code == 404
    assert (
        clerk.post(f"/api/v1/proposals/{pid}/objections/999999/respond/", {"response": "x"}, format="json").status_code
        == 404
    )


def test_proposals_are_for_authenticated_staff(users, db):
    anonymous = APIClient()
    assert anonymous.get("/api/v1/proposals/").status_code in (401, 403)
    assert anonymous.post("/api/v1/proposals/", {}, format="json").status_code in (401, 403)
