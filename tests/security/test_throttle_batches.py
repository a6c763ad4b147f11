"""The throttle writes the shared count in batches (issue #18, ``registry.api.throttling``):
one worker's count stays exact, several workers may over-admit by at most a batch each, a
rate under 20 is written on every request as before, and the cache is asked far less often."""

from __future__ import annotations

import pytest
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from registry.api import throttling
from registry.api.throttling import Ledger, RegistryAnonThrottle


class CountingCache:
    """A shared cache (one dict, as the database table or Redis is) that counts its calls."""

    def __init__(self):
        self.data, self.gets, self.sets = {}, 0, 0

    def get(self, key, default=None):
        self.gets += 1
        return list(self.data.get(key, default or []))

    def set(self, key, value, timeout=None):
        self.sets += 1
        self.data[key] = list(value)


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def world(settings):
    settings.REGISTRY_ANON_RATE = "120/min"
    return CountingCache(), Clock()


def _worker(cache, clock, ledger):
    def make():
        throttle = RegistryAnonThrottle()
        throttle.cache, throttle.timer, throttle.ledger = cache, clock, ledger
        return throttle

    return make


def _request(address="192.0.2.7"):
    return Request(APIRequestFactory().get("/api/v1/places/", REMOTE_ADDR=address))


def _allowed(workers, count, address="192.0.2.7"):
    request = _request(address)
    return sum(workers[i % len(workers)]().allow_request(request, None) for i in range(count))


def test_one_worker_admits_exactly_the_rate_and_writes_once_a_batch(world):
    cache, clock = world
    assert _allowed([_worker(cache, clock, Ledger())], 130) == 120
    assert cache.sets == 120 // 6  # a batch is 5 % of the rate
    # a read as each batch starts and before its write, and one for each refused request
    # (every request read and wrote before: 130 reads, 120 writes)
    assert cache.gets == 2 * cache.sets + 10


@pytest.mark.parametrize("slack, most", [(0.05, 120 + 2 * 6), (0, 120)])
def test_two_workers_over_admit_by_at_most_a_batch_each(world, settings, slack, most):
    settings.REGISTRY_THROTTLE_SLACK = slack
    cache, clock = world
    workers = [_worker(cache, clock, Ledger()), _worker(cache, clock, Ledger())]
    allowed = _allowed(workers, 300)
    assert 120 <= allowed <= most


def test_a_small_rate_is_written_on_every_request(world, settings):
    settings.REGISTRY_ANON_RATE = "3/min"
    cache, clock = world
    workers = [_worker(cache, clock, Ledger()), _worker(cache, clock, Ledger())]
    assert _allowed(workers, 10) == 3
    assert cache.sets == 3


def test_the_window_moves_on(world):
    cache, clock = world
    worker = _worker(cache, clock, Ledger())
    assert _allowed([worker], 125) == 120
    clock.now += 61
    assert _allowed([worker], 5) == 5


def test_another_worker_sees_what_was_written_after_a_second(world):
    cache, clock = world
    first, second = _worker(cache, clock, Ledger()), _worker(cache, clock, Ledger())
    assert _allowed([first], 120) == 120  # all written: 120 is a whole number of batches
    clock.now += 2
    assert _allowed([second], 5) == 0


def test_a_forgotten_client_is_written_out(world, monkeypatch):
    cache, clock = world
    monkeypatch.setattr(throttling, "MAX_CLIENTS", 3)
    ledger = Ledger()
    worker = _worker(cache, clock, ledger)
    for i in range(5):
        _allowed([worker], 2, address=f"192.0.2.{i}")
    assert len(ledger.entries) == 3
    written = {key: times for key, times in cache.data.items() if times}
    assert len(written) == 2 and all(len(times) == 2 for times in written.values())
