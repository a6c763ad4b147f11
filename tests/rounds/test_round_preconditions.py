"""If-Match on a naming round's steps, as on a proposal's: a step based on a stale read of the
round is refused with 412 Precondition Failed, saying what changed, and nothing is written."""

from __future__ import annotations

from rest_framework.test import APIClient

from registry.models import RoundEvent
from registry.services.rounds import round_item_step, round_transition


def client(user):
    made = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    made.force_authenticate(user)
    return made


def read(user, rid) -> str:
    response = client(user).get(f"/api/v1/rounds/{rid}/")
    assert response.status_code == 200
    assert response["ETag"].startswith('"r') and not response["ETag"].startswith("W/")
    return response["ETag"]


def submitted(round_, users):
    round_transition(round_=round_, transition="submit", acting_user=users["clerk"])
    return round_.pk


def test_a_step_with_the_etag_just_read_is_taken_and_answers_the_new_etag(round30, users):
    rid = submitted(round30, users)
    etag = read(users["reviewer"], rid)
    response = client(users["reviewer"]).post(
        f"/api/v1/rounds/{rid}/start_review/", {}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] != etag and response["ETag"] == read(users["reviewer"], rid)


def test_a_step_after_an_item_was_withdrawn_is_412_naming_it_and_writes_nothing(round30, users):
    rid = submitted(round30, users)
    seen = read(users["reviewer"], rid)
    round_item_step(
        item=round30.items.get(position=11), step="withdraw", acting_user=users["reviewer"], reason="与第10项重名"
    )
    events = RoundEvent.objects.filter(round_id=rid).count()
    refused = client(users["reviewer"]).post(
        f"/api/v1/rounds/{rid}/start_review/", {}, format="json", HTTP_IF_MATCH=seen
    )
    assert refused.status_code == 412, refused.content
    detail = refused.json()["detail"]
    assert "批次在您读取后已有变动" in detail and "撤回该条目" in detail and "松风路" in detail
    round30.refresh_from_db()
    assert round30.state == "submitted" and RoundEvent.objects.filter(round_id=rid).count() == events
    assert refused["ETag"] == read(users["reviewer"], rid)  # the current version, to retry with
    retried = client(users["reviewer"]).post(
        f"/api/v1/rounds/{rid}/start_review/", {}, format="json", HTTP_IF_MATCH=refused["ETag"]
    )
    assert retried.status_code == 200


def test_an_item_step_on_a_stale_read_is_412(round30, users):
    rid = submitted(round30, users)
    seen = read(users["reviewer"], rid)
    round_transition(round_=round30, transition="start_review", acting_user=users["reviewer"])
    refused = client(users["reviewer"]).post(
        f"/api/v1/rounds/{rid}/items/3/defer/", {"reason": "待定"}, format="json", HTTP_IF_MATCH=seen
    )
    assert refused.status_code == 412 and "审核中" in refused.json()["detail"]
    assert round30.items.get(position=3).outcome == "pending"


def test_an_added_item_moves_the_etag(round30, users):
    seen = read(users["clerk"], round30.pk)
    added = client(users["clerk"]).post(
        f"/api/v1/rounds/{round30.pk}/items/",
        {"action": "name", "name": "紫薇路", "category": "road", "division": "340104", "reason": "新建道路"},
        format="json",
        HTTP_IF_MATCH=seen,
    )
    assert added.status_code == 201 and added["ETag"] != seen
    stale = client(users["clerk"]).post(f"/api/v1/rounds/{round30.pk}/submit/", {}, format="json", HTTP_IF_MATCH=seen)
    assert stale.status_code == 412


def test_without_if_match_a_weak_tag_or_star(round30, users):
    rid = round30.pk
    weak = client(users["clerk"]).post(
        f"/api/v1/rounds/{rid}/submit/", {}, format="json", HTTP_IF_MATCH="W/" + read(users["clerk"], rid)
    )
    assert weak.status_code == 412  # a weak tag never matches
    star = client(users["clerk"]).post(f"/api/v1/rounds/{rid}/submit/", {}, format="json", HTTP_IF_MATCH="*")
    assert star.status_code == 200
    plain = client(users["reviewer"]).post(f"/api/v1/rounds/{rid}/start_review/", {}, format="json")
    assert plain.status_code == 200  # without If-Match a step is taken as before


def test_the_schema_documents_if_match_and_412_on_round_steps(db):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/rounds/{id}/approve/"]["post"]
    assert any(p["name"] == "If-Match" for p in operation["parameters"]) and "412" in operation["responses"]
