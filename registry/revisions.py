"""Revision counters: how caches in every process learn that the data changed.

A writer calls ``bump("places")`` inside its transaction. The counter row then stays
locked until commit, so revisions are handed out in commit order, and a transaction
takes exactly one revision however many rows it writes (later calls in the same
transaction return the same value). Hence every revision below the latest committed
one is complete, and "rows above the revision I have seen" is exact whatever the
clocks say. Readers call ``current()``: one small query for all counters.

The counter row is thus the registry's write lock: while an import's transaction holds
it, another writer would wait for the whole import. A transaction's first ``bump`` asks
``importers.lock`` whether an import is writing and, if so, fails at once with
``ImportInProgress`` ("try again in N s") instead of waiting (issue #12).
"""
from __future__ import annotations

from django.db import connection, transaction
from django.db.models import F

from registry.models import Revision


def _same_transaction(marker) -> bool:
    # Django drops on-commit callbacks when a transaction (or the savepoint that
    # registered them) rolls back, and runs then drops them on commit: a callback still
    # queued means we are in the transaction that registered it.
    return any(entry[1] is marker for entry in connection.run_on_commit)


def bump(name: str) -> int:
    """This transaction's revision of counter ``name`` (incremented once per transaction)."""
    if not connection.in_atomic_block:
        with transaction.atomic():
            return bump(name)
    taken = getattr(connection, "_registry_revisions", None)
    if taken is not None and _same_transaction(taken[0]) and name in taken[1]:
        return taken[1][name]
    from registry.importers.lock import refuse_if_busy

    refuse_if_busy()
    if Revision.objects.filter(name=name).update(value=F("value") + 1) == 0:
        Revision.objects.get_or_create(name=name)
        Revision.objects.filter(name=name).update(value=F("value") + 1)
    value = Revision.objects.values_list("value", flat=True).get(name=name)
    if taken is None or not _same_transaction(taken[0]):

        def marker() -> None:
            """Queued on commit only to mark this transaction (see _same_transaction)."""

        transaction.on_commit(marker)
        taken = connection._registry_revisions = (marker, {})
    taken[1][name] = value
    return value


def bumped_in_this_transaction(name: str) -> bool:
    """Whether the current transaction took a revision of counter ``name`` (its rows not yet committed)."""
    if not connection.in_atomic_block:
        return False
    taken = getattr(connection, "_registry_revisions", None)
    return taken is not None and _same_transaction(taken[0]) and name in taken[1]


def increment(name: str) -> int:
    """Increment counter ``name`` on every call (for caches rebuilt whole, like the word lists)."""
    with transaction.atomic():
        if Revision.objects.filter(name=name).update(value=F("value") + 1) == 0:
            Revision.objects.create(name=name, value=1)
        _mark_written(name)
        return Revision.objects.values_list("value", flat=True).get(name=name)


def _mark_written(name: str) -> None:
    written = getattr(connection, "_registry_written", None)
    if written is None or not _same_transaction(written[0]):

        def marker() -> None:
            """Queued on commit only to mark this transaction (see _same_transaction)."""

        transaction.on_commit(marker)
        written = connection._registry_written = (marker, set())
    written[1].add(name)


def written_in_this_transaction(name: str) -> bool:
    """Whether the current transaction changed what counter ``name`` guards (not yet committed)."""
    if not connection.in_atomic_block:
        return False
    written = getattr(connection, "_registry_written", None)
    return written is not None and _same_transaction(written[0]) and name in written[1]


def current() -> dict[str, int]:
    return dict(Revision.objects.values_list("name", "value"))
