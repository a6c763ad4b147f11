"""The proposal API shares the services with the admin: same rules, same answers."""
import pytest
from rest_framework.test import APIClient

from registry.models import Place
from registry.services.tokens import token_issue


@pytest.fixture
def as_user(users):
    def client(name):
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=users[name])[1]}")
        return api

    return client


def test_the_whole_workflow_over_the_api(as_user, settings):
    settings.REGISTRY_NOTICE_DAYS = 0
    clerk, reviewer, approver = as_user("clerk"), as_user("reviewer"), as_user("approver")
    created = clerk.post("/api/v1/proposals/", {"action": "name", "name": "习友路", "category": "road",
                                                "division": "340104", "reason": "新建道路"}, format="json")
    assert created.status_code == 201, created.content
    pid = created.json()["id"]
    assert created.json()["allowed_transitions"] == ["submit", "withdraw"]
    for api, step, body in [(clerk, "submit", {}), (reviewer, "start_review", {}), (reviewer, "start_notice", {"days": 0}),
                            (reviewer, "object", {"text": "有异议"}),
                            (approver, "approve", {"authority": "合肥市人民政府", "document_number": "合政〔2026〕3号",
                                                   "decided_on": "2026-11-03"})]:
        response = api.post(f"/api/v1/proposals/{pid}/{step}/", body, format="json")
        assert response.status_code == 200, (step, response.content)
    data = approver.get(f"/api/v1/proposals/{pid}/").json()
    assert data["state"] == "approved" and [e["transition"] for e in data["events"]][-1] == "approve"
    assert data["objections"][0]["text"] == "有异议"
    assert Place.objects.get(name="习友路").approval_document == "合政〔2026〕3号"


def test_errors_are_403_409_and_400(as_user, settings):
    settings.REGISTRY_NOTICE_DAYS = 0
    clerk, approver = as_user("clerk"), as_user("approver")
    pid = clerk.post("/api/v1/proposals/", {"action": "name", "name": "习友路", "category": "road", "division": "340104",
                                            "reason": "x"}, format="json").json()["id"]
    wrong_state = approver.post(f"/api/v1/proposals/{pid}/approve/", {"authority": "a", "document_number": "b",
                                                                     "decided_on": "2026-11-03"}, format="json")
    assert wrong_state.status_code == 409 and "draft" in wrong_state.json()["detail"]
    wrong_role = approver.post(f"/api/v1/proposals/{pid}/submit/", {}, format="json")
    assert wrong_role.status_code == 403
    bad_field = clerk.post(f"/api/v1/proposals/{pid}/submit/", {"days": 3}, format="json")
    assert bad_field.status_code == 400 and "days" in bad_field.json()
    assert clerk.post("/api/v1/proposals/", {"action": "rename", "place": "NOPE0001", "name": "x路", "reason": "x"},
                      format="json").json().get("place")
    assert approver.post("/api/v1/proposals/", {"action": "name", "name": "x路", "category": "road",
                                                "division": "340104", "reason": "x"}, format="json").status_code == 403
    assert clerk.get("/api/v1/proposals/999999/").status_code == 404


def test_proposals_are_for_authenticated_staff(users, db):
    anonymous = APIClient()
    assert anonymous.get("/api/v1/proposals/").status_code in (401, 403)
    assert anonymous.post("/api/v1/proposals/", {}, format="json").status_code in (401, 403)
