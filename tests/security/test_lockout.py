"""Brute force is locked out: by user name and by address, for a configured time, logged.

Issue #12: 40 wrong admin passwords in a row were all answered normally, and 300 wrong
token requests were all 400 with the right password still working afterwards.
django-axes now counts failures on the admin login and on POST /api/v1/auth/token/.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

LIMIT = 5
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def clerk(django_user_model):
    return django_user_model.objects.create_user("clerk", password="right-pass-2026", is_staff=True)


def admin_login(client, username, password, **extra):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password}, **extra)


def token_login(api, username, password, **extra):
    return api.post(TOKEN_URL, {"username": username, "password": password}, format="json", **extra)


def end_the_lockout():
    """As if REGISTRY_LOCKOUT_MINUTES had passed."""
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))


def test_the_admin_login_locks_out_after_the_limit(axes_on, clerk, caplog):
    client = Client()
    with caplog.at_level(logging.WARNING, logger="axes"):
        answers = [admin_login(client, "clerk", f"wrong-{i}") for i in range(LIMIT + 3)]
    assert [a.status_code for a in answers[: LIMIT - 1]] == [200] * (LIMIT - 1)  # the form again, with its error
    assert {a.status_code for a in answers[LIMIT - 1 :]} == {429}
    page = answers[-1].content.decode()
    assert "登录失败次数过多" in page and "15 分钟" in page, page
    assert any("Locking out" in r.getMessage() for r in caplog.records)  # the lock-out is logged
    # The right password does not get in while the lock-out lasts …
    assert admin_login(client, "clerk", "right-pass-2026").status_code == 429
    # … and does once it is over.
    end_the_lockout()
    assert admin_login(client, "clerk", "right-pass-2026").status_code == 302


def test_the_token_endpoint_locks_out_with_a_json_429(axes_on, clerk):
    api = APIClient()
    answers = [token_login(api, "clerk", f"wrong-{i}") for i in range(LIMIT + 5)]
    assert [a.status_code for a in answers[: LIMIT - 1]] == [400] * (LIMIT - 1)
    assert {a.status_code for a in answers[LIMIT - 1 :]} == {429}
    locked = answers[-1]
    assert locked["Content-Type"] == "application/json" and int(locked["Retry-After"]) == 15 * 60
    assert "登录失败次数过多" in locked.json()["detail"]
    english = token_login(api, "clerk", "wrong", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 429 and "Too many failed logins" in english.json()["detail"]
    assert token_login(api, "clerk", "right-pass-2026").status_code == 429
    end_the_lockout()
    granted = token_login(api, "clerk", "right-pass-2026")
    assert granted.status_code == 200 and granted.json()["token"]


def test_one_address_trying_many_user_names_is_locked_out(axes_on, clerk):
    api = APIClient()
    for i in range(LIMIT):
        token_login(api, f"guess-{i}", "password", REMOTE_ADDR="192.0.2.10")
    assert token_login(api, "clerk", "right-pass-2026", REMOTE_ADDR="192.0.2.10").status_code == 429
    assert token_login(api, "clerk", "right-pass-2026", REMOTE_ADDR="192.0.2.11").status_code == 200


def test_one_user_name_tried_from_many_addresses_is_locked_out(axes_on, clerk):
    api = APIClient()
    for i in range(LIMIT):
        token_login(api, "clerk", "wrong", REMOTE_ADDR=f"192.0.2.{20 + i}")
    assert token_login(api, "clerk", "right-pass-2026", REMOTE_ADDR="192.0.2.99").status_code == 429


def test_a_success_before_the_limit_starts_the_count_again(axes_on, clerk):
    api = APIClient()
    for _round in range(3):
        for i in range(LIMIT - 1):
            assert token_login(api, "clerk", f"wrong-{i}").status_code == 400
        assert token_login(api, "clerk", "right-pass-2026").status_code == 200


def test_the_limit_and_the_time_are_settings(axes_on, clerk, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=3)
    api = APIClient()
    assert token_login(api, "clerk", "wrong").status_code == 400
    locked = token_login(api, "clerk", "wrong")
    assert locked.status_code == 429 and "3 分钟" in locked.json()["detail"] and locked["Retry-After"] == "180"


def test_rotating_x_forwarded_for_does_not_reset_the_address_count(axes_on, clerk):
    api = APIClient()
    for i in range(LIMIT):
        token_login(api, f"guess-{i}", "password", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
    assert token_login(api, "other", "password", HTTP_X_FORWARDED_FOR="198.51.100.200").status_code == 429
