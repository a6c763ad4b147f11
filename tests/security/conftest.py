"""Helpers for the security tests: the documented production environment, a free port."""

from __future__ import annotations

import os
import secrets
import socket
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
EXAMPLE_ENV = ROOT / "config" / "production.env.example"


def production_env(**overrides: str) -> dict[str, str]:
    """The process environment with config/production.env.example applied (a random secret key)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REGISTRY_", "REDIS_"))}
    for line in EXAMPLE_ENV.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip()
    env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    env.update(overrides)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def axes_on(settings):
    """The login lock-out as in production (the suite turns it off, tests/conftest.py)."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    yield settings


@pytest.fixture
def shared_cache(settings, db):
    """The production cache: a table in the database, shared by every process."""
    from django.core.cache import caches
    from django.core.management import call_command

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "registry_cache"}
    }
    call_command("createcachetable", verbosity=0)
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()
