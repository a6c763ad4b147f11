"""Freshness (``registry.freshness``): one revision per transaction, in commit order, and a
transaction marker that ends exactly when the database undoes or commits the increment."""

import pytest
from django.db import transaction

from registry import freshness
from registry.freshness import IMPORTS, LEXICON, PLACES, lock, snapshot, written
from registry.models import Revision

transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def value(counter=PLACES) -> int:
    return snapshot().revisions.get(counter, 0)


@transactional
def test_one_revision_per_transaction_and_a_new_one_after_commit():
    with transaction.atomic():
        first = lock("places")
        assert lock("places") == first
    with transaction.atomic():
        assert lock("places") == first + 1


@transactional
def test_a_rolled_back_transaction_gives_its_revision_back():
    start = snapshot().revisions.get("places", 0)
    with pytest.raises(RuntimeError), transaction.atomic():
        lock("places")
        raise RuntimeError
    assert snapshot().revisions.get("places", 0) == start
    with transaction.atomic():
        assert lock("places") == start + 1


@transactional
def test_the_same_decorated_function_gets_a_new_revision_each_call():
    @transaction.atomic
    def write():
        return lock("places")

    assert write() + 1 == write()
    assert Revision.objects.get(name="places").value >= 2


@transactional
def test_the_marker_lives_until_commit():
    start = value()
    with transaction.atomic():
        assert not written(PLACES) and snapshot().cacheable()
        assert lock() == start + 1
        assert written(PLACES) and not written(LEXICON)
        seen = snapshot()
        assert seen.written == {PLACES} and not seen.cacheable() and not seen.cacheable(PLACES)
        assert seen.cacheable(LEXICON)
    assert not written(PLACES) and snapshot().cacheable() and value() == start + 1


@transactional
def test_the_same_decorated_function_after_a_rollback_takes_a_new_revision():
    """One ``Atomic`` object serves every call: the marker is not its identity."""
    start = value()

    @transaction.atomic
    def write(fail: bool):
        taken = lock()
        assert written(PLACES)
        if fail:
            raise RuntimeError
        return taken

    with pytest.raises(RuntimeError):
        write(True)
    assert not written(PLACES) and value() == start
    assert write(False) == start + 1 and value() == start + 1


@transactional
def test_a_savepoint_rolled_back_gives_its_revision_back_and_ends_the_marker():
    start = value()
    with transaction.atomic():
        lock(IMPORTS)
        with pytest.raises(RuntimeError), transaction.atomic():
            assert lock() == start + 1
            assert written(PLACES)
            raise RuntimeError
        # The increment was undone with the savepoint: not written, and the next lock takes it again.
        assert not written(PLACES) and written(IMPORTS)
        assert value() == start
        assert lock() == start + 1
        assert written(PLACES)
    assert value() == start + 1 and not written(PLACES) and not written(IMPORTS)


@transactional
def test_a_savepoint_released_keeps_the_revision_for_the_transaction():
    start = value()
    with transaction.atomic():
        with transaction.atomic():
            taken = lock()
        assert written(PLACES) and lock() == taken == start + 1
        with pytest.raises(RuntimeError), transaction.atomic():
            assert lock() == taken  # taken outside this savepoint: its rollback leaves it
            raise RuntimeError
        assert written(PLACES) and lock() == taken and value() == taken
    assert value() == start + 1


@transactional
def test_outside_a_transaction_nothing_is_pending_and_a_lock_commits_at_once():
    start = value(LEXICON)
    assert lock(LEXICON) == start + 1
    assert not written(LEXICON) and value(LEXICON) == start + 1
    assert lock(LEXICON) == start + 2


def test_the_marker_keeps_nothing_on_the_connection(db):
    from django.db import connections

    before = set(vars(connections["default"]))
    lock()
    assert set(vars(connections["default"])) == before
    assert freshness.written(PLACES)
