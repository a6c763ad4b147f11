"""API tokens expire, are stored hashed, are new at every login and can be revoked.

Issue #12: tokens never expired, were stored in plain text and the same one came back
at every login. The header (``Authorization: Token …``) and the endpoint stay.
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from registry.models import ApiToken
from registry.services.tokens import token_issue, token_revoke

TOKEN_URL = "/api/v1/auth/token/"
PROPOSALS = "/api/v1/proposals/"  # needs an authenticated staff user


@pytest.fixture
def clerk(django_user_model):
    return django_user_model.objects.create_user("clerk", password="right-pass-2026", is_staff=True)


def login(username="clerk", password="right-pass-2026"):
    return APIClient().post(TOKEN_URL, {"username": username, "password": password}, format="json")


def with_token(secret: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return api


def test_each_login_issues_a_new_token_that_expires(clerk):
    first, second = login().json(), login().json()
    assert first["token"] != second["token"]
    expires = parse_datetime(first["expires"])
    assert abs(expires - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    for secret in (first["token"], second["token"]):
        assert with_token(secret).get(PROPOSALS).status_code == 200
    clerk.refresh_from_db()
    assert clerk.last_login is not None  # a token login is a login


def test_only_a_hash_is_stored(clerk):
    secret = login().json()["token"]
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    with connection.cursor() as cursor:
        for table in ("registry_apitoken", "registry_historicalapitoken"):
            cursor.execute(f"SELECT * FROM {table}")
            assert not any(secret in str(value) for row in cursor.fetchall() for value in row), table


def test_an_expired_token_is_refused_with_the_reason(clerk, settings):
    secret = login().json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    refused = with_token(secret).get(PROPOSALS, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 401 and "expired" in refused.json()["detail"]
    assert "令牌已过期" in with_token(secret).get(PROPOSALS).json()["detail"]


def test_the_lifetime_is_a_setting(clerk, settings):
    settings.REGISTRY_TOKEN_DAYS = 2
    expires = parse_datetime(login().json()["expires"])
    assert abs(expires - (timezone.now() + timedelta(days=2))) < timedelta(minutes=1)


def test_a_client_revokes_its_own_token(clerk):
    secret = login().json()["token"]
    other = login().json()["token"]
    api = with_token(secret)
    assert api.delete(TOKEN_URL).status_code == 204
    refused = api.get(PROPOSALS, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    assert with_token(other).get(PROPOSALS).status_code == 200  # the other login's token still works
    assert APIClient().delete(TOKEN_URL).status_code == 401


def test_unknown_tokens_and_bad_logins(clerk):
    assert with_token("not-a-token").get(PROPOSALS).status_code == 401
    assert login(password="wrong").status_code == 400
    assert APIClient().post(TOKEN_URL, {"username": "clerk"}, format="json").status_code == 400
    # A stale token in the header does not stand in the way of logging in again.
    api = with_token("stale")
    assert api.post(TOKEN_URL, {"username": "clerk", "password": "right-pass-2026"}, format="json").status_code == 200


def test_an_inactive_user_cannot_log_in_or_use_a_token(clerk):
    secret = login().json()["token"]
    clerk.is_active = False
    clerk.save()
    assert with_token(secret).get(PROPOSALS).status_code == 401
    assert login().status_code == 400


def test_the_admin_lists_and_revokes_a_users_tokens(clerk, admin_client):
    first, _secret = token_issue(user=clerk, name="测绘院系统")
    second, _secret = token_issue(user=clerk)
    listing = admin_client.get(f"/admin/registry/apitoken/?user__id__exact={clerk.pk}", HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = listing.content.decode()
    assert listing.status_code == 200 and "测绘院系统" in page and "API 登录" in page
    assert "到期时间" in page and "有效" in page and "吊销所选令牌" in page
    response = admin_client.post(
        "/admin/registry/apitoken/", {"action": "revoke_selected", "_selected_action": [first.pk]}
    )
    assert response.status_code == 302
    first.refresh_from_db(), second.refresh_from_db()
    assert first.revoked_at is not None and first.revoked_by.username == "admin" and second.revoked_at is None
    assert first.history.first().history_change_reason == "revoke"


def test_the_users_page_lists_their_tokens_with_a_revoke_box(clerk, admin_client):
    token, _secret = token_issue(user=clerk)
    page = admin_client.get(f"/admin/auth/user/{clerk.pk}/change/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert page.status_code == 200 and "API 令牌" in html and f"{token.prefix}…" in html
    data = {
        "username": "clerk",
        "is_active": "on",
        "is_staff": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "api_tokens-TOTAL_FORMS": "1",
        "api_tokens-INITIAL_FORMS": "1",
        "api_tokens-MIN_NUM_FORMS": "0",
        "api_tokens-MAX_NUM_FORMS": "0",
        "api_tokens-0-id": str(token.pk),
        "api_tokens-0-user": str(clerk.pk),
        "api_tokens-0-revoke": "on",
    }
    response = admin_client.post(f"/admin/auth/user/{clerk.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_admin_issues_a_token_and_shows_it_once(clerk, admin_client):
    response = admin_client.post("/admin/registry/apitoken/add/", {"user": clerk.pk, "name": "地图服务"}, follow=True)
    assert response.status_code == 200
    message = next(
        str(m) for m in response.context["messages"] if "仅显示这一次" in str(m) or "only this once" in str(m)
    )
    secret = re.search(r"[A-Za-z0-9_-]{43}", message).group()
    token = ApiToken.objects.get(name="地图服务")
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert with_token(secret).get(PROPOSALS).status_code == 200


def test_revoking_twice_keeps_the_first_revocation(clerk, admin_user):
    token, _secret = token_issue(user=clerk)
    first = token_revoke(token=token, acting_user=clerk).revoked_at
    assert token_revoke(token=token, acting_user=admin_user).revoked_at == first


def test_the_schema_documents_the_token_and_its_expiry(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()
    token = schema["paths"]["/api/v1/auth/token/"]
    response = token["post"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][response]["properties"]) == {"token", "expires"}
    assert "429" in token["post"]["responses"] and "204" in token["delete"]["responses"]
    assert schema["components"]["securitySchemes"]["tokenAuth"]["type"] in ("apiKey", "http")


def test_old_plain_tokens_are_hashed_by_the_migration(clerk, settings):
    """Migration 0016 hashes rest_framework.authtoken's keys (they keep working, then expire) and drops them."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("registry.migrations.0016_hashed_tokens")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id integer, created timestamp)")
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)",
            ["0123456789abcdef0123456789abcdef01234567", clerk.pk, timezone.now()],
        )
    migration.hash_plain_tokens(apps, SimpleNamespace(connection=connection))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
        cursor.execute("DROP TABLE authtoken_token")
    token = ApiToken.objects.get()
    assert token.prefix == "01234567" and token.expires_at > timezone.now() + timedelta(days=29)
    assert with_token("0123456789abcdef0123456789abcdef01234567").get(PROPOSALS).status_code == 200
