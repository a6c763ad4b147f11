"""The change feed: ``?updated_since=`` on places (record, names, heritage listings) and on a place's names."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from registry.models import Division, Place, PlaceName
from registry.services.heritage import heritage_listing_create
from registry.services.places import name_record, place_create, place_update


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def places(db):
    division = Division.objects.get(code="340104")
    made = {
        name: place_create(name=name, category="road", division=division)
        for name in ("金寨路", "潜山路", "习友路", "黄山路")
    }
    # Age everything by a day, as if written yesterday.
    yesterday = timezone.now() - dt.timedelta(days=1)
    Place.objects.update(updated_at=yesterday)
    PlaceName.objects.update(updated_at=yesterday)
    return made


def codes(response):
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


def test_only_places_changed_since_are_listed(api, places):
    since = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    assert codes(api.get("/api/v1/places/", {"updated_since": since})) == set()
    place_update(place=places["金寨路"], origin="以金寨县命名。")
    name_record(place=places["潜山路"], name="潜山北路", kind="former", valid_to="1990")
    heritage_listing_create(place=places["习友路"], scheme="other", level="municipal")
    assert codes(api.get("/api/v1/places/", {"updated_since": since})) == {
        places[n].code for n in ("金寨路", "潜山路", "习友路")
    }
    earlier = (timezone.now() - dt.timedelta(days=2)).isoformat()
    assert len(codes(api.get("/api/v1/places/", {"updated_since": earlier}))) == 4


@pytest.mark.parametrize(
    "value", ["2026-03-01T08:00:00+08:00", "2026-03-01T00:00:00Z", "2026-03-01", "2026-03-01T08:00"]
)
def test_iso_forms_are_accepted(api, places, value):
    assert api.get("/api/v1/places/", {"updated_since": value}).status_code == 200


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01", "2026-03-01T25:00", "1" * 41])
def test_bad_values_are_400_naming_the_field(api, db, value):
    response = api.get("/api/v1/places/", {"updated_since": value})
    assert response.status_code == 400 and "updated_since" in response.json()


def test_names_of_a_place_changed_since(api, places):
    place = places["潜山路"]
    since = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    url = f"/api/v1/places/{place.code}/names/"
    assert api.get(url, {"updated_since": since}).json()["count"] == 0
    name_record(place=place, name="潜山北路", kind="former", valid_to="1990")
    assert [n["name"] for n in api.get(url, {"updated_since": since}).json()["results"]] == ["潜山北路"]
    assert api.get(url, {"updated_since": "nope"}).status_code == 400


def test_the_feed_is_in_the_schema(api, db):
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    place_params = {p["name"] for p in schema["paths"]["/api/v1/places/"]["get"]["parameters"]}
    names_params = {p["name"] for p in schema["paths"]["/api/v1/places/{code}/names/"]["get"]["parameters"]}
    assert "updated_since" in place_params and "updated_since" in names_params
