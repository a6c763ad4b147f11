"""The anonymous throttle holds: one client stays one client, and the count is shared.

Issue #12: a rotating X-Forwarded-For let 200 requests through a throttled client, and
per-worker memory let 238 of 300 through a nominal 120/min with 2 workers. The real
two-worker server is tested in test_production_server.py; here the rules, in process.
"""

from __future__ import annotations

import pytest
from django.core.cache import caches
from rest_framework.test import APIClient, APIRequestFactory

from registry.api.throttling import RegistryAnonThrottle, client_address

URL = "/api/v1/divisions/340100/"


@pytest.fixture
def throttled(settings, shared_cache):
    settings.REGISTRY_ANON_RATE = "3/min"
    return shared_cache


def test_rotating_x_forwarded_for_does_not_escape_the_throttle(throttled, db):
    api = APIClient()
    statuses = [api.get(URL, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code for i in range(20)]
    assert statuses[:3] == [200, 200, 200] and set(statuses[3:]) == {429}


def test_behind_one_trusted_proxy_the_address_it_saw_is_the_client(throttled, db, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    api = APIClient()
    # The client's own (forged) entries come first; the proxy appends the real address.
    forged = [api.get(URL, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}, 10.0.0.7").status_code for i in range(6)]
    assert forged[:3] == [200, 200, 200] and set(forged[3:]) == {429}
    # Another real client behind the same proxy has its own count.
    assert api.get(URL, HTTP_X_FORWARDED_FOR="10.0.0.8").status_code == 200


@pytest.mark.parametrize(
    "proxies,remote,forwarded,expected",
    [
        (0, "192.0.2.1", None, "192.0.2.1"),
        (0, "192.0.2.1", "198.51.100.9", "192.0.2.1"),  # no proxy declared: the header is ignored
        (1, "192.0.2.1", None, "192.0.2.1"),  # declared but absent: the peer itself
        (1, "192.0.2.1", "10.0.0.7", "10.0.0.7"),
        (1, "192.0.2.1", "198.51.100.9, 10.0.0.7", "10.0.0.7"),  # a forged first entry is not believed
        (2, "192.0.2.1", "198.51.100.9, 10.0.0.7, 10.0.0.1", "10.0.0.7"),
        (2, "192.0.2.1", "10.0.0.7", "10.0.0.7"),  # fewer entries than proxies: the first
        (1, "192.0.2.1", " , ", "192.0.2.1"),  # an empty header: the peer
    ],
)
def test_client_address(settings, proxies, remote, forwarded, expected):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}
    extra = {"REMOTE_ADDR": remote} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {})
    assert client_address(APIRequestFactory().get("/", **extra)) == expected


def test_two_cache_clients_share_one_count(throttled, settings):
    """Two separate cache connections (as two worker processes hold) see one count, kept in the database."""
    first, second = caches.create_connection("default"), caches.create_connection("default")
    assert first is not second

    def throttle(cache):
        t = RegistryAnonThrottle()
        t.cache = cache
        return t

    request = APIRequestFactory().get(URL, REMOTE_ADDR="192.0.2.50")
    from rest_framework.request import Request

    request = Request(request)
    allowed = [throttle(first if i % 2 else second).allow_request(request, None) for i in range(8)]
    assert allowed == [True, True, True] + [False] * 5
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM registry_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any("throttle_anon_192.0.2.50" in key for key in keys), keys
