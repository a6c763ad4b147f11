"""CORS: configured origins may read the API from a browser (GET, HEAD, OPTIONS), never write."""

import pytest
from rest_framework.test import APIClient

ORIGIN = "https://map.example.gov.cn"


@pytest.fixture
def cors(settings):
    settings.CORS_ALLOWED_ORIGINS = [ORIGIN]
    settings.CORS_ALLOW_ALL_ORIGINS = False


def test_a_configured_origin_may_read(cors, db):
    response = APIClient().get("/api/v1/divisions/340100/", HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == ORIGIN
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_a_preflight_for_a_read_is_answered(cors, db):
    response = APIClient().options(
        "/api/v1/places/",
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == ORIGIN
    assert set(response["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_writes_get_no_cors_headers(cors, db):
    preflight = APIClient().options(
        "/api/v1/names/check/", HTTP_ORIGIN=ORIGIN, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert not preflight.has_header("Access-Control-Allow-Origin")
    post = APIClient().post(
        "/api/v1/names/check/", {"name": "长江路", "category": "road"}, format="json", HTTP_ORIGIN=ORIGIN
    )
    assert not post.has_header("Access-Control-Allow-Origin")


def test_other_origins_and_the_admin_get_none(cors, db, client):
    other = APIClient().get("/api/v1/divisions/340100/", HTTP_ORIGIN="https://evil.example.com")
    assert not other.has_header("Access-Control-Allow-Origin")
    assert not client.get("/admin/login/", HTTP_ORIGIN=ORIGIN).has_header("Access-Control-Allow-Origin")


def test_star_allows_any_origin(settings, db):
    settings.CORS_ALLOW_ALL_ORIGINS = True
    response = APIClient().get("/api/v1/divisions/340100/", HTTP_ORIGIN="https://anyone.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_by_default_no_origin_is_allowed(db):
    response = APIClient().get("/api/v1/divisions/340100/", HTTP_ORIGIN=ORIGIN)
    assert not response.has_header("Access-Control-Allow-Origin")
