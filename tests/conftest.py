"""Shared fixtures: divisions from the reference data, and a small place factory."""

from __future__ import annotations

import itertools

import pytest

from registry.models import Division
from registry.services.places import place_create

_counter = itertools.count(1)


@pytest.fixture
def shushan(db) -> Division:
    """蜀山区, loaded by the reference-data migration."""
    return Division.objects.get(code="340104")


@pytest.fixture
def baohe(db) -> Division:
    return Division.objects.get(code="340111")


@pytest.fixture
def make_place(db, shushan):
    """Create a place through the service, with sensible defaults."""

    def make(name: str | None = None, category: str = "road", division: Division | None = None, **kwargs):
        return place_create(
            name=f"测试{next(_counter)}路" if name is None else name,
            category=category,
            division=division or shushan,
            **kwargs,
        )

    return make


@pytest.fixture(autouse=True)
def english_messages():
    """Unit tests read messages in English; admin tests ask for Chinese explicitly."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fresh_throttle_ledger():
    """Each test starts with no client remembered by this process's throttle (the cache is cleared
    or rolled back between tests; the ledger is memory)."""
    from registry.api.throttling import LEDGER

    LEDGER.entries.clear()
    yield
    LEDGER.entries.clear()


@pytest.fixture(autouse=True)
def fresh_similarity_index():
    """Each test starts with an empty in-process index (the database is rolled back between tests)."""
    from registry.validation.similarity import reset_index

    reset_index()
    yield
    reset_index()


def pytest_configure(config):
    """Fast password hashing in tests (PBKDF2's deliberate slowness only slows the suite).

    Production settings relaxed for the suite, each tested on its own in tests/security/:
    the login lock-out (django-axes refuses Django's test-client ``login()``, which
    authenticates without a request, and would lock out tests that log in many times),
    the shared database cache (its queries would count in the query-count tests), and
    collected static files (WhiteNoise finds them in the apps instead; the gunicorn test
    runs collectstatic).
    """
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.STATIC_ROOT = None
    settings.WHITENOISE_USE_FINDERS = settings.WHITENOISE_AUTOREFRESH = True
