"""``POST /api/v1/names/check/`` at a location (issue #14 item 4): a name not yet in the
registry, checked with ``longitude``/``latitude``, is compared with the places within
``REGISTRY_VALIDATION["RADIUS_M"]`` across scope borders; a bad point is a 400 naming the
field, in Chinese by default; the schema documents the two fields. Where division boundaries are
loaded, the answer to a check with a point carries ``suggested_division``: the division whose
boundary holds the point, or null."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import override_settings
from rest_framework.test import APIClient

from registry.models import Division
from registry.services.places import place_create
from tests.test_boundaries import BAOHE, SHUSHAN, feature, write

pytestmark = pytest.mark.django_db

HOME = (117.2000, 31.8500)  # 大郢村, 蜀山区
ACROSS = (117.2200, 31.8500)  # 1.9 km east, checked as a 肥西县 village (another scope)
FAR = (117.5000, 31.8500)  # 28.4 km east


@pytest.fixture
def home(db):
    return place_create(
        name="大郢村",
        category="village",
        division=Division.objects.get(code="340104"),
        longitude=Decimal("117.200000"),
        latitude=Decimal("31.850000"),
    )


def _check(**extra):
    body = {"name": "大郢村", "category": "village", "division": "340123", **extra}
    return APIClient().post("/api/v1/names/check/?lang=en", body, format="json")


def _rules(response) -> dict[str, str]:
    assert response.status_code == 200, response.content
    return {f["rule"]: f["message"] for f in response.json()["findings"] if f["rule"] in ("DUPLICATE", "HOMOPHONE")}


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ({"longitude": ACROSS[0], "latitude": ACROSS[1]}, {"DUPLICATE"}),  # 1.9 km, across the county border
        ({"longitude": FAR[0], "latitude": FAR[1]}, set()),  # beyond 10 km
        ({}, set()),  # no location: only its own scope (肥西县) is compared
        ({"longitude": None, "latitude": None}, set()),
    ],
)
def test_a_new_name_is_compared_within_the_radius_of_its_location(home, location, expected):
    rules = _rules(_check(**location))
    assert set(rules) == expected
    if expected:
        assert "1.9 km away in another scope" in rules["DUPLICATE"] and "within 10 km" in rules["DUPLICATE"]


def test_the_radius_is_the_setting(home):
    with override_settings(REGISTRY_VALIDATION={"RADIUS_M": 30_000}):
        assert set(_rules(_check(longitude=FAR[0], latitude=FAR[1]))) == {"DUPLICATE"}


def test_the_location_given_wins_over_the_renamed_places_own_point(home):
    other = place_create(
        name="小河村",
        category="village",
        division=Division.objects.get(code="340123"),
        longitude=Decimal(str(FAR[0])),
        latitude=Decimal(str(FAR[1])),
    )
    assert _rules(_check(place=other.code)) == {}  # at its own point, 28 km away
    assert set(_rules(_check(place=other.code, longitude=ACROSS[0], latitude=ACROSS[1]))) == {"DUPLICATE"}


@pytest.mark.parametrize(
    ("location", "field", "fragment"),
    [
        ({"longitude": ACROSS[0]}, "latitude", "both longitude and latitude"),
        ({"latitude": ACROSS[1]}, "longitude", "both longitude and latitude"),
        ({"longitude": 0.0, "latitude": 0.0}, "longitude", "lies outside China"),
        ({"longitude": ACROSS[1], "latitude": ACROSS[0]}, "longitude", "were they swapped"),
        ({"longitude": "117.2°E", "latitude": 31.85}, "longitude", "valid number"),
        ({"longitude": "inf", "latitude": 31.85}, "longitude", "valid number"),
        ({"location": {"type": "Point", "coordinates": list(ACROSS)}}, "location", "does not take"),
    ],
)
def test_a_bad_point_is_a_400_naming_the_field(home, location, field, fragment):
    response = _check(**location)
    assert response.status_code == 400, response.content
    assert fragment in " ".join(response.json()[field]), response.json()


def test_the_refusal_is_in_chinese_by_default(home):
    body = {"name": "大郢村", "category": "village", "longitude": 0.0, "latitude": 0.0}
    response = APIClient().post("/api/v1/names/check/", body, format="json")
    assert response.status_code == 400 and "中国" in response.json()["longitude"][0], response.json()


def test_the_schema_documents_the_location(db):
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()
    fields = schema["components"]["schemas"]["NameCheckInputRequest"]["properties"]
    for name in ("longitude", "latitude"):
        assert fields[name]["type"] == "number" and "RADIUS_M" in fields[name]["description"]


# --- a point suggests its division (issue #14 item 4) -----------------------------------------
# Test squares around real division codes, as in tests/test_boundaries.py: 蜀山区 117.10–117.25 E,
# 31.78–31.92 N (with a hole at 117.15–117.17 E, 31.80–31.82 N) and 包河区 117.25–117.40 E, 31.70–31.85 N.


@pytest.fixture
def boundaries(tmp_path):
    features = [feature({"code": "340104"}, SHUSHAN), feature({"code": "340111"}, BAOHE)]
    call_command("import_boundaries", write(tmp_path, features), source="测试边界（正方形）", verbosity=0)


@pytest.mark.parametrize(
    ("point", "suggested"),
    [
        ((117.20, 31.86), {"code": "340104", "name": "蜀山区"}),
        ((117.30, 31.75), {"code": "340111", "name": "包河区"}),
        ((117.16, 31.81), None),  # in 蜀山区's hole, no other boundary holds it
        ((117.90, 31.20), None),  # in China, outside every loaded boundary
    ],
)
def test_a_point_suggests_the_division_whose_boundary_holds_it(boundaries, point, suggested):
    response = _check(name="栖梧路", category="road", longitude=point[0], latitude=point[1])
    assert response.status_code == 200, response.content
    assert response.json()["suggested_division"] == suggested


def test_without_boundaries_the_suggestion_is_null(db):
    response = _check(name="栖梧路", category="road", longitude=117.20, latitude=31.86)
    assert response.status_code == 200 and response.json()["suggested_division"] is None


def test_without_a_point_there_is_no_suggestion(boundaries, home):
    body = _check(name="栖梧路", category="road").json()
    assert "suggested_division" not in body and set(body) == {"name", "pinyin", "ok", "findings"}
    assert "suggested_division" not in _check(name="栖梧路", category="road", place=home.code).json()


def test_the_schema_documents_the_suggestion(db):
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()
    output = schema["components"]["schemas"]["NameCheckOutput"]
    assert "suggested_division" in output["properties"] and "suggested_division" not in output.get("required", [])
    field = output["properties"]["suggested_division"]
    assert "boundary" in field["description"] and field.get("nullable") is True, field
    division = schema["components"]["schemas"]["SuggestedDivision"]
    assert set(division["properties"]) == {"code", "name"}
