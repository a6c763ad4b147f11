"""Search across every name the registry knows: current, former, aliases, historical.

One query string, many ways to match (SPEC.md "REST API"), each with a score (0–100)
and the name that matched:

- Hanzi: exact (100), homophone by toneless pinyin (金斋路 → 金寨路, 92), prefix (长江 →
  长江中路, 80–95) and one-character typos through the candidate index (长江仲路 →
  长江中路, the rapidfuzz ratio);
- Latin letters: full pinyin (changjiangzhonglu, "Jinzhai Lu": 100), pinyin prefix
  (changjiang, 80–95), initials (cjzl: 85, prefix 70–80) and place codes (100).

Hits are merged per place, keeping the best-scoring name. ``as_of`` (a day key) keeps
only the name each place bore that day, by the rule of ``registry.timetravel``. Prefix lookups are range
scans on indexed columns, so they use the index on SQLite and PostgreSQL alike.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from registry.models import Place, PlaceName
from registry.revisions import current
from registry.romanization import normalize_pinyin, romanize
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
    columns = ("place_id", "pk", "name", "kind")
    hits: list[Hit] = []

    def take(query, how: str, score) -> None:
        for place_id, pk, name, kind in query.values_list(*columns)[:PER_WAY]:
            hits.append(Hit(place_id, pk, name, kind, score(name) if callable(score) else score, how))

    if any(is_hanzi(c) for c in q):
        take(names.filter(name=q), "exact", 100.0)
        take(names.filter(name__gt=q, name__lt=q + _TOP), "prefix", lambda n: _prefix_score(len(q), len(n)))
        key = romanize(q).key
        if key:
            take(names.filter(pinyin_key=key).exclude(name=q), "homophone", 92.0)
        index, pending = get_name_index(current().get("places", 0))
        fuzzy = index.candidates(q, tuple(categories or CATEGORIES), limit=PER_WAY, cutoff=60, pending=pending)
        if fuzzy:
            allowed = dict(names.filter(pk__in=[c.pk for c in fuzzy]).values_list("pk", "place_id"))
            kinds = dict(PlaceName.objects.filter(pk__in=list(allowed)).values_list("pk", "kind"))
            hits.extend(Hit(allowed[c.pk], c.pk, c.name, kinds[c.pk], c.score, "fuzzy") for c in fuzzy if c.pk in allowed)
    else:
        key = normalize_pinyin(q)
        if _CODE.match(q):
            for place_id, name in Place.objects.filter(code=q.upper()).values_list("pk", "name"):
                hits.append(Hit(place_id, None, name, "official", 100.0, "code"))
        if key:
            take(names.filter(pinyin_key=key), "pinyin", 100.0)
            take(names.filter(pinyin_key__gt=key, pinyin_key__lt=key + "{"), "pinyin-prefix",
                 lambda n: _prefix_score(len(key), len(romanize(n).key)))
            if len(key) >= 2:
                take(names.filter(initials=key), "initials", 85.0)
                take(names.filter(initials__gt=key, initials__lt=key + "{"), "initials-prefix",
                     lambda n: max(70.0, 80.0 - 2.0 * (len(romanize(n).initials) - len(key))))
    best: dict[int, Hit] = {}
    for hit in hits:
        held = best.get(hit.place_id)
        if held is None or (hit.score, hit.kind == "official") > (held.score, held.kind == "official"):
            best[hit.place_id] = hit
    ranked = sorted(best.values(), key=lambda h: (-h.score, h.kind != "official", h.matched, h.place_id))
    return ranked[:limit]


CATEGORIES = ("road", "water", "bridge", "building", "residential", "town", "village")
