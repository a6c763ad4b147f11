"""The name check's SIMILAR candidates, partitioned by uniqueness scope (issue #18).

A name competes only with the names of its scope (conf ``SCOPES``: the city for roads,
bridges, buildings, residential areas and waters, the province for towns, the county for
villages) and of the categories it is compared with (``COMPARE_WITH``). So instead of one
national index per worker, built from every place on the worker's first check (about
1 s and 29 MB per 100k names, 13M names would be 3.7 GB a worker), the checker asks for
the partition of its (categories, scope prefix): a ``SimilarityIndex`` of the active
places of those categories in that scope, read from the database with one query on first
use and kept in an LRU bounded by ``INDEX_MEMORY_MB`` (the least recently used partitions
are dropped; the one in use is always kept, however large).

Fresh as the national index was (``similarity``): every partition held is at the
``Partitions.revision``. When the ``places`` counter moves, the rows written since are
read once (one query, whatever the number of partitions held) and each is applied to the
partitions it belongs to, or retired from a partition it left (a place moved to another
division or category); partitions not held ignore it and read it when loaded. A write
therefore changes only the partitions of its scope. A larger delta than ``DELTA_LIMIT``
rows (an import) drops every partition instead: each reloads, in one query, on its next
use. This transaction's own rows are pending and scored without being kept, as before.

Answers are the national index's: the candidates within a partition are exactly the
in-scope candidates of the national index, with the same order (rows are read by
revision and primary key, as the national index was built and extended), so ties break
alike. The one difference makes the partition better: the 2,000 candidates per query
(``similarity.CANDIDATES``) are the best of the scope, not the best of the nation cut to
the scope. ``INDEX_PARTITIONED = False`` switches back to the national index (the
benchmark's same-run baseline).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from registry.choices import PlaceStatus
from registry.db_routers import reading_replica
from registry.validation.conf import conf
from registry.validation.similarity import (
    PendingRows,
    SimilarityIndex,
    _indexes,
    frozen_store,
    get_index,
)

COLUMNS = ("pk", "code", "name", "category", "division_id", "status")
DELTA_LIMIT = 20_000
# Bytes per entry and per distinct gram of a partition, calibrated against
# ``SimilarityIndex.memory_bytes`` and RSS on the realistic corpus (benchmarks/national.py).
ENTRY_BYTES, GRAM_BYTES = 300, 190


def _places():
    from registry.models import Place

    return Place.objects


def _after_prefix(prefix: str) -> str:
    """The first code after every code starting with ``prefix`` ("3401" → "3402")."""
    return str(int(prefix) + 1).zfill(len(prefix))


class Partition(SimilarityIndex):
    """The active places of ``categories`` whose division code starts with ``prefix``."""

    def __init__(self, categories: tuple[str, ...] = (), prefix: str = "") -> None:
        super().__init__()
        self.key = (tuple(sorted(categories)), prefix)

    def belongs(self, category: str, division: str | None) -> bool:
        categories, prefix = self.key
        return category in categories and (division or "").startswith(prefix)

    def load(self, revision: int) -> None:
        """Every row of the partition up to ``revision`` (committed), in one query."""
        categories, prefix = self.key
        query = _places().filter(revision__lte=revision, category__in=categories, status=PlaceStatus.ACTIVE)
        if prefix:
            # The range lets the (category, division, code) index answer on PostgreSQL
            # whatever the collation (a LIKE prefix needs a pattern index); LIKE keeps it exact.
            query = query.filter(division_id__gte=prefix, division_id__lt=_after_prefix(prefix))
            query = query.filter(division__code__startswith=prefix)
        for row in query.order_by("revision", "pk").values_list(*COLUMNS).iterator(chunk_size=5000):
            self.add(*row)
        self.revision = revision

    def apply(self, row: tuple) -> None:
        """A row written since the partition's revision: added, updated or retired."""
        pk, _code, _name, category, division, _status = row
        if self.belongs(category, division):
            self.add(*row)
            return
        old = self.by_pk.pop(pk, None)
        if old is not None and self.alive[old]:
            self.alive[old] = 0
            self.sizes[self.categories[old]] -= 1

    def estimate(self) -> int:
        """Bytes held, estimated in constant time (``memory_bytes`` walks every entry)."""
        return len(self.names) * ENTRY_BYTES + len(self.postings) * GRAM_BYTES


class Partitions:
    """The partitions a worker holds, least recently used first, at one revision."""

    def __init__(self) -> None:
        self.revision = -1
        self.held: OrderedDict[tuple, Partition] = OrderedDict()
        self.lock = threading.RLock()
        self.loads = 0  # partitions read from the database (the tests and the benchmark count them)

    def rows(self, after: int, upto: int | None = None):
        """(pk, code, name, category, division, status) of places written after revision ``after``."""
        query = _places().filter(revision__gt=after)
        if upto is not None:
            query = query.filter(revision__lte=upto)
        return query.order_by("revision", "pk").values_list(*COLUMNS)

    def refresh(self, revision: int) -> None:
        """Bring every partition held up to ``revision`` (committed), with one query."""
        if revision == self.revision:
            return
        with self.lock:
            if revision < self.revision:
                if reading_replica():
                    return  # a replica a few writes behind: ahead is not wrong (db_routers)
                self.held.clear()  # the counter went back (a restored database, a rollback)
            elif self.held:
                self._apply(self.rows(self.revision, revision))
            self.revision = revision

    def _apply(self, rows) -> None:
        delta = list(rows[: DELTA_LIMIT + 1])
        if len(delta) > DELTA_LIMIT:
            self.held.clear()  # an import: each partition reloads on its next use
            return
        for partition in self.held.values():
            for row in delta:
                partition.apply(row)

    def get(self, categories: tuple[str, ...], prefix: str) -> Partition:
        """The partition of (categories, prefix) at ``self.revision``, loaded on first use."""
        key = (tuple(sorted(categories)), prefix)
        with self.lock:
            partition = self.held.get(key)
            if partition is None:
                partition = Partition(categories, prefix)
                partition.load(self.revision)
                self.loads += 1
                self.held[key] = partition
            self.held.move_to_end(key)
            self._evict()
            return partition

    def memory_bytes(self) -> int:
        return sum(p.estimate() for p in self.held.values())

    def _evict(self) -> None:
        budget = conf("INDEX_MEMORY_MB") * 2**20
        total = self.memory_bytes()
        while len(self.held) > 1 and total > budget:
            _key, dropped = self.held.popitem(last=False)
            total -= dropped.estimate()


def partitions() -> Partitions:
    """This process's partitions (``similarity.reset_index`` forgets them with the indexes)."""
    held = _indexes.get("partitions")
    if held is None:
        held = _indexes["partitions"] = Partitions()
    return held


def candidate_index(revision: int, categories: tuple[str, ...], prefix: str) -> tuple[SimilarityIndex, list]:
    """The index to ask for a name's SIMILAR candidates, and the rows it may not apply yet.

    As ``similarity.get_index``: outside a writing transaction the partitions are brought
    up to ``revision``; inside one, up to the revision before it, and the rows of the
    transaction's own revision are returned as pending (read once per ``pending_frozen``
    block)."""
    if not conf("INDEX_PARTITIONED"):
        return get_index(revision)
    from registry import freshness

    held = partitions()
    if not freshness.written(freshness.PLACES):
        held.refresh(revision)
        return held.get(categories, prefix), []
    held.refresh(max(revision - 1, 0))
    partition = held.get(categories, prefix)
    frozen = frozen_store()
    if frozen is None:
        return partition, list(held.rows(held.revision))
    key = ("partitions", held.revision)
    if key not in frozen:
        frozen[key] = PendingRows(held.rows(held.revision))
    return partition, frozen[key]
