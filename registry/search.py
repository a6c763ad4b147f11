"""Search across every name the registry knows: current, former, aliases, historical.

One query string, many ways to match (SPEC.md "REST API"), each with a score (0–100)
and the name that matched:

- Hanzi: exact (100; traditional forms such as 長江中路 are converted to simplified with
  OpenCC first), homophone by toneless pinyin (金斋路 → 金寨路, 92), prefix (长江 →
  长江中路, 80–95) and one-character typos through the candidate index (长江仲路 →
  长江中路, the rapidfuzz ratio);
- Latin letters: full pinyin (changjiangzhonglu, "Jinzhai Lu": 100), pinyin prefix
  (changjiang, 80–95), another reading of a local polyphone (zhangfeng → 长丰,
  daxu → 大圩: 95), one common pinyin slip (jinzai lu → 金寨路: 85), initials (cjzl:
  85, prefix 70–80) and place codes (100).

Hits are merged per place, keeping the best-scoring name. ``as_of`` (a day key) keeps
only the name each place bore that day, by the rule of ``registry.timetravel``. Prefix
lookups are range scans on indexed columns, so they use the index on SQLite and
PostgreSQL alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import product
from math import prod

import opencc
from django.db.models import Q
from pypinyin import Style, pinyin

from registry.choices import Category
from registry.models import Place, PlaceName
from registry.freshness import snapshot
from registry.romanization import normalize_pinyin, romanize
from registry.romanization.readings import phrase_readings
from registry.timetravel import names_borne_on
from registry.validation.characters import is_hanzi
from registry.validation.similarity import get_name_index

_CODE = re.compile(r"^[0-9A-Za-z-]{4,32}$")
_TOP = "\U0010ffff"
PER_WAY = 50


@dataclass(frozen=True)
class Hit:
    place_id: int
    name_id: int | None
    matched: str
    kind: str
    score: float
    how: str


def _prefix_score(query_length: int, length: int) -> float:
    return max(80.0, 95.0 - 3.0 * (length - query_length))


def search(q: str, *, limit: int = 50, as_of: int | None = None, categories: list[str] | None = None) -> list[Hit]:
    """Places matching ``q``, best first, at most ``limit``."""
    q = " ".join((q or "").split())
    if not q:
        return []
    names = PlaceName.objects.all()
    if as_of is not None:
        names = names_borne_on(as_of, names)
    if categories:
        names = names.filter(place__category__in=categories)
    hits = _Hits(names)
    if any(is_hanzi(c) for c in q):
        _hanzi_hits(q, hits, categories)
    else:
        _latin_hits(q, hits, as_of)
    return hits.ranked(limit)


class _Hits:
    """The hits of one search, gathered way by way, each way at most PER_WAY names."""

    columns = ("place_id", "pk", "name", "kind")

    def __init__(self, names):
        self.names = names
        self.found: list[Hit] = []

    def take(self, query, how: str, score) -> None:
        for place_id, pk, name, kind in query.values_list(*self.columns)[:PER_WAY]:
            self.found.append(Hit(place_id, pk, name, kind, score(name) if callable(score) else score, how))

    def ranked(self, limit: int) -> list[Hit]:
        """One hit per place (its best-scoring name; the official name on a tie), best first."""
        best: dict[int, Hit] = {}
        for hit in self.found:
            held = best.get(hit.place_id)
            if held is None or (hit.score, hit.kind == "official") > (held.score, held.kind == "official"):
                best[hit.place_id] = hit
        ranked = sorted(best.values(), key=lambda h: (-h.score, h.kind != "official", h.matched, h.place_id))
        return ranked[:limit]


def _hanzi_hits(q: str, hits: _Hits, categories: list[str] | None) -> None:
    names = hits.names
    # Traditional or variant forms (長江中路) are matched as their simplified names.
    simplified = to_simplified(q)
    forms = sorted({q, simplified})
    hits.take(names.filter(name__in=forms), "exact", 100.0)
    q = simplified
    hits.take(names.filter(name__gt=q, name__lt=q + _TOP), "prefix", lambda n: _prefix_score(len(q), len(n)))
    key = romanize(q).key
    if key:
        hits.take(names.filter(pinyin_key=key).exclude(name__in=forms), "homophone", 92.0)
    index, pending = get_name_index(snapshot().places)
    fuzzy = index.candidates(q, tuple(categories or Category.values), limit=PER_WAY, cutoff=60, pending=pending)
    if fuzzy:
        # The candidates this search may show (as_of, categories), with their place and kind: one query.
        allowed = {
            pk: (place_id, kind)
            for pk, place_id, kind in names.filter(pk__in=[c.pk for c in fuzzy]).values_list("pk", "place_id", "kind")
        }
        hits.found.extend(
            Hit(allowed[c.pk][0], c.pk, c.name, allowed[c.pk][1], c.score, "fuzzy") for c in fuzzy if c.pk in allowed
        )


def _latin_hits(q: str, hits: _Hits, as_of: int | None) -> None:
    names = hits.names
    key = normalize_pinyin(q)
    if _CODE.match(q):
        places = Place.objects.filter(code=q.upper())
        if as_of is not None:
            places = places.filter(pk__in=names.values("place_id"))
        for place_id, name in places.values_list("pk", "name"):
            hits.found.append(Hit(place_id, None, name, "official", 100.0, "code"))
    if not key:
        return
    hits.take(names.filter(pinyin_key=key), "pinyin", 100.0)
    hits.take(
        names.filter(pinyin_key__gt=key, pinyin_key__lt=key + "{"),
        "pinyin-prefix",
        lambda n: _prefix_score(len(key), len(romanize(n).key)),
    )
    # Another reading of a local polyphone (zhangfeng for 长丰, daxu for 大圩): what
    # users type when they do not know the place-name reading.
    for variant in sorted(reading_variants(key))[:PER_WAY]:
        hits.take(names.filter(pinyin_key=variant), "pinyin-reading", 95.0)
        hits.take(
            names.filter(pinyin_key__gt=variant, pinyin_key__lt=variant + "{"),
            "pinyin-reading",
            lambda n, v=variant: _prefix_score(len(v), len(romanize(n).key)) - 5.0,
        )
    if len(key) >= 4:
        _typo_hits(key, hits)
    if len(key) >= 2:
        hits.take(names.filter(initials=key), "initials", 85.0)
        hits.take(
            names.filter(initials__gt=key, initials__lt=key + "{"),
            "initials-prefix",
            lambda n: max(70.0, 80.0 - 2.0 * (len(romanize(n).initials) - len(key))),
        )


def _typo_hits(key: str, hits: _Hits) -> None:
    typos = typo_variants(key) - {key}
    if not typos:
        return
    hits.take(hits.names.filter(pinyin_key__in=sorted(typos)), "pinyin-typo", 85.0)
    if not hits.found:  # a slip in a prefix (chanjiang): one query, a range per key
        ranges = Q()
        for typo in sorted(typos):
            ranges |= Q(pinyin_key__gt=typo, pinyin_key__lt=typo + "{")
        hits.take(
            hits.names.filter(ranges),
            "pinyin-typo",
            lambda n: max(65.0, _prefix_score(len(key), len(romanize(n).key)) - 15.0),
        )


@cache
def _reading_table() -> dict[str, frozenset[str]]:
    """Other readings of each word in the place-name reading dictionary → its place-name key.

    长丰 is read cháng fēng in place names, but pypinyin (and many users) read 长 zhǎng:
    ``zhangfeng`` → ``{changfeng}``. Built from every reading pypinyin knows for each
    character of the dictionary's words (at most a few dozen combinations a word).
    """
    table: dict[str, set[str]] = {}
    for word, reading in phrase_readings().items():
        local = [syllables[0] for syllables in reading]
        options = []
        for char, own in zip(word, local):
            heard = pinyin(char, style=Style.NORMAL, heteronym=True)[0]
            options.append(sorted({normalize_pinyin(own), *(normalize_pinyin(h) for h in heard)}))
        if prod(len(o) for o in options) > 256:
            continue
        target = "".join(normalize_pinyin(syllable) for syllable in local)
        for combination in product(*options):
            other = "".join(combination)
            if other != target:
                table.setdefault(other, set()).add(target)
    return {other: frozenset(targets) for other, targets in table.items()}


def reading_variants(key: str) -> set[str]:
    """``key`` with one other-reading of a dictionary word replaced by its place-name reading."""
    out = set()
    for other, targets in _reading_table().items():
        start = key.find(other)
        while start != -1:
            for target in targets:
                out.add(key[:start] + target + key[start + len(other) :])
            start = key.find(other, start + 1)
    out.discard(key)
    return out


_CONFUSED = (("z", "zh"), ("c", "ch"), ("s", "sh"), ("n", "l"), ("l", "n"), ("f", "h"), ("h", "f"), ("r", "l"))


def _confused_at(key: str, i: int):
    """``key`` with the initial at ``i`` swapped for the one users confuse it with."""
    for plain, other in _CONFUSED:
        if key.startswith(other, i) and (len(other) > 1 or not key.startswith(other + "h", i)):
            yield key[:i] + plain + key[i + len(other) :]
        if key.startswith(plain, i) and not key.startswith(plain + "h", i):
            yield key[:i] + other + key[i + len(plain) :]


def typo_variants(key: str) -> set[str]:
    """Keys one common pinyin slip away from ``key``.

    The slips users make typing pinyin: z/zh, c/ch, s/sh (flat and retroflex initials,
    jinzai for jinzhai), n/l, f/h, r/l, -n/-ng (jinzai, chanjiang), a letter too many,
    two letters swapped. One slip at a time: a few dozen keys, one indexed IN lookup.
    """
    out = set()
    for i in range(len(key)):
        out.update(_confused_at(key, i))
        if key.startswith("ng", i):
            out.add(key[: i + 1] + key[i + 2 :])
        elif key[i] == "n" and i > 0 and key[i - 1] in "aeiouv":
            out.add(key[: i + 1] + "g" + key[i + 1 :])
        out.add(key[:i] + key[i + 1 :])
        if i + 1 < len(key) and key[i] != key[i + 1]:
            out.add(key[:i] + key[i + 1] + key[i] + key[i + 2 :])
    out.discard(key)
    return {variant for variant in out if len(variant) >= 3}


@cache
def _t2s():
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)
