"""A bad or missing token is a 401 with a WWW-Authenticate challenge, never a 403."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def bad_token():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    return client


@pytest.mark.parametrize(
    "url", ["/api/v1/places/", "/api/v1/search/?q=长江", "/api/v1/divisions/340100/", "/api/v1/heritage/"]
)
def test_a_bad_token_on_a_public_read_is_a_401_with_a_challenge(bad_token, db, url):
    response = bad_token.get(url)
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Token")
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "method,url",
    [("get", "/api/v1/proposals/"), ("post", "/api/v1/proposals/"), ("post", "/api/v1/proposals/1/submit/")],
)
def test_no_token_on_a_write_endpoint_is_a_401(db, method, url):
    response = getattr(APIClient(), method)(url, {}, format="json")
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Token")


def test_a_bad_token_on_a_write_endpoint_is_a_401(bad_token, db):
    response = bad_token.post("/api/v1/proposals/", {"action": "name"}, format="json")
    assert response.status_code == 401


def test_a_user_without_the_role_is_a_403(db, django_user_model):
    client = APIClient()
    client.force_authenticate(django_user_model.objects.create_user("visitor", password="pw-visitor-1"))
    assert client.get("/api/v1/proposals/").status_code == 403


def test_the_token_endpoint_ignores_a_stale_token(bad_token, django_user_model):
    django_user_model.objects.create_user("clerk", password="s3cret-pass")
    response = bad_token.post("/api/v1/auth/token/", {"username": "clerk", "password": "s3cret-pass"}, format="json")
    assert response.status_code == 200 and response.json()["token"]


def test_the_token_endpoint_refuses_deep_json(db):
    body = "[" * 50_000 + "]" * 50_000
    response = APIClient().post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400
