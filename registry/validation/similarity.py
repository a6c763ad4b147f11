"""The similar-name candidate index: character bigrams + skip-bigrams, then rapidfuzz.

Scanning every name per check is linear (about 0.2 µs a name, 210 ms for a million
names, measured with rapidfuzz's ``process.extract``) and pg_trgm finds under half of the Hanzi near-duplicates, so the
registry keeps, per process, an inverted index from each name's character bigrams and
1-skip-bigrams (桂吴花村 → 桂吴 吴花 花村 桂花 吴村) to the places that contain them.
A query counts shared grams over the postings, keeps the best candidates and scores
only those with ``fuzz.ratio``.

The index is never stale: every write to places takes its transaction's ``places``
revision and stamps the rows with it (``registry.freshness.lock``), and each query first
applies the rows whose revision it has not seen. Places are never deleted, so updates
only add entries or mark old ones dead.

The name check asks a partition of the index per uniqueness scope (``partitions``);
the national indexes here serve the search and the old check (``INDEX_PARTITIONED``).
"""

from __future__ import annotations

import threading
from array import array
from contextlib import contextmanager
from functools import lru_cache
from operator import itemgetter
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from registry.choices import Category, PlaceStatus
from registry.db_routers import reading_replica

CATEGORY_IDS = {c: i for i, c in enumerate(Category.values)}
CANDIDATES = 2000


def grams(text: str) -> set[str]:
    """Bigrams and 1-skip-bigrams of ``text``; a one-character text is its own gram."""
    if len(text) < 2:
        return {text} if text else set()
    out = {text[i : i + 2] for i in range(len(text) - 1)}
    out.update(text[i] + text[i + 2] for i in range(len(text) - 2))
    return out


@lru_cache(maxsize=8192)
def division_number(code: str) -> int:
    """Division codes as comparable 12-digit numbers (340104 → 340104000000)."""
    return int(code.ljust(12, "0")) if code else 0


def prefix_range(prefix: str) -> tuple[int, int]:
    if not prefix:
        return 0, 10**12
    width = 12 - len(prefix)
    return int(prefix) * 10**width, (int(prefix) + 1) * 10**width


@dataclass(frozen=True)
class Candidate:
    pk: int
    code: str
    name: str
    score: float


def _top_by_count(counts: np.ndarray, k: int) -> np.ndarray:
    """Indices of ``k`` entries with the highest counts.

    Counts are small integers (shared grams) with many ties, where ``np.argpartition``
    degrades badly (3–4 ms on 70k entries); a histogram finds the threshold count in
    linear time instead.
    """
    histogram = np.bincount(counts)
    at_least = np.cumsum(histogram[::-1])  # at_least[i]: entries with count >= len - 1 - i
    threshold = len(histogram) - 1 - int(np.searchsorted(at_least, k))
    above = np.flatnonzero(counts > threshold)
    tied = np.flatnonzero(counts == threshold)[: k - above.size]
    return np.concatenate([above, tied])


def _pick(items: list, positions: list[int]) -> list:
    """``[items[p] for p in positions]``, at C speed (``itemgetter``) for the 2,000 candidates."""
    if len(positions) > 1:
        return list(itemgetter(*positions)(items))
    return [items[p] for p in positions]


class PendingRows(list):
    """Rows (pk, code, name, category, division, status) written after an index's revision.

    A ``pending_frozen`` block hands the same rows to a thousand checks: their columns
    are made arrays once, and each check selects its rows with a vector mask instead of
    a Python loop over every row (a round's thousand new places made that n² steps).
    """

    def pks(self) -> set[int]:
        if not hasattr(self, "_pks"):
            self._pks = {row[0] for row in self}
        return self._pks

    def _columns(self, index: SimilarityIndex) -> tuple:
        kind = type(index)
        cached = getattr(self, "_by_kind", None)
        if cached is None:
            cached = self._by_kind = {}
        if kind not in cached:
            cached[kind] = (
                np.array([row[0] for row in self], dtype=np.int64),
                np.array([CATEGORY_IDS.get(row[3], -1) for row in self], dtype=np.int64),
                np.array([division_number(row[4] or "") for row in self], dtype=np.int64),
                np.array([index.live(row[5]) for row in self], dtype=bool),
            )
        return cached[kind]

    def kept(self, index: SimilarityIndex, categories, low: int, high: int, exclude_pk: int | None) -> list[tuple]:
        """(pk, code, name) of the live rows in ``categories`` within [low, high), but ``exclude_pk``, in order."""
        if not self:
            return []
        pks, category_ids, divisions, live = self._columns(index)
        wanted = [CATEGORY_IDS[c] for c in categories if c in CATEGORY_IDS]
        mask = live & np.isin(category_ids, wanted) & (divisions >= low) & (divisions < high)
        if exclude_pk is not None:
            mask &= pks != exclude_pk
        return [(self[i][0], self[i][1], self[i][2]) for i in np.flatnonzero(mask).tolist()]


class SimilarityIndex:
    """Postings per (category, gram); entries are positions in parallel arrays.

    An entry is a row of ``rows()`` (a place here, a place's name in ``NameIndex``); a
    ``Candidate``'s ``pk`` is that row's primary key. Only rows whose status ``live``
    accepts are candidates: the validator compares with active places only.
    """

    def __init__(self) -> None:
        self.revision = -1
        self.pks = array("q")
        self.codes: list[str] = []
        self.names: list[str] = []
        self.categories = bytearray()
        self.alive = bytearray()
        self.divisions = array("q")
        self.by_pk: dict[int, int] = {}
        self.postings: dict[tuple[int, str], array] = {}
        self.sizes = [0] * len(CATEGORY_IDS)
        self.lock = threading.Lock()

    def __len__(self) -> int:
        return sum(self.sizes)

    def live(self, status: str) -> bool:
        """Whether a row of this status is compared with (the validator: active places only)."""
        return status == PlaceStatus.ACTIVE

    # -- building and updating -------------------------------------------------
    def add(self, pk: int, code: str, name: str, category: str, division: str, status: str) -> None:
        old = self.by_pk.get(pk)
        if old is not None:
            if (
                self.names[old] == name
                and self.alive[old] == self.live(status)
                and self.divisions[old] == division_number(division)
            ):
                return
            if self.alive[old]:
                self.alive[old] = 0
                self.sizes[self.categories[old]] -= 1
        if not self.live(status):
            return
        index = len(self.names)
        category_id = CATEGORY_IDS[category]
        self.pks.append(pk)
        self.codes.append(code)
        self.names.append(name)
        self.categories.append(category_id)
        self.alive.append(1)
        self.divisions.append(division_number(division))
        self.by_pk[pk] = index
        self.sizes[category_id] += 1
        for gram in grams(name):
            key = (category_id, gram)
            posting = self.postings.get(key)
            if posting is None:
                posting = self.postings[key] = array("i")
            posting.append(index)

    def rows(self, after: int, upto: int | None = None):
        """(pk, code, name, category, division, status) of places written after revision ``after``."""
        from registry.models import Place

        query = Place.objects.filter(revision__gt=after)
        if upto is not None:
            query = query.filter(revision__lte=upto)
        return query.order_by("revision", "pk").values_list("pk", "code", "name", "category", "division_id", "status")

    def refresh(self, revision: int) -> None:
        """Apply every row written up to ``revision`` (which must be committed)."""
        if revision == self.revision:
            return
        with self.lock:
            if revision < self.revision:
                if reading_replica():
                    return  # a replica a few writes behind: the index is ahead, not wrong (db_routers)
                # The counter went back (a restored database, a test rollback): start afresh.
                self.__init__()
            if revision <= self.revision:
                return
            for row in self.rows(self.revision, revision).iterator(chunk_size=5000):
                self.add(*row)
            self.revision = revision

    # -- querying --------------------------------------------------------------
    def candidates(
        self,
        name: str,
        categories: tuple[str, ...],
        *,
        limit: int = 10,
        scope_prefix: str = "",
        exclude_pk: int | None = None,
        cutoff: float = 0,
        pending: list[tuple] = (),
    ) -> list[Candidate]:
        """The ``limit`` best-scoring live entries in ``categories`` within the scope.

        ``pending`` rows (pk, code, name, category, division, status) are rows written
        after the index's revision, e.g. by the current transaction: they are scored
        directly and override what the index holds for the same primary keys.
        """
        low, high = prefix_range(scope_prefix)
        pending = pending if isinstance(pending, PendingRows) else PendingRows(pending)
        masked = pending.pks() | ({exclude_pk} if exclude_pk is not None else set())
        positions = self._positions(name, categories, low, high, masked)
        extra = pending.kept(self, categories, low, high, exclude_pk)
        names = _pick(self.names, positions) + [row[2] for row in extra]
        if not names:
            return []
        best = process.extract(name, names, scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff)
        return [
            Candidate(self.pks[positions[i]], self.codes[positions[i]], other, score)
            if i < len(positions)
            else Candidate(*extra[i - len(positions)], score)
            for other, score, i in best
        ]

    def _positions(self, name: str, categories: tuple[str, ...], low: int, high: int, masked: set[int]) -> list[int]:
        """Index positions of live candidates sharing grams with ``name``, in scope, not masked."""
        positions = self._gram_candidates(name, categories)
        if not positions.size:
            return []
        alive = np.frombuffer(self.alive, dtype=np.uint8)[positions].astype(bool)
        divisions = np.frombuffer(self.divisions, dtype=np.int64)[positions]
        keep = alive & (divisions >= low) & (divisions < high)
        if masked:  # a masked place's entries: its live one, and old ones already dead
            keep &= ~np.isin(np.frombuffer(self.pks, dtype=np.int64)[positions], list(masked))
        return positions[keep].tolist()

    def _posting_lists(self, name: str, categories: tuple[str, ...]) -> list[np.ndarray]:
        lists = []
        for category in categories:
            category_id = CATEGORY_IDS[category]
            lists.extend(p for g in grams(name) if (p := self.postings.get((category_id, g))) is not None)
        return [np.frombuffer(p, dtype=np.int32) for p in lists]

    def _gram_candidates(self, name: str, categories: tuple[str, ...]) -> np.ndarray:
        lists = self._posting_lists(name, categories)
        if not lists:
            return np.empty(0, dtype=np.int32)
        merged = np.concatenate(lists)
        if merged.size <= CANDIDATES:
            return np.unique(merged)
        positions, counts = np.unique(merged, return_counts=True)
        if positions.size <= CANDIDATES:
            return positions
        return positions[_top_by_count(counts, CANDIDATES)]

    def memory_bytes(self) -> int:
        """Approximate memory held by the index (postings, arrays, names)."""
        import sys

        total = sum(p.buffer_info()[1] * p.itemsize + 64 for p in self.postings.values())
        total += len(self.postings) * 100  # dict slots and key tuples
        total += sum(sys.getsizeof(n) for n in self.names) + sum(sys.getsizeof(c) for c in self.codes)
        total += len(self.names) * (8 + 1 + 1 + 8) + len(self.by_pk) * 100
        return total


class NameIndex(SimilarityIndex):
    """Every name of every place (current, former, aliases, historical), for search.

    Entries are PlaceName rows: a candidate's ``pk`` is the name's, ``code`` its place's.
    Every status is live: a retired road's names are still history worth finding.
    """

    def live(self, status: str) -> bool:
        return True

    def rows(self, after: int, upto: int | None = None):
        from registry.models import PlaceName

        query = PlaceName.objects.filter(revision__gt=after)
        if upto is not None:
            query = query.filter(revision__lte=upto)
        return query.order_by("revision", "pk").values_list(
            "pk", "place__code", "name", "place__category", "place__division_id", "place__status"
        )


_indexes: dict[str, SimilarityIndex] = {}
_local = threading.local()


@contextmanager
def pending_frozen():
    """Within the block, read this transaction's pending rows once per index, not once per check.

    For a caller that checks many names after its writes and writes no place or name in
    the block (a round's approval judging its items, or recording the findings of the
    places it wrote): re-reading the transaction's own rows for each check made a round
    of n items cost n² rows read (the profile of ``benchmarks/rounds.py``).
    """
    outer = getattr(_local, "frozen", None)
    _local.frozen = {} if outer is None else outer
    try:
        yield
    finally:
        _local.frozen = outer


def frozen_store() -> dict | None:
    """The open ``pending_frozen`` block's store (None outside one): what its checks read once."""
    return getattr(_local, "frozen", None)


def frozen_snapshot():
    """``freshness.snapshot()``, read once per ``pending_frozen`` block (a query per check outside one).

    The block's caller writes nothing in it and holds the registry's write lock, so the
    counters it would read for each of a thousand checks are the ones it read first."""
    from registry import freshness

    frozen = getattr(_local, "frozen", None)
    if frozen is None:
        return freshness.snapshot()
    if "snapshot" not in frozen:
        frozen["snapshot"] = freshness.snapshot()
    return frozen["snapshot"]


def _fresh(kind: str, factory, revision: int) -> tuple[SimilarityIndex, list[tuple]]:
    """The process's index of ``kind``, and the rows it may not apply yet.

    Outside a transaction the counter's value is committed, so the index is brought up
    to it. Inside one, the last revision may belong to this very transaction (not yet
    committed, maybe never): the index is brought up to the revision before it, and the
    rows of the last revision are returned as pending, to be scored without being kept.
    """
    from registry import freshness

    index = _indexes.get(kind)
    if index is None:
        index = _indexes[kind] = factory()
    # A transaction that has written no place (a proposal being drafted) read a committed
    # revision: nothing of its own is pending, and no query is needed to find that out.
    if not freshness.written(freshness.PLACES):
        index.refresh(revision)
        return index, []
    index.refresh(max(revision - 1, 0))
    frozen = getattr(_local, "frozen", None)
    if frozen is None:
        return index, list(index.rows(index.revision))
    key = (kind, index.revision)
    if key not in frozen:
        frozen[key] = PendingRows(index.rows(index.revision))
    return index, frozen[key]


def get_index(revision: int) -> tuple[SimilarityIndex, list[tuple]]:
    """Current names of places (the validator's SIMILAR candidates)."""
    return _fresh("places", SimilarityIndex, revision)


def get_name_index(revision: int) -> tuple[SimilarityIndex, list[tuple]]:
    """Every name of every place (search)."""
    return _fresh("names", NameIndex, revision)


def reset_index() -> None:
    """Forget the indexes (tests switch databases under them)."""
    _indexes.clear()
