"""API tests make many anonymous requests from one address: each starts with a fresh throttle."""
import pytest


@pytest.fixture(autouse=True)
def fresh_throttle():
    from django.core.cache import cache

    cache.clear()
    yield
