"""The optional read replica's routing (registry/db_routers.py), without a real replica.

The middleware runs around a stand-in view that asks the router where a read of a place
would go; the two queries that need servers (the primary's WAL position, the replica's
replay position) are replaced by fakes, so these run on SQLite as on PostgreSQL.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache.backends.locmem import LocMemCache
from django.db import connections, router
from django.http import HttpResponse
from django.test import RequestFactory

from registry import db_routers
from registry.choices import PlaceStatus
from registry.db_routers import COOKIE, PRIMARY, REPLICA, ReplicaRouter, ReplicaRoutingMiddleware
from registry.models import ApiToken, Place
from registry.validation.similarity import SimilarityIndex

factory = RequestFactory()
TOKEN = "Token 0123456789abcdef"


@pytest.fixture
def servers(monkeypatch):
    """A primary whose WAL position the test sets, a replica that has replayed up to ``replayed``."""
    fake = SimpleNamespace(primary="0/3000060", replayed="0/3000000", asked=[])

    def replica_has(lsn):
        fake.asked.append(lsn)
        hi, lo = (int(part, 16) for part in lsn.split("/"))
        rhi, rlo = (int(part, 16) for part in fake.replayed.split("/"))
        return (rhi, rlo) >= (hi, lo)

    monkeypatch.setattr(db_routers, "primary_lsn", lambda: fake.primary)
    monkeypatch.setattr(db_routers, "replica_has", replica_has)
    monkeypatch.setattr(db_routers, "cache", LocMemCache("test-db-routers", {}))
    return fake


def routed(request):
    """Run ``request`` through the middleware; the answer's body says where reads of each model went."""
    seen = {}

    def view(req):
        routing = ReplicaRouter()
        seen["place"] = routing.db_for_read(Place)
        seen["token"] = routing.db_for_read(ApiToken)
        seen["user"] = routing.db_for_read(get_user_model())
        seen["write"] = routing.db_for_write(Place)
        return HttpResponse("ok")

    response = ReplicaRoutingMiddleware(view)(request)
    return seen, response


def carry_cookie(response, request):
    request.COOKIES[COOKIE] = response.cookies[COOKIE].value
    return request


def test_without_a_replica_url_there_is_no_router_and_reads_use_default():
    assert "replica" not in settings.DATABASES
    assert not getattr(settings, "DATABASE_ROUTERS", [])
    assert "registry.db_routers.ReplicaRoutingMiddleware" not in settings.MIDDLEWARE
    assert router.db_for_read(Place) == "default"


def test_outside_a_request_everything_reads_from_the_primary():
    assert ReplicaRouter().db_for_read(Place) is None  # None: Django's default alias


def test_an_anonymous_get_reads_registry_rows_from_the_replica(servers):
    seen, _response = routed(factory.get("/api/v1/places/"))
    assert seen["place"] == REPLICA
    # What authentication, sessions and throttling read stays on the primary, as do writes.
    assert (seen["token"], seen["user"], seen["write"]) == (PRIMARY, PRIMARY, PRIMARY)
    assert servers.asked == []  # no write of its own: the replica is not even asked


def test_a_write_reads_from_the_primary_and_hands_the_client_its_wal_position(servers):
    seen, response = routed(factory.post("/api/v1/proposals/"))
    assert seen["place"] == PRIMARY
    assert COOKIE in response.cookies and response.cookies[COOKIE]["httponly"]
    assert servers.primary in response.cookies[COOKIE].value  # signed, with the position in clear


def test_a_client_with_a_write_the_replica_has_not_replayed_reads_from_the_primary_until_it_has(servers):
    _seen, response = routed(factory.post("/places/1/comment/"))
    seen, _ = routed(carry_cookie(response, factory.get("/places/1/")))
    assert seen["place"] == PRIMARY
    assert servers.asked == [servers.primary]
    servers.replayed = "0/3000060"
    seen, _ = routed(carry_cookie(response, factory.get("/places/1/")))
    assert seen["place"] == REPLICA


def test_a_tampered_position_cookie_is_ignored(servers):
    request = factory.get("/api/v1/places/")
    request.COOKIES[COOKIE] = "FFFFFFFF/FFFFFFFF"
    seen, _ = routed(request)
    assert seen["place"] == REPLICA
    assert servers.asked == []


def test_a_token_client_without_cookies_is_pinned_by_its_token(servers):
    routed(factory.post("/api/v1/proposals/", HTTP_AUTHORIZATION=TOKEN))
    mine, _ = routed(factory.get("/api/v1/proposals/", HTTP_AUTHORIZATION=TOKEN))
    other, _ = routed(factory.get("/api/v1/proposals/", HTTP_AUTHORIZATION="Token another-one"))
    assert mine["place"] == PRIMARY
    assert other["place"] == REPLICA


def test_staff_signed_in_and_the_admin_read_from_the_primary(servers):
    request = factory.get("/places/")
    request.user = SimpleNamespace(is_authenticated=True, is_staff=True)
    assert routed(request)[0]["place"] == PRIMARY
    visitor = factory.get("/places/")
    visitor.user = SimpleNamespace(is_authenticated=True, is_staff=False)
    assert routed(visitor)[0]["place"] == REPLICA
    assert routed(factory.get("/admin/registry/place/"))[0]["place"] == PRIMARY


def test_reads_inside_a_transaction_on_the_primary_stay_on_the_primary(servers, monkeypatch):
    monkeypatch.setattr(connections[PRIMARY], "in_atomic_block", True)
    assert routed(factory.get("/api/v1/places/"))[0]["place"] == PRIMARY


def test_migrations_only_on_the_primary():
    assert ReplicaRouter().allow_migrate(PRIMARY, "registry")
    assert not ReplicaRouter().allow_migrate(REPLICA, "registry")


def test_a_lagging_replicas_older_revision_leaves_the_candidate_index_as_it_is(servers):
    index = SimilarityIndex()
    index.add(1, "P1", "长江路", "road", "340104", PlaceStatus.ACTIVE)
    index.revision = 7

    def view(request):
        index.refresh(6)
        return HttpResponse("ok")

    ReplicaRoutingMiddleware(view)(factory.get("/api/v1/search/"))
    assert index.revision == 7 and index.names == ["长江路"]
