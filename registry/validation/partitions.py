"""The name check's SIMILAR candidates, partitioned by uniqueness scope (issue #18).

A name competes only with the names of its scope (conf ``SCOPES``: the city for roads,
bridges, buildings, residential areas and waters, the province for towns, the county for
villages) and of the categories it is compared with (``COMPARE_WITH``). So instead of one
national index per worker, built from every place on the worker's first check (about
1–2 s and 29 MB per 100k names, README; 13M names would be 3.7 GB a worker), the checker asks for
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
use. This transaction's own rows are pending and scored without being kept, as before;
a partition first read from a lagging replica is used once, not kept (``get``).

Answers are the national index's: the candidates within a partition are exactly the
in-scope candidates of the national index, in the order a national index built from
the same database holds them (by revision, then primary key), so ties break alike. The one difference makes the partition better: the 2,000 candidates per query
(``similarity.CANDIDATES``) are the best of the scope, not the best of the nation cut to
the scope. ``INDEX_PARTITIONED = False`` switches back to the national index (the
benchmark's same-run baseline).
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict

import numpy as np

from registry.choices import PlaceStatus
from registry.db_routers import reading_replica
from registry.validation.conf import conf
from registry.validation.similarity import (
    CATEGORY_IDS,
    PendingRows,
    SimilarityIndex,
    _indexes,
    division_number,
    frozen_store,
    get_index,
    grams,
)

COLUMNS = ("pk", "code", "name", "category", "division_id", "status")
DELTA_LIMIT = 20_000
# Bytes per entry beside its code and postings (its name: a str and its list slot; its
# key, division, category and state) and per distinct gram added after the load (a dict
# slot, its key and array). Checked against the RSS growth of building every partition
# of the realistic corpus at 100k names: within a few per cent.
ENTRY_BYTES, GRAM_BYTES = 110, 250


def _places():
    from registry.models import Place

    return Place.objects


def _after_prefix(prefix: str) -> str:
    """The first code after every code starting with ``prefix`` ("3401" → "3402")."""
    return str(int(prefix) + 1).zfill(len(prefix))


def _gram_key(category_id: int, gram: str) -> int:
    """A (category, gram) posting's key as one integer (code points fit in 21 bits)."""
    return category_id << 42 | ord(gram[0]) << 21 | (ord(gram[1]) if len(gram) > 1 else 0)


class Codes:
    """Place codes as one ASCII buffer and end offsets: 18 bytes a code, not 71 as a list
    of ``str`` (a code is read only for the few candidates a check returns)."""

    __slots__ = ("buffer", "ends")

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.ends = array("q")

    def append(self, code: str) -> None:
        self.buffer += code.encode()
        self.ends.append(len(self.buffer))

    def __getitem__(self, position: int) -> str:
        start = self.ends[position - 1] if position else 0
        return self.buffer[start : self.ends[position]].decode()

    def __len__(self) -> int:
        return len(self.ends)

    def nbytes(self) -> int:
        return len(self.buffer) + len(self.ends) * 8


class Partition(SimilarityIndex):
    """The active places of ``categories`` whose division code starts with ``prefix``.

    What ``load`` reads is kept compact: the postings as one sorted array of gram keys
    and one array of positions (4 bytes a posting, where a dict of arrays costs about
    250 bytes a distinct gram), and no primary-key map until a write needs one. Rows
    written later go to the ``SimilarityIndex``'s own dict and map, as before."""

    def __init__(self, categories: tuple[str, ...] = (), prefix: str = "") -> None:
        super().__init__()
        self.key = (tuple(sorted(categories)), prefix)
        self.codes = Codes()
        self.gram_keys = self.starts = self.flat = np.empty(0, dtype=np.int64)

    @property
    def by_pk(self) -> dict[int, int]:
        if self._by_pk is None:
            self._by_pk = dict(zip(self.pks, range(len(self.pks))))
        return self._by_pk

    @by_pk.setter
    def by_pk(self, value: dict[int, int] | None) -> None:
        self._by_pk = value

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
        self.read(query.order_by("revision", "pk").values_list(*COLUMNS[:5]).iterator(5000))
        self.revision = revision

    def read(self, rows) -> None:
        """Add (pk, code, name, category, division) rows of active places, once (``load``)."""
        keys: list[int] = []
        owners: list[int] = []
        names, codes, pks, divisions = self.names, self.codes, self.pks, self.divisions
        for pk, code, name, category, division in rows:
            position, category_id = len(names), CATEGORY_IDS[category]
            pks.append(pk)
            codes.append(code)
            names.append(name)
            divisions.append(division_number(division or ""))
            self.categories.append(category_id)
            self.sizes[category_id] += 1
            for gram in grams(name):
                keys.append(_gram_key(category_id, gram))
                owners.append(position)
        self.alive.extend(b"\x01" * len(names))
        self._freeze(np.array(keys, dtype=np.int64), np.array(owners, dtype=np.int32))
        self.by_pk = None

    def _freeze(self, keys: np.ndarray, owners: np.ndarray) -> None:
        order = np.argsort(keys, kind="stable")  # each posting's positions stay ascending
        ordered = keys[order]
        self.flat = owners[order]
        self.gram_keys, starts = np.unique(ordered, return_index=True)
        self.starts = np.append(starts, ordered.size)

    def _posting_lists(self, name: str, categories: tuple[str, ...]) -> list[np.ndarray]:
        lists = super()._posting_lists(name, categories)
        if self.gram_keys.size:
            text = grams(name)
            wanted = np.array([_gram_key(CATEGORY_IDS[c], g) for c in categories for g in text], dtype=np.int64)
            at = np.minimum(np.searchsorted(self.gram_keys, wanted), self.gram_keys.size - 1)
            starts = self.starts
            lists += [self.flat[starts[i] : starts[i + 1]] for i in at[self.gram_keys[at] == wanted].tolist()]
        return lists

    def apply(self, rows: list[tuple]) -> None:
        """Rows written since the partition's revision: added or updated if they belong
        here, retired if they left (a place moved to another division or category)."""
        mine = [row for row in rows if self.belongs(row[3], row[4])]
        gone = [row[0] for row in rows if not self.belongs(row[3], row[4])]
        if gone and len(self.pks):
            live = np.frombuffer(self.alive, dtype=np.uint8).astype(bool)
            hit = np.flatnonzero(np.isin(np.frombuffer(self.pks, dtype=np.int64), gone) & live)
            for position in hit.tolist():
                self.alive[position] = 0
                self.sizes[self.categories[position]] -= 1
        for row in mine:
            self.add(*row)

    def estimate(self) -> int:
        """Bytes held, estimated in constant time (``memory_bytes`` walks every entry)."""
        arrays = self.flat.nbytes + self.gram_keys.nbytes + self.starts.nbytes
        mapped = len(self._by_pk) * 100 if self._by_pk else 0
        return len(self.names) * ENTRY_BYTES + self.codes.nbytes() + arrays + len(self.postings) * GRAM_BYTES + mapped

    memory_bytes = estimate


class Partitions:
    """The partitions a worker holds, least recently used first, at one revision."""

    def __init__(self) -> None:
        self.revision = -1
        self.held: OrderedDict[tuple, Partition] = OrderedDict()
        self.lock = threading.RLock()
        self.loads = 0  # partitions read from the database (the tests and the benchmark count them)

    # The places written after a revision, (pk, code, name, category, division, status): the
    # national index's own query (COLUMNS are its columns).
    rows = SimilarityIndex.rows

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
            partition.apply(delta)
        self._evict()

    def get(self, categories: tuple[str, ...], prefix: str, seen: int | None = None) -> Partition:
        """The partition of (categories, prefix) at ``self.revision``, loaded on first use.

        ``seen``: the revision the caller read. Below ``self.revision`` (a lagging replica,
        whose rows end there) a partition not held is read and used but not kept: kept, it
        would lack the rows between forever."""
        key = (tuple(sorted(categories)), prefix)
        with self.lock:
            partition = self.held.get(key)
            if partition is None and seen is not None and seen < self.revision:
                partition = Partition(categories, prefix)
                partition.load(seen)
                return partition
            if partition is None:
                partition = Partition(categories, prefix)
                partition.load(self.revision)
                self.loads += 1
                self.held[key] = partition
                self.held.move_to_end(key)
                self._evict()  # a load or a write's rows (``_apply``) may exceed the budget
            else:
                self.held.move_to_end(key)
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
        return held.get(categories, prefix, revision), []
    held.refresh(max(revision - 1, 0))
    partition = held.get(categories, prefix)
    frozen = frozen_store()
    if frozen is None:
        return partition, list(held.rows(held.revision))
    key = ("partitions", held.revision)
    if key not in frozen:
        frozen[key] = PendingRows(held.rows(held.revision))
    return partition, frozen[key]
