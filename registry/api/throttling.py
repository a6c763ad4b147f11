"""Anonymous clients are throttled at ``REGISTRY_ANON_RATE`` (default 120/min), read at request time.

Two things make the rate hold (issue #12):

- **Who the client is.** ``X-Forwarded-For`` is written by whoever sends the request,
  so it is believed only for the proxies the operator declared
  (``REGISTRY_TRUSTED_PROXIES``, DRF's ``NUM_PROXIES``): with 0 the address is
  ``REMOTE_ADDR``; with *n* it is the address the nearest of the *n* proxies saw.
  A client rotating the header therefore stays one client. The login lock-out
  (django-axes) uses the same address (:func:`client_address`).
- **Where the count lives.** In the default cache, which settings make shared by every
  worker process (the database table ``registry_cache`` or Redis): *n* workers do not
  multiply the rate by *n*.

Writing every request's time to a database cache cost each anonymous read six queries and
a write transaction (issue #18: on SQLite the writes of all workers queue on one lock). So
a worker keeps each client's latest accepted requests in its own memory (``Ledger``) and
writes them to the shared count in batches of ``REGISTRY_THROTTLE_SLACK`` × the rate
(default 5 %: 6 of 120/min; a rate under 20 per period is written on every request, as
before), reading the shared count at each batch and at most a second after it last read
it. One worker's count is exact; a client spreading requests over *n* workers may get up
to about *n* × the batch more per period than the rate (12 at 120/min with 2 workers), in
exchange for one read query a request and one write a batch. ``REGISTRY_THROTTLE_SLACK = 0``
writes every request (the exact shared count).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from django.conf import settings
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle


def client_address(request) -> str:
    """The client's address, trusting ``X-Forwarded-For`` only as far as the declared proxies.

    Takes a Django ``HttpRequest`` or a DRF ``Request`` (only ``META`` is read). Same
    rule as DRF's ``BaseThrottle.get_ident`` with ``NUM_PROXIES`` set, so the throttle
    and the lock-out agree on who a client is.
    """
    remote_addr = request.META.get("REMOTE_ADDR") or ""
    num_proxies = api_settings.NUM_PROXIES or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if num_proxies <= 0 or not forwarded:
        return remote_addr
    addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
    if not addresses:
        return remote_addr
    return addresses[-min(num_proxies, len(addresses))]


REREAD_SECONDS = 1.0
MAX_CLIENTS = 10_000


@dataclass
class _Entry:
    shared: list = field(default_factory=list)  # the shared history as last read, newest first
    read_at: float = 0.0
    pending: list = field(default_factory=list)  # accepted here, not yet written, newest first


class Ledger:
    """One worker's memory of its clients' recent requests (bounded: the least recent client
    is written out and forgotten beyond ``MAX_CLIENTS``)."""

    def __init__(self):
        self.entries: OrderedDict[str, _Entry] = OrderedDict()
        # The dictionary's order is changed under a lock (a threaded server); an entry's lists
        # are not: two threads of one client racing may lose a count or two (a request over the rate).
        self.lock = threading.Lock()

    def entry(self, throttle, key: str) -> _Entry:
        evicted = []
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                entry = self.entries[key] = _Entry()
                while len(self.entries) > MAX_CLIENTS:
                    evicted.append(self.entries.popitem(last=False))
            else:
                self.entries.move_to_end(key)
        for old_key, old in evicted:
            if old.pending:
                throttle.write(old_key, old)
        return entry


LEDGER = Ledger()  # per worker process


class RegistryAnonThrottle(AnonRateThrottle):
    ledger = LEDGER

    def get_rate(self):
        return getattr(settings, "REGISTRY_ANON_RATE", "120/min")

    def get_ident(self, request):
        return client_address(request)

    def batch(self) -> int:
        slack = float(getattr(settings, "REGISTRY_THROTTLE_SLACK", 0.05))
        return max(1, int(self.num_requests * slack))

    def write(self, key: str, entry: _Entry) -> None:
        """Add this worker's pending requests to the shared count (read again first)."""
        window = self.timer() - self.duration
        fresh = [t for t in self.cache.get(key, []) if t > window]
        entry.shared = sorted(fresh + [t for t in entry.pending if t > window], reverse=True)[: self.num_requests]
        entry.pending.clear()
        entry.read_at = self.timer()
        self.cache.set(key, entry.shared, self.duration)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        entry = self.ledger.entry(self, self.key)
        if not entry.pending or self.now - entry.read_at > REREAD_SECONDS:  # a batch starts, or a second passed
            entry.shared, entry.read_at = self.cache.get(self.key, []), self.now
        window = self.now - self.duration
        entry.pending[:] = [t for t in entry.pending if t > window]
        self.history = sorted([t for t in entry.shared if t > window] + entry.pending, reverse=True)
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        self.history.insert(0, self.now)
        entry.pending.insert(0, self.now)
        if len(entry.pending) >= self.batch():
            self.write(self.key, entry)
        return True
