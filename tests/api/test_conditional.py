"""Conditional requests: ETag and Last-Modified on reads, 304 on a match, Cache-Control, gzip."""

import gzip
import json

import pytest
from rest_framework.test import APIClient

from registry.models import Division
from registry.services.places import place_create, place_rename


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def road(db):
    return place_create(name="金寨路", category="road", division=Division.objects.get(code="340104"))


READS = [
    "/api/v1/places/",
    "/api/v1/places/?category=road&format=geojson",
    "/api/v1/places/ROAD/",
    "/api/v1/places/ROAD/names/",
    "/api/v1/search/?q=jinzhai",
    "/api/v1/heritage/",
    "/api/v1/divisions/",
    "/api/v1/divisions/340104/",
]


@pytest.mark.parametrize("url", READS)
def test_a_read_has_an_etag_and_a_match_is_a_304(api, road, url):
    url = url.replace("ROAD", road.code)
    first = api.get(url)
    assert first.status_code == 200 and first.has_header("ETag")
    again = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    assert api.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


@pytest.mark.parametrize("url", READS[:6])
def test_place_reads_say_when_they_last_changed(api, road, url):
    response = api.get(url.replace("ROAD", road.code))
    assert response.has_header("Last-Modified")
    later = api.get(url.replace("ROAD", road.code), HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert later.status_code == 304


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_changes_the_etag():
    """Outside a test transaction: each write takes its own revision, as in production."""
    api = APIClient()
    road = place_create(name="金寨路", category="road", division=Division.objects.get(code="340104"))
    first = api.get(f"/api/v1/places/{road.code}/")
    place_rename(place=road, new_name="金寨南路", effective="2026-01-01")
    after = api.get(f"/api/v1/places/{road.code}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200 and after.json()["name"] == "金寨南路" and after["ETag"] != first["ETag"]


def test_formats_and_languages_have_their_own_etags(api, road):
    json_tag = api.get("/api/v1/places/")["ETag"]
    assert api.get("/api/v1/places/", {"format": "geojson"})["ETag"] != json_tag
    assert api.get("/api/v1/places/", HTTP_ACCEPT_LANGUAGE="en")["ETag"] != json_tag


def test_the_etag_comes_back_weak_after_gzip_and_still_matches(api, road):
    for name in ("潜山路", "习友路", "望江西路", "黄山路"):
        place_create(name=name, category="road", division=road.division)
    response = api.get("/api/v1/places/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.content))["count"] == 5
    assert api.get("/api/v1/places/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_cache_control_is_public_for_anonymous_reads_and_private_for_staff(api, road, django_user_model):
    response = api.get("/api/v1/places/")
    assert "public" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    assert "Accept" in response["Vary"]
    user = django_user_model.objects.create_user("staff", password="pw-staff-1", is_staff=True)
    api.force_authenticate(user)
    assert "private" in api.get("/api/v1/places/")["Cache-Control"]


def test_errors_and_writes_carry_no_etag(api, road):
    assert not api.get("/api/v1/places/", {"category": "lake"}).has_header("ETag")
    check = api.post(
        "/api/v1/names/check/", {"name": "长江路", "category": "road"}, format="json", HTTP_ACCEPT_ENCODING="gzip"
    )
    assert not check.has_header("ETag") and not check.has_header("Content-Encoding")


def test_admin_and_html_pages_are_not_compressed(client, db):
    for url in ("/admin/login/", "/api/v1/docs/", "/api/v1/divisions/?format=api"):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200 and not response.has_header("Content-Encoding"), url
