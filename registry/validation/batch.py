"""Batch comparisons: DUPLICATE, HOMOPHONE and SIMILAR for many names at once, in memory.

What the registry-wide audit and an import's name check share. ``Comparisons`` takes
the names to compare with as ``Entry`` rows (stored places, and the rows of a file
being imported, which have no primary key yet, only a line) and answers the same
questions as the single check's indexed queries (``comparisons``), from groups built
in one pass: DUPLICATE and HOMOPHONE from groups by comparison key and pinyin key,
SIMILAR from a deletion neighbourhood. Two names are within one edit (substitution,
insertion, deletion or adjacent transposition) only if deleting at most one character
from each gives a common string, so grouping every spelling under its one-character
deletions finds all typo-like pairs exactly, without scoring thousands of candidates
per name; the groups are kept per uniqueness scope, so a name meets only the spellings
of its own scope (a city's roads, not the province's). ``Comparisons.judge`` runs every rule on one name, leaving out its own entry;
given the name's location it also compares with the located entries within the radius
across scope borders (``nearby``), from the same key groups.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz

from registry.validation import judge
from registry.validation.comparisons import (
    SCOPE_DIGITS,
    exact_from_rows,
    resembles,
    scope_prefix,
    similar_finding,
)
from registry.validation.conf import conf
from registry.validation.findings import Finding
from registry.validation.lexicon import Lexicon
from registry.validation.nearby import Location, location_of, nearby_from_rows
from registry.validation.normalize import name_key
from registry.validation.similarity import Candidate

__all__ = ["Comparisons", "Entry", "deletions"]


class Entry(NamedTuple):
    """One name a batch compares with: a stored place (``pk``) or an incoming row (``line``).

    ``code`` may be None for an incoming row without one: findings then name it
    "(line N)". ``name_key`` and ``pinyin_key`` are the comparison and sound keys
    (``normalize.name_key``, ``Romanization.key``), as stored on a place. ``longitude`` and
    ``latitude``: its point, if it has one (the radius comparison reads them).
    """

    pk: int | None
    line: int | None
    code: str | None
    name: str
    category: str
    division: str
    name_key: str
    pinyin_key: str
    longitude: float | None = None
    latitude: float | None = None

    @classmethod
    def place(
        cls,
        pk: int,
        code: str,
        name: str,
        category: str,
        division: str,
        key: str,
        sound: str,
        longitude=None,
        latitude=None,
    ) -> Entry:
        return cls(pk, None, code, name, category, division, key, sound, longitude, latitude)

    @classmethod
    def incoming(
        cls,
        line: int,
        code: str | None,
        name: str,
        category: str,
        division: str,
        key: str,
        sound: str,
        longitude=None,
        latitude=None,
    ) -> Entry:
        return cls(None, line, code, name, category, division, key, sound, longitude, latitude)


def _identity(pk: int | None, line: int | None) -> int | None:
    """One integer per entry, as the groups hold it: a place's primary key, or an incoming
    row's line negated (never a primary key). Private to this module."""
    if pk is not None:
        return pk
    return -line if line is not None else None


def deletions(name: str) -> set[str]:
    """The name and every string one character shorter."""
    return {name} | {name[:i] + name[i + 1 :] for i in range(len(name))}


class Comparisons:
    """Entries grouped for comparison: by comparison key, by pinyin key, by spelling (a name
    in a category and a uniqueness scope, ``scope_prefix``), and their distinct spellings
    by one-character deletions.

    Held as columns and sorted hash arrays (numpy) rather than dicts of lists: a million
    places take about 150 MB instead of 1.5 GB, and forked workers share them unchanged.
    A lookup hashes the key, finds its run in the sorted hashes (``searchsorted``) and
    checks each entry found, so a hash collision can never make a false match. The
    deletion groups hold each spelling once, however many places of its scope bear it, so
    the typo test runs once per neighbouring spelling, not once per neighbouring place.
    """

    def __init__(self, entries: Iterable[Entry]):
        self.spellings: list[str] = []  # distinct (category, scope, name), by id
        self.spelling_category: list[str] = []
        ids: dict[tuple[str, str, str], int] = {}
        # array("q"): 8 bytes an item while building, not a Python int object each.
        pks, spelling, key_hashes, key_entries = array("q"), array("i"), array("q"), array("i")
        self.codes, self.categories, self.divisions, self.keys, self.sounds = [], [], [], [], []
        self.locations: dict[int, Location] = {}  # entry number → its point, for located entries only
        self.scopes: dict[str, dict[str, None]] = {}  # category → its entries' scopes (ordered)
        scopes: dict[tuple[str, str], str] = {}  # (category, division) → its scope, one string each
        deletion_hashes, deletion_ids = array("q"), array("i")
        for pk, line, code, name, category, division, key, sound, longitude, latitude in entries:
            if longitude is not None and latitude is not None:
                self.locations[len(self.codes)] = location_of(longitude, latitude)
            pk = _identity(pk, line)
            scope = scopes.get((category, division))
            if scope is None:
                scope = scopes[(category, division)] = scope_prefix(category, division)
                self.scopes.setdefault(category, {})[scope] = None
            sid = ids.get((category, scope, name))
            if sid is None:
                sid = ids[(category, scope, name)] = len(self.spellings)
                self.spellings.append(name)
                self.spelling_category.append(category)
                for variant in deletions(name):
                    deletion_hashes.append(hash((category, scope, variant)))
                    deletion_ids.append(sid)
            pks.append(pk)
            spelling.append(sid)
            self.codes.append(code)  # None for an imported row without one: "(line N)", made when needed
            self.categories.append(category)
            self.divisions.append(division)
            self.keys.append(key)
            self.sounds.append(sound)
            # The comparison key and the sound key in one sorted array: one lookup finds both.
            key_hashes.extend((hash((category, key)), hash((category, sound, _SOUND))))
            key_entries.extend((len(self.codes) - 1, len(self.codes) - 1))
        self.pks = pks  # compact, and indexing gives Python ints
        self.by_key = _SortedRuns(key_hashes, values=key_entries)
        self.by_deletion = _SortedRuns(deletion_hashes, values=deletion_ids)
        self.spelling = spelling
        spelling = np.frombuffer(spelling, dtype=np.int32)
        counts = np.bincount(spelling, minlength=len(self.spellings))
        self.spelling_order = array("i", np.argsort(spelling, kind="stable").astype(np.int32).tobytes())
        self.spelling_start = array("q", np.concatenate(([0], np.cumsum(counts))).astype(np.int64).tobytes())
        # The length of each category's scopes, as they were taken here.
        self.scope_digits = {c: SCOPE_DIGITS[conf("SCOPES").get(c, "city")] for c in self.scopes}

    def code(self, i: int) -> str:
        return self.codes[i] or f"(line {-self.pks[i]})"

    def judge(
        self,
        name: str,
        category: str,
        *,
        division_code: str | None,
        pinyin: str,
        details: dict | None,
        lexicon: Lexicon,
        pk: int | None = None,
        line: int | None = None,
        roman=None,
        location: Location | None = None,
    ) -> list[Finding]:
        """``validation.judge`` of one name against the batch, leaving out itself: the entry
        of place ``pk`` or of incoming row ``line`` (neither: a name not in the batch)."""
        return judge(
            name,
            category,
            division_code=division_code,
            exclude_pk=_identity(pk, line),
            pinyin=pinyin,
            details=details,
            lexicon=lexicon,
            exact=self.exact,
            similar=self.similar,
            roman=roman,
            nearby=self.nearby,
            location=location,
        )

    def _in_scopes(self, category: str, prefix: str) -> list[str]:
        """The scopes of ``category``'s entries that may hold entries within ``prefix``: the one
        ``prefix`` falls in, or, for a prefix shorter than the category's scopes (a check
        without a division), every scope inside it."""
        digits = self.scope_digits.get(category)
        if digits is None:
            return []
        if len(prefix) >= digits:
            return [prefix[:digits]]
        return [scope for scope in self.scopes[category] if scope.startswith(prefix)]

    def similar(self, name: str, category: str, prefix: str, exclude_pk: int | None, reported: set[str]):
        """SIMILAR: the spellings one deletion away within the scope (each compared category's
        scopes that ``prefix`` covers, not the whole batch), scored and kept if typo-like."""
        cutoff = conf("SIMILAR_THRESHOLD")
        compared = conf("COMPARE_WITH").get(category, (category,))
        variants = deletions(name)
        spellings = set(
            self.by_deletion.find(
                *[
                    hash((other, scope, variant))
                    for other in compared
                    for scope in self._in_scopes(other, prefix)
                    for variant in variants
                ]
            )
        )
        scored = []
        for sid in spellings:
            spelling = self.spellings[sid]
            if spelling == name or self.spelling_category[sid] not in compared:
                continue
            score = fuzz.ratio(name, spelling)
            if score < cutoff or not resembles(name, spelling, category):
                continue
            start, end = self.spelling_start[sid], self.spelling_start[sid + 1]
            for i in self.spelling_order[start:end]:
                pk = self.pks[i]
                if pk != exclude_pk and self.divisions[i].startswith(prefix):
                    code = self.code(i)
                    if code not in reported:
                        scored.append((-score, code, pk, spelling))
        scored.sort()
        return similar_finding(
            [Candidate(pk, code, spelling, -score) for score, code, pk, spelling in scored[: conf("MATCH_LIMIT")]]
        )

    def _same_key_or_sound(self, key: str, sound: str, category: str) -> set[int]:
        """Entries (numbers) of the compared categories with comparison key ``key`` or sound ``sound``."""
        compared = conf("COMPARE_WITH").get(category, (category,))
        hashes = [hash((other, key)) for other in compared] + [hash((other, sound, _SOUND)) for other in compared]
        return {
            i
            for i in self.by_key.find(*hashes)
            if (self.keys[i] == key or self.sounds[i] == sound) and self.categories[i] in compared
        }

    def exact(self, name: str, category: str, prefix: str, exclude_pk: int | None, sound: str):
        key = name_key(name, category)
        rows = sorted(
            (self.code(i), self.spellings[self.spelling[i]], self.keys[i], self.sounds[i])
            for i in self._same_key_or_sound(key, sound, category)
            if self.pks[i] != exclude_pk and self.divisions[i].startswith(prefix)
        )
        return exact_from_rows(name, category, prefix, key, sound, rows)

    def nearby(
        self, name: str, category: str, exclude_pk: int | None, sound: str, location: Location, reported: set[str]
    ) -> list[Finding]:
        """The radius comparison (``nearby``) against the located entries, whatever their scope."""
        if not conf("RADIUS_M"):
            return []
        key = name_key(name, category)
        rows = sorted(
            (self.code(i), self.spellings[self.spelling[i]], self.keys[i], self.sounds[i], *self.locations[i])
            for i in self._same_key_or_sound(key, sound, category)
            if self.pks[i] != exclude_pk and i in self.locations
        )
        return nearby_from_rows(name, category, key, sound, location, rows, reported)


class _SortedRuns:
    """Values (entry numbers, or the given ``values``) by a 64-bit hash key, as sorted arrays."""

    def __init__(self, hashes: array, values: array | None = None):
        keys = np.frombuffer(hashes, dtype=np.int64) if len(hashes) else np.zeros(0, dtype=np.int64)
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.values = (
            np.frombuffer(values, dtype=np.int32)[order]
            if values is not None and len(values)
            else order.astype(np.int32)
        )

    def find(self, *keys: int) -> list[int]:
        """The values of every key given (one ``searchsorted`` for all of them)."""
        bounds = []
        for key in keys:  # key's run is [first ≥ key, first ≥ key + 1)
            bounds += (key, key + 1 if key < _MAX_HASH else key)
        edges = self.keys.searchsorted(np.array(bounds, dtype=np.int64)).tolist()
        found: list[int] = []
        for key, start, end in zip(keys, edges[0::2], edges[1::2]):
            end = len(self.keys) if key == _MAX_HASH else end
            if end > start:
                found += self.values[start:end].tolist()
        return found


_MAX_HASH = 2**63 - 1
_SOUND = 1  # tells a sound key's hash from a comparison key's
