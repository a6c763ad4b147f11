"""Public reads from a PostgreSQL streaming replica, everything else from the primary (README "Scaling out").

Only in effect when ``DATABASE_REPLICA_URL`` is set (config/settings.py then adds the
``replica`` alias, this router and ``ReplicaRoutingMiddleware``); without it nothing here
runs and every query goes to ``default`` as before.

Why a replica at all: the public site, the API's lookups and the OGC feeds are almost all
of the traffic and only read. A replica (``pg_basebackup -R``, streaming replication)
serves them from another machine, so the primary keeps its CPU for writes, the name
check's transactions and the staff.

What goes where. The middleware decides once per request; the router applies it to each
query:

- **primary**: no request at all (management commands, the importer, workers, tests);
  every non-safe request (POST, PUT, PATCH, DELETE); ``/admin/``; a staff member signed in
  through the session (the admin's people compare pages with what they just saved);
  anything inside a transaction on the primary (a writer must read what it locks, and
  ``freshness.lock`` returns revisions only the primary has); every model outside the
  registry's own app (sessions, users and permissions, the cache table, django-axes) and
  the registry's API tokens: what authentication and throttling read must be current,
  and it is read before the request's user is known.
- **replica**: the registry's rows for every other GET, HEAD and OPTIONS (anonymous
  visitors, API clients with or without a token, ``/ogc/``) ...
- ... **unless the client wrote recently** (read-your-writes). After every non-safe
  request the middleware reads the primary's WAL position (``pg_current_wal_lsn()``, the
  commit is done by then) and gives it to the client: as a signed cookie (browsers and
  any client that keeps cookies) and, for a token client, in the shared cache under a
  hash of its token (scripts seldom keep cookies). While that position is set, each
  read request asks the replica whether it has replayed it
  (``pg_last_wal_replay_lsn() >= position``, one tiny query); until it has, the
  request reads from the primary. So a client never reads older than its own write,
  and goes back to the replica as soon as the replica caught up (milliseconds on a
  local network). The position is kept ``REGISTRY_REPLICA_PIN_SECONDS`` (default 300):
  a replica further behind than that is an outage to alert on (README), not lag.

Caches stay correct without change. ``registry.freshness.snapshot()`` reads the
``Revision`` counters through this router, i.e. from the same server as the rows the
request then reads, and every per-process cache (``api/caching.py``'s answers and ETags,
``api/pagination.py``'s counts) keeps an entry only for the revision it was read at and
uses it only for an equal revision. A request on a lagging replica sees an older
revision and never a newer answer's entry, and vice versa; a client pinned to the
primary sees a revision at least as new as its write. The candidate indexes
(``validation/similarity.py``) only ever move forward: a replica's older revision leaves
an index that is ahead as it is instead of rebuilding it (``reading_replica``).

``REGISTRY_REPLICA_HEADER`` (benchmarks only) adds ``X-Registry-Read-From`` to each
answer: the aliases its queries were routed to.
"""

from __future__ import annotations

import contextvars
import hashlib
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections

PRIMARY, REPLICA = "default", "replica"
COOKIE = "registry_wal"
_SALT = "registry.db_routers.wal"
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
_LSN = re.compile(r"^[0-9A-F]{1,8}/[0-9A-F]{1,8}$")
# Registry models read while authenticating and throttling, before the user is known.
_PRIMARY_MODELS = frozenset({"apitoken"})


@dataclass
class _Request:
    """One request's routing: where its reads may go, and where they went (for the header)."""

    route: str
    used: set = field(default_factory=set)


_current: contextvars.ContextVar[_Request | None] = contextvars.ContextVar("registry_db_route", default=None)


def pin_seconds() -> int:
    return getattr(settings, "REGISTRY_REPLICA_PIN_SECONDS", 300)


def reading_replica() -> bool:
    """Whether reads of the registry's rows go to the replica now (they may be behind the primary)."""
    state = _current.get()
    return state is not None and state.route == REPLICA and not connections[PRIMARY].in_atomic_block


class ReplicaRouter:
    """Applies the request's route (module docstring); writes and migrations only ever on the primary."""

    def db_for_read(self, model, **hints):
        state = _current.get()
        if state is None:
            return None
        alias = PRIMARY
        meta = model._meta
        if (
            state.route == REPLICA
            and meta.app_label == "registry"
            and meta.model_name not in _PRIMARY_MODELS
            and not connections[PRIMARY].in_atomic_block
        ):
            alias = REPLICA
        state.used.add(alias)
        return alias

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows on both servers

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY  # a replica is read-only; it gets the schema by replication


# --- The client's last write ---------------------------------------------------------
def _token_key(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header.startswith("Token "):
        return None
    return "registry:wal:" + hashlib.sha256(header.encode("utf-8", "replace")).hexdigest()


def pending_lsn(request) -> str | None:
    """The WAL position of this client's latest write, if it is recent (cookie or token)."""
    lsn = request.get_signed_cookie(COOKIE, default=None, salt=_SALT, max_age=pin_seconds())
    key = _token_key(request)
    if key is not None:
        lsn = cache.get(key) or lsn
    return lsn if lsn and _LSN.match(lsn) else None


def primary_lsn() -> str | None:
    try:
        with connections[PRIMARY].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            return cursor.fetchone()[0]
    except DatabaseError:
        return None


def replica_has(lsn: str) -> bool:
    """Has the replica replayed ``lsn``? (A server not in recovery has everything it ever wrote.)
    An unreachable replica has not: the primary answers instead."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT COALESCE(pg_last_wal_replay_lsn(), pg_current_wal_lsn()) >= %s::pg_lsn",
                [lsn],
            )
            return bool(cursor.fetchone()[0])
    except DatabaseError:
        return False


def remember_write(request, response) -> None:
    """Give the client the primary's WAL position after its write (cookie, and per token)."""
    lsn = primary_lsn()
    if lsn is None:
        return
    response.set_signed_cookie(
        COOKIE,
        lsn,
        salt=_SALT,
        max_age=pin_seconds(),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    key = _token_key(request)
    if key is not None:
        cache.set(key, lsn, pin_seconds())


# --- Deciding ----------------------------------------------------------------------------
def _staff_session(request) -> bool:
    # The session's user only (AuthenticationMiddleware runs before): no query without a
    # session cookie, and a token's user is not known yet (DRF authenticates in the view).
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


def decide(request) -> str:
    """The alias this request's registry reads go to (module docstring)."""
    if request.method not in _SAFE or request.path.startswith("/admin/") or _staff_session(request):
        return PRIMARY
    lsn = pending_lsn(request)
    if lsn is not None and not replica_has(lsn):
        return PRIMARY
    return REPLICA


class ReplicaRoutingMiddleware:
    """Sets the request's route for ``ReplicaRouter`` and hands the client its write position."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = _Request(decide(request))
        token = _current.set(state)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if request.method not in _SAFE:
            remember_write(request, response)
        if getattr(settings, "REGISTRY_REPLICA_HEADER", False):
            response["X-Registry-Read-From"] = ",".join(sorted(state.used)) or "none"
        return response
