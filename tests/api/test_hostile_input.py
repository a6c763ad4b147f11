"""Hostile input never gets a 5xx: every answer is a JSON 4xx naming the field (SPEC.md "REST API")."""

import json

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from registry.services.places import place_create


@pytest.fixture
def api():
    return APIClient(raise_request_exception=False)


@pytest.fixture
def clerk(db, django_user_model):
    user = django_user_model.objects.create_user("clerk", password="pw-clerk", is_staff=True)
    user.groups.add(Group.objects.get(name="clerk"))
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(django_user_model.objects.get(pk=user.pk))
    return client


@pytest.fixture
def town(db):
    from registry.models import Division

    return place_create(name="三河镇", category="town", division=Division.objects.get(code="340123"))


def assert_json_4xx(response, status=400, field=None):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    if field:
        assert field in body, body
    return body


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_is_a_400(api, db, depth):
    body = "[" * depth + "]" * depth
    response = api.post("/api/v1/names/check/", body, content_type="application/json")
    assert_json_4xx(response)


def test_deeply_nested_object_value_is_a_400_naming_the_field(api, db):
    body = '{"name": ' + "[" * 5000 + "]" * 5000 + ', "category": "road"}'
    assert_json_4xx(api.post("/api/v1/names/check/", body, content_type="application/json"))


@pytest.mark.parametrize(
    "value,field",
    [
        ("abc", "in_use_since"),
        ({"a": [1, 2]}, "in_use_since"),
        ([1], "evidence"),
        ({"a": [1, {"b": 2}]}, "evidence"),
        (["x"], "batch"),
        (1.5, "in_use_since"),
        (True, "in_use_since"),
        ("²", "in_use_since"),
        ("长\x00", "evidence"),
    ],
)
def test_heritage_fields_must_be_scalars_of_their_type(clerk, town, value, field):
    heritage = {"scheme": "ancient_town", "level": "provincial", field: value}
    response = clerk.post(
        "/api/v1/proposals/",
        {"action": "list_heritage", "place": town.code, "reason": "申报", "heritage": heritage},
        format="json",
    )
    body = assert_json_4xx(response, field="heritage")
    assert field in json.dumps(body, ensure_ascii=False)


def test_heritage_numbers_given_as_text_are_accepted(clerk, town):
    heritage = {"scheme": "other", "level": "municipal", "in_use_since": "-483", "evidence": "《春秋》"}
    response = clerk.post(
        "/api/v1/proposals/",
        {"action": "list_heritage", "place": town.code, "reason": "申报", "heritage": heritage},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["heritage"]["in_use_since"] == -483


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/places/3401%00R/",
        "/api/v1/places/3401%00R/names/",
        "/api/v1/search/?q=%E9%95%BF%00",
        "/api/v1/places/?q=%00",
        "/api/v1/places/?division=34%0001",
        "/api/v1/divisions/3401%0000/",
        "/api/v1/heritage/?division=%00",
        "/api/v1/proposals/1%00/",
    ],
)
def test_a_nul_byte_in_path_or_query_is_a_400(api, db, url):
    assert_json_4xx(api.get(url))


def test_a_nul_byte_in_a_parameter_name_is_a_400(api, db):
    assert_json_4xx(api.get("/api/v1/places/?cat%00egory=road"))


def test_a_body_over_the_upload_limit_is_a_json_413(api, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000_000
    body = json.dumps({"name": "长" * 3_000_000, "category": "road"})
    response = api.post("/api/v1/names/check/", body, content_type="application/json")
    assert_json_4xx(response, status=413)


def test_a_form_body_over_the_upload_limit_is_a_json_413(api, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = api.post("/api/v1/auth/token/", {"username": "x" * 5000, "password": "y"})
    assert_json_4xx(response, status=413)
