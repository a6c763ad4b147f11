"""If-Match on the proposal workflow's steps (issue #12, reliability 8): a step based on a stale read
is refused with 412 Precondition Failed, saying what changed; nothing is written."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from registry.models import Proposal, ProposalEvent
from registry.services.places import place_create, place_rename
from registry.services.tokens import token_issue


@pytest.fixture
def users(db, django_user_model):
    made = {}
    for name, group, full in [
        ("clerk", "clerk", "王录入"),
        ("reviewer", "reviewer", "赵审核"),
        ("reviewer2", "reviewer", "钱审核"),
        ("approver", "approver", "孙审批"),
    ]:
        user = django_user_model.objects.create_user(name, password="pw", is_staff=True, first_name=full)
        user.groups.add(Group.objects.get(name=group))
        made[name] = django_user_model.objects.get(pk=user.pk)
    return made


@pytest.fixture
def api(users):
    def client(name):
        made = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
        made.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=users[name])[1]}")
        return made

    return client


@pytest.fixture
def submitted(api, shushan):
    """A rename of 和平路 to 幸福路, submitted by the clerk."""
    place = place_create(name="和平路", category="road", division=shushan, named_on="1950")
    clerk = api("clerk")
    created = clerk.post(
        "/api/v1/proposals/",
        {"action": "rename", "place": place.code, "name": "幸福路", "reason": "群众建议"},
        format="json",
    )
    assert created.status_code == 201, created.content
    pid = created.json()["id"]
    assert clerk.post(f"/api/v1/proposals/{pid}/submit/", {}, format="json").status_code == 200
    return pid, place


def read(client, pid) -> str:
    response = client.get(f"/api/v1/proposals/{pid}/")
    assert response.status_code == 200
    assert response["ETag"].startswith('"')
    return response["ETag"]


def state_and_events(pid):
    return Proposal.objects.get(pk=pid).state, ProposalEvent.objects.filter(proposal_id=pid).count()


def test_a_step_with_the_etag_just_read_is_taken_and_answers_the_new_etag(api, submitted):
    pid, _ = submitted
    reviewer = api("reviewer")
    etag = read(reviewer, pid)
    response = reviewer.post(f"/api/v1/proposals/{pid}/start_review/", {}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert response["ETag"] != etag and response["ETag"] == read(reviewer, pid)


def test_a_step_after_another_reviewers_step_is_412_naming_it(api, submitted):
    pid, _ = submitted
    first, second = api("reviewer"), api("reviewer2")
    seen = read(first, pid)
    assert second.post(f"/api/v1/proposals/{pid}/start_review/", {}, format="json").status_code == 200
    before = state_and_events(pid)
    refused = first.post(f"/api/v1/proposals/{pid}/start_notice/", {"days": 0}, format="json", HTTP_IF_MATCH=seen)
    assert refused.status_code == 412, refused.content
    detail = refused.json()["detail"]
    assert "钱审核" in detail and "开始审核" in detail and "If-Match" in detail
    assert state_and_events(pid) == before
    assert refused["ETag"] == read(first, pid)  # the current version, to retry with after reading
    retried = first.post(
        f"/api/v1/proposals/{pid}/start_notice/", {"days": 0}, format="json", HTTP_IF_MATCH=refused["ETag"]
    )
    assert retried.status_code == 200, retried.content


def test_a_step_after_the_place_was_renamed_is_412_naming_the_rename(api, submitted, users):
    pid, place = submitted
    reviewer = api("reviewer")
    seen = read(reviewer, pid)
    place_rename(place=place, new_name="和谐路", effective="2020", acting_user=users["approver"])
    refused = reviewer.post(f"/api/v1/proposals/{pid}/start_review/", {}, format="json", HTTP_IF_MATCH=seen)
    assert refused.status_code == 412, refused.content
    assert "更名为“和谐路”" in refused.json()["detail"] and "孙审批" in refused.json()["detail"]
    assert Proposal.objects.get(pk=pid).state == "submitted"


def test_answering_an_objection_with_a_stale_etag_is_412(api, submitted, settings):
    pid, _ = submitted
    reviewer = api("reviewer")
    for step, body in (("start_review", {}), ("start_notice", {"days": 3}), ("object", {"text": "重名"})):
        assert reviewer.post(f"/api/v1/proposals/{pid}/{step}/", body, format="json").status_code == 200
    objection = Proposal.objects.get(pk=pid).objections.get()
    seen = read(reviewer, pid)
    api("reviewer2").post(f"/api/v1/proposals/{pid}/object/", {"text": "另一条异议"}, format="json")
    refused = reviewer.post(
        f"/api/v1/proposals/{pid}/objections/{objection.pk}/respond/",
        {"response": "已核实"},
        format="json",
        HTTP_IF_MATCH=seen,
    )
    assert refused.status_code == 412, refused.content
    objection.refresh_from_db()
    assert objection.response == ""


@pytest.mark.parametrize(
    "header, expected",
    [
        (None, 200),  # no If-Match: taken as before (428 is not required)
        ("*", 200),
        ("weak", 412),  # If-Match compares strongly: a weak tag never matches
        ('"1.1"', 412),
        ("garbage", 412),
    ],
)
def test_if_match_forms(api, submitted, header, expected):
    pid, _ = submitted
    reviewer = api("reviewer")
    etag = read(reviewer, pid)
    extra = {} if header is None else {"HTTP_IF_MATCH": "W/" + etag if header == "weak" else header}
    response = reviewer.post(f"/api/v1/proposals/{pid}/start_review/", {}, format="json", **extra)
    assert response.status_code == expected, response.content
    assert Proposal.objects.get(pk=pid).state == ("in_review" if expected == 200 else "submitted")


def test_if_match_on_an_unknown_proposal_is_404(api, submitted):
    response = api("reviewer").post("/api/v1/proposals/999999/start_review/", {}, format="json", HTTP_IF_MATCH='"x"')
    assert response.status_code == 404


def test_the_schema_documents_if_match_and_412_on_every_step(api, submitted):
    schema = APIClient().get("/api/v1/schema/?format=json").json()
    steps = [
        path for path, ops in schema["paths"].items() if path.startswith("/api/v1/proposals/{id}/") and "post" in ops
    ]
    assert len(steps) >= 9
    for path in steps:
        post = schema["paths"][path]["post"]
        assert "412" in post["responses"], path
        assert any(p["name"] == "If-Match" and p["in"] == "header" for p in post["parameters"]), path
