"""What schemathesis found once it fuzzed the write endpoints as staff (issue #11, ``.ci/run``).

- A proposal or objection id beyond 64 bits was a 500 on SQLite (OverflowError binding the
  foreign key of an objection); it is a 404 like any id with no row.
- A multipart body with no form field in it (``[[]]`` between boundaries) was read as an
  empty form, so ``submit`` acted on garbage; it is a 400.
- ``manage.py issue_token`` gives CI (and an operator's script) a token without a password.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from registry.models import Proposal
from registry.models.tokens import ApiToken, hash_secret

HUGE = 415118876514170887320614749744398336


@pytest.fixture
def staff(db, django_user_model):
    user = django_user_model.objects.create_user("fuzz", is_staff=True)
    user.groups.set(Group.objects.filter(name__in=["clerk", "reviewer", "approver"]))
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/proposals/{HUGE}/objections/1/respond/",
        f"/api/v1/proposals/1/objections/{HUGE}/respond/",
        f"/api/v1/proposals/{HUGE}/submit/",
        f"/api/v1/proposals/{2**63}/approve/",
    ],
)
def test_an_id_beyond_64_bits_is_not_found(staff, path):
    response = staff.post(path, {"response": "已答复"}, format="json")
    assert response.status_code == 404, response.content[:200]


def test_an_id_beyond_64_bits_is_not_found_when_read(staff):
    assert staff.get(f"/api/v1/proposals/{HUGE}/").status_code == 404


def _draft(client) -> int:
    response = client.post(
        "/api/v1/proposals/",
        {"action": "name", "name": "翡翠湖路", "category": "road", "division": "340104", "reason": "新建道路"},
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


MULTIPART = "multipart/form-data; boundary=eec4"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"--eec4\r\n[[]]--eec4--\r\n", 400),  # no part at all: not a form
        (b"garbage", 400),
        (b"--eec4--\r\n", 200),  # a form with no field: submit takes none
    ],
)
def test_a_multipart_body_without_parts_is_refused(staff, body, status):
    proposal = _draft(staff)
    response = staff.generic("POST", f"/api/v1/proposals/{proposal}/submit/", body, content_type=MULTIPART)
    assert response.status_code == status, response.content[:200]
    assert Proposal.objects.get(pk=proposal).state == ("submitted" if status == 200 else "draft")


def test_a_real_multipart_form_is_still_read(staff):
    response = staff.post("/api/v1/names/check/", {"name": "长江路", "category": "road"}, format="multipart")
    assert response.status_code == 200 and response.json()["name"] == "长江路"


def test_issue_token_prints_a_working_secret(db, django_user_model, capsys):
    django_user_model.objects.create_user("fuzz", is_staff=True)
    call_command("issue_token", "fuzz", "--days", "1", "--name", "CI fuzzing")
    secret = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(key_hash=hash_secret(secret))
    assert token.name == "CI fuzzing" and token.history.first().history_change_reason == "issue"
    assert APIClient().get("/api/v1/proposals/", HTTP_AUTHORIZATION=f"Token {secret}").status_code == 200


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody"], "nobody"),
        (["fuzz", "--days", "0"], "--days"),
    ],
)
def test_issue_token_refuses_clearly(db, django_user_model, args, message):
    django_user_model.objects.create_user("fuzz", is_staff=True)
    with pytest.raises(CommandError, match=message):
        call_command("issue_token", *args)
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("method", ["TRACE", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize(
    "path", ["/api/v1/places/?level=city&page=1", "/api/v1/divisions/?bogus=1", "/api/v1/search/?q=cj&x=1"]
)
def test_an_undeclared_method_is_405_whatever_the_query(staff, method, path):
    """Found by schemathesis' coverage phase: TRACE with a query was a 400 for the parameters."""
    response = staff.generic(method, path)
    assert response.status_code == 405, (method, path, response.content[:200])


def test_a_blank_text_sent_as_a_form_field_is_refused_as_blank(db, django_user_model):
    """DRF reads an empty form field as "not sent"; a step text that may not be blank is
    refused however it arrives (schemathesis: POST /rounds/{id}/withdraw/ with reason="")."""
    from django.contrib.auth.models import Group
    from rest_framework.test import APIClient

    from registry.services.rounds import round_create

    clerk = django_user_model.objects.create_user("form-clerk", is_staff=True)
    clerk.groups.add(Group.objects.get(name="clerk"))
    round_ = round_create(title="测试批次", organisers="合肥市民政局", drafted_by=clerk)
    api = APIClient()
    api.force_authenticate(clerk)
    response = api.post(f"/api/v1/rounds/{round_.pk}/withdraw/", {"reason": ""}, format="multipart")
    assert response.status_code == 400 and "reason" in response.json()
    round_.refresh_from_db()
    assert round_.state == "draft"
    assert (
        api.post(f"/api/v1/rounds/{round_.pk}/withdraw/", {"reason": "不再需要"}, format="multipart").status_code == 200
    )


def test_a_round_field_longer_than_its_limit_is_refused_even_after_leading_spaces(db, django_user_model):
    from django.contrib.auth.models import Group
    from rest_framework.test import APIClient

    clerk = django_user_model.objects.create_user("len-clerk", is_staff=True)
    clerk.groups.add(Group.objects.get(name="clerk"))
    api = APIClient()
    api.force_authenticate(clerk)
    response = api.post("/api/v1/rounds/", {"title": "测试批次", "authority": "\u0085" + "*" * 200}, format="multipart")
    assert response.status_code == 400 and "authority" in response.json()


@pytest.mark.parametrize("query", ["near=", "near=&radius=", "bbox=", "near=117.2,31.8"])
def test_a_search_with_an_empty_spatial_parameter_answers(staff, make_place, query):
    """``near=`` (sent empty) applies no distance, so a hit has none to show: it was a 500."""
    make_place("延乔路", longitude=117.2, latitude=31.8)
    response = staff.get(f"/api/v1/search/?q=延乔&{query}")
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert [row["name"] for row in rows] == ["延乔路"]
    assert ("distance" in rows[0]) == query.startswith("near=117")


@pytest.mark.parametrize(
    "path, body, model",
    [
        ("/api/v1/rounds/", {"title": "第六批", "titel": "typo"}, "round"),
        (
            "/api/v1/proposals/",
            {
                "action": "name",
                "name": "测试路",
                "category": "road",
                "division": "340104",
                "reason": "新建道路",
                "bogus": 1,
            },
            "proposal",
        ),
    ],
)
def test_a_create_body_refuses_a_field_it_does_not_take(staff, path, body, model):
    """A misspelt field was dropped without a word (the client never learnt its value was not kept)."""
    from django.apps import apps

    before = apps.get_model("registry", model).objects.count()
    response = staff.post(path, body, format="json")
    assert response.status_code == 400, response.content
    unknown = (set(body) - {"title", "action", "name", "category", "division", "reason"}).pop()
    assert unknown in response.json()
    assert apps.get_model("registry", model).objects.count() == before


def test_the_schema_says_create_bodies_take_no_other_field(staff):
    schema = staff.get("/api/v1/schema/?format=json").json()["components"]["schemas"]
    for name in ("ProposalCreateRequest", "RoundCreateRequest", "ProposalApproveRequest"):
        assert schema[name]["additionalProperties"] is False, name


def test_removing_a_round_item_is_documented_as_the_200_it_answers(staff):
    """The removal answers the round (200); the schema said 204, DRF's default for DELETE (schemathesis)."""
    schema = staff.get("/api/v1/schema/?format=json").json()
    responses = schema["paths"]["/api/v1/rounds/{id}/items/{number}/"]["delete"]["responses"]
    assert "200" in responses and "204" not in responses


@pytest.mark.parametrize("reason", [-8.077756514924317e-98, 3, True])
def test_a_number_for_a_step_text_is_refused(db, django_user_model, reason):
    """schemathesis: POST /proposals/{id}/withdraw/ with {"reason": -8e-98} was accepted, the
    number stored as its text; the schema says string, so it is a 400 and nothing changes."""
    from django.contrib.auth.models import Group
    from rest_framework.test import APIClient

    from registry.services.rounds import round_create

    clerk = django_user_model.objects.create_user("number-clerk", is_staff=True)
    clerk.groups.add(Group.objects.get(name="clerk"))
    round_ = round_create(title="测试批次", organisers="合肥市民政局", drafted_by=clerk)
    api = APIClient()
    api.force_authenticate(clerk)
    response = api.post(f"/api/v1/rounds/{round_.pk}/withdraw/", {"reason": reason}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    round_.refresh_from_db()
    assert round_.state == "draft"
