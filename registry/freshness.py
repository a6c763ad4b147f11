"""Freshness: how every cache learns that the registry changed, and the registry's write lock.

This module owns the ``Revision`` counters and the only three ideas built on them:

``lock(counter)`` — for writers, inside their transaction. It increments the counter
once per transaction and returns that value, *this transaction's revision* (the importer
stamps its bulk-written rows with it). The UPDATE keeps the counter's row locked until
the transaction ends, so revisions are handed out in commit order: every revision below
the latest committed one is complete, and "rows above the revision I have seen" is exact
whatever the clocks say. Later calls in the same transaction return the same value and
cost no query.

``lock(PLACES)`` is therefore the registry's write lock, not only a counter: while an
import's transaction holds it, every other writer of places would wait for the whole
import. So a transaction's first ``lock`` of a counter an import holds (``places``,
``imports``) asks ``importers.lock`` whether an import is writing and, if so, fails at
once with ``ImportInProgress`` ("try again in N s", issue #12). Writers that must be
judged one after the other (two approvals of one name, two saves of one place) take it
before they read.

``snapshot()`` — for readers: one small query for every counter, and which counters
this transaction wrote (``Snapshot.written``). A cache keyed by a revision may keep what
it read unless this transaction wrote under that counter (``Snapshot.cacheable``): those
rows are not committed and may never be, and a rollback hands the same revision number
out again, so keeping them would serve data that does not exist.

The transaction marker. ``written(counter)`` and the second ``lock`` in a transaction
must know "still the transaction (and savepoint) that took the revision". Each ``lock``
that increments a counter queues a ``_Hold`` with ``transaction.on_commit`` and keeps
only a weak reference to it. Django's documented contract does the rest: on commit it
runs the queued callbacks (the hold closes itself) and drops them; on rollback, and on
the rollback of the savepoint the hold was queued in, it discards them without running
them. Either way the only strong reference goes, the weak one dies (CPython frees an
object as its last reference goes), and the next ``lock`` takes a new revision — exactly
when the database undid (or committed) the increment. No connection internals are read
and nothing is stored on the connection. (An atomic block's identity would not do: a
``@transaction.atomic`` function reuses one ``Atomic`` object for every call. Nor would
``connection.savepoint_ids``: a released savepoint and a rolled-back one leave the same
stack.) A hold lives per thread, as Django's connections do.

Counters: ``places`` — places, their names, heritage listings and divisions (everything
the API's answers, the search and the name check's comparisons read); ``lexicon`` — the
word lists and the allow-list; ``imports`` — import records (one import of a file at a
time decides whether it is a repeat).

Every writer (keep this list when adding one):

- ``services/places.py`` — a name or place saved (the rows stamped), and ``place_update``
  locks before it reads the place.
- ``services/steps.py`` — an approval locks before it judges the name.
- ``services/heritage.py`` — a listing saved (place lists filter by heritage).
- ``services/divisions.py`` — a division saved (its name is in the API's place answers).
- ``importers/places.py`` — the import's bulk writes, stamped with its revision.
- ``importers/records.py`` — ``imports``: held until commit while the record is written.
- ``signals.py`` — ``lexicon``: every word-list or allow-list save or delete.
- ``importers/lock.py`` — not a writer: ``lock`` asks its ``refuse_if_busy``.

Every reader:

- ``validation/__init__.py`` — ``check_name`` reads the lexicon and the index at one
  snapshot, and keeps it as the check's basis (``judged`` compares a later snapshot).
- ``validation/lexicon.py`` — the process's word-list matcher, rebuilt per revision.
- ``validation/similarity.py`` — the candidate indexes, brought up to the revision; this
  transaction's own rows are scored as pending, never kept.
- ``validation/partitions.py`` — the check's candidates by scope: the rows written since
  its revision read once for every partition held, each applied to its own scope.
- ``validation/audit.py`` and ``importers/places.py`` — the lexicon for a batch.
- ``search.py`` — the name index.
- ``api/caching.py`` — cached answers, their ETag and Last-Modified.
- ``api/pagination.py`` — cached counts of place lists.
- ``benchmarks/validator.py``.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F

from registry.models import Revision

PLACES, LEXICON, IMPORTS = "places", "lexicon", "imports"
# The counters whose rows an import's transaction holds: waiting for them would mean
# waiting for the import. Word-list edits take another row and never wait for one.
_HELD_BY_IMPORTS = frozenset({PLACES, IMPORTS})

_local = threading.local()


class _Hold:
    """This transaction's revision of one counter, queued with ``transaction.on_commit``.

    Django keeps the only strong reference (see the module docstring): the hold is
    alive exactly while the transaction, or the savepoint it was queued in, that took
    the revision is open."""

    __slots__ = ("counter", "revision", "open", "__weakref__")

    def __init__(self, counter: str, revision: int):
        self.counter, self.revision, self.open = counter, revision, True

    def __call__(self) -> None:
        # Committed. Django drops the hold next; closing it first keeps a hold that
        # something else still references from passing for the next transaction's.
        self.open = False


def _holds() -> dict[str, weakref.ref]:
    holds = getattr(_local, "holds", None)
    if holds is None:
        holds = _local.holds = {}
    return holds


def _held(counter: str) -> _Hold | None:
    """The hold of ``counter`` taken by the transaction now open, if it took one."""
    ref = _holds().get(counter)
    hold = ref() if ref is not None else None
    if hold is None or not hold.open:
        return None  # the usual case outside a writing transaction: no query, no connection lookup
    return hold if connection.in_atomic_block else None


def lock(counter: str = PLACES) -> int:
    """Lock ``counter`` until this transaction ends and return this transaction's revision of it.

    ``lock()`` (``places``) is the registry's write lock; see the module docstring."""
    if not connection.in_atomic_block:
        with transaction.atomic():
            return lock(counter)
    hold = _held(counter)
    if hold is not None:
        return hold.revision
    if counter in _HELD_BY_IMPORTS:
        from registry.importers.lock import refuse_if_busy

        refuse_if_busy()
    if Revision.objects.filter(name=counter).update(value=F("value") + 1) == 0:
        Revision.objects.get_or_create(name=counter)
        Revision.objects.filter(name=counter).update(value=F("value") + 1)
    hold = _Hold(counter, Revision.objects.values_list("value", flat=True).get(name=counter))
    transaction.on_commit(hold)
    _holds()[counter] = weakref.ref(hold)
    return hold.revision


def written(counter: str = PLACES) -> bool:
    """Whether this transaction wrote what ``counter`` guards (took its revision; not committed yet)."""
    return _held(counter) is not None


@dataclass(frozen=True)
class Snapshot:
    """The counters as a reader saw them, and which of them this transaction wrote."""

    revisions: dict[str, int]
    written: frozenset[str]

    @property
    def places(self) -> int:
        return self.revisions.get(PLACES, 0)

    @property
    def lexicon(self) -> int:
        return self.revisions.get(LEXICON, 0)

    def cacheable(self, *counters: str) -> bool:
        """May what was read under ``counters`` (default: places and lexicon) be kept for
        other transactions? Not when this transaction wrote under one of them."""
        return not self.written.intersection(counters or (PLACES, LEXICON))

    def key(self) -> tuple:
        """Every counter, as a hashable value (what a reused result was judged at)."""
        return tuple(sorted(self.revisions.items()))


def snapshot() -> Snapshot:
    """The counters now (one small query) and this transaction's own writes (none outside one)."""
    revisions = dict(Revision.objects.values_list("name", "value"))
    mine = frozenset(c for c in {PLACES, LEXICON, IMPORTS, *revisions} if _held(c) is not None)
    return Snapshot(revisions, mine)
