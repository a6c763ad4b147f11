"""Comparisons with the registry: DUPLICATE, HOMOPHONE and SIMILAR, within the scope.

Scopes follow the 2022 regulation (conf ``SCOPES``): the same built-up area (the city)
for roads, bridges, buildings and residential areas, the province for towns, the county
for villages and communities. A check without a division compares with the whole
registry. Only active places count; the place being renamed is left out.

DUPLICATE and HOMOPHONE are exact lookups on indexed columns (``name_key``,
``pinyin_key``), so they always see the committed data. SIMILAR uses the candidate
index (``similarity``) and keeps only typo-like matches: one character apart, outside a
legitimate series (长江东路/长江西路, 经一路/经二路) and not a derived name
(徽州大道 → 徽州大道桥).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache

from django.db import connection
from rapidfuzz.distance import DamerauLevenshtein

from registry.choices import PlaceStatus
from registry.generics import split_generic
from registry.models import Place
from registry.models.places import MAX_NAME_LENGTH as COMPARABLE_LENGTH
from registry.romanization import romanize
from registry.validation.conf import _dependent_caches, conf
from registry.validation.findings import Finding, Match, finding
from registry.validation.normalize import core_specific, name_key, series
from registry.validation.similarity import SimilarityIndex, frozen_store

SCOPE_DIGITS = {"national": 0, "province": 2, "city": 4, "county": 6}


def scope_prefix(category: str, division_code: str | None) -> str:
    if not division_code:
        return ""
    digits = SCOPE_DIGITS[conf("SCOPES").get(category, "city")]
    return division_code[:digits]


def scope_label(prefix: str) -> str:
    """The uniqueness scope as a message shows it: its division-code prefix."""
    return prefix or "全国/all"


def _matches(rows) -> tuple[Match, ...]:
    return tuple(Match(code, name, 100.0) for code, name in rows)


def exact_findings(
    name: str, category: str, prefix: str, exclude_pk: int | None, pinyin_key: str
) -> tuple[list[Finding], set[str]]:
    """DUPLICATE and HOMOPHONE findings from indexed database lookups, and the codes reported.

    Two single-key selects joined by UNION ALL, each answered from its own composite
    index (name_key / pinyin_key, category, status) on SQLite and PostgreSQL alike, with
    or without table statistics. Written in SQL because the ORM's query building cost
    more than the lookups themselves (the homophone target is under a millisecond).
    """
    key = name_key(name, category)
    categories = tuple(conf("COMPARE_WITH").get(category, (category,)))
    table = connection.ops.quote_name(Place._meta.db_table)
    marks = ", ".join(["%s"] * len(categories))
    where = f"category IN ({marks}) AND status = %s AND division_id LIKE %s"
    params: list = [*categories, PlaceStatus.ACTIVE, prefix + "%"]
    if exclude_pk is not None:
        where += " AND id <> %s"
        params.append(exclude_pk)
    cap = conf("MATCH_LIMIT") * 4
    rows = _prefetched(key, pinyin_key, categories, prefix, exclude_pk, cap)
    if rows is not None:
        return exact_from_rows(name, category, prefix, key, pinyin_key, rows)
    select = f"SELECT code, name, name_key, pinyin_key FROM {table} WHERE {{}} = %s AND {where}"
    sql = f"SELECT * FROM ({select.format('name_key')} LIMIT {cap}) a UNION ALL SELECT * FROM ({select.format('pinyin_key')} LIMIT {cap}) b"
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, *params, pinyin_key, *params])
        found = {row[0]: tuple(row) for row in cursor.fetchall()}
    return exact_from_rows(name, category, prefix, key, pinyin_key, sorted(found.values()))


# The columns ``prefetch_exact`` reads: what ``exact_findings``'s SQL filters on, and returns.
_PREFETCHED = ("id", "code", "name", "name_key", "pinyin_key", "category", "division_id")


def prefetch_exact(names: Iterable[tuple[str, str]]) -> None:
    """Inside ``similarity.pending_frozen()``: the rows ``exact_findings`` looks up, for many names at once.

    For each (clean name, category), the active places with its comparison key or its
    sound key are read in two queries per 500 names, not two lookups a name; a later
    ``exact_findings`` in the block for one of these keys filters them (category, scope,
    the place left out, at most ``cap`` rows per key, by primary key) as its SQL does.
    A key not read here is looked up as usual. The block's caller writes no place in it.
    """
    store = frozen_store()
    if store is None:
        return
    read = store.setdefault("exact", {"keys": set(), "sounds": set(), "by_key": {}, "by_sound": {}})
    keys, sounds = set(), set()
    for name, category in names:
        if not name or len(name) > COMPARABLE_LENGTH:
            continue
        keys.add(name_key(name, category))
        sounds.add(romanize(name, category).key)
    for column, wanted, known, rows_of in (
        ("name_key", keys - read["keys"] - {""}, read["keys"], read["by_key"]),
        ("pinyin_key", sounds - read["sounds"] - {""}, read["sounds"], read["by_sound"]),
    ):
        wanted = sorted(wanted)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            found = Place.objects.filter(status=PlaceStatus.ACTIVE, **{f"{column}__in": chunk})
            for row in found.order_by("pk").values_list(*_PREFETCHED):
                rows_of.setdefault(row[3] if column == "name_key" else row[4], []).append(row)
            known.update(chunk)


def _prefetched(key, pinyin_key, categories, prefix, exclude_pk, cap) -> list | None:
    """``exact_findings``'s rows from ``prefetch_exact``, or None if these keys were not read."""
    store = frozen_store()
    read = store.get("exact") if store is not None else None
    if read is None or key not in read["keys"] or pinyin_key not in read["sounds"]:
        return None

    def kept(rows):
        return [
            row[1:5]
            for row in rows
            if row[5] in categories and (row[6] or "").startswith(prefix) and row[0] != exclude_pk
        ][:cap]

    found = {row[0]: row for row in kept(read["by_key"].get(key, ())) + kept(read["by_sound"].get(pinyin_key, ()))}
    return sorted(found.values())


def exact_from_rows(
    name: str, category: str, prefix: str, key: str, pinyin_key: str, rows: list[tuple[str, str, str, str]]
) -> tuple[list[Finding], set[str]]:
    """Sort (code, name, name_key, pinyin_key) rows into DUPLICATE and HOMOPHONE findings."""
    limit = conf("MATCH_LIMIT")
    same = [(c, n) for c, n, k, _ in rows if n == name]
    variant = [(c, n) for c, n, k, _ in rows if k == key and n != name]
    homophones = [(c, n) for c, n, k, p in rows if p == pinyin_key and k != key]
    findings = []
    label = scope_label(prefix)
    if same:
        findings.append(finding("DUPLICATE", matches=_matches(same[:limit]), scope=label, matches_text=_names(same)))
    if variant:
        findings.append(
            finding(
                "DUPLICATE",
                "DUPLICATE_VARIANT",
                matches=_matches(variant[:limit]),
                scope=label,
                matches_text=_names(variant),
            )
        )
    if homophones:
        findings.append(
            finding(
                "HOMOPHONE", matches=_matches(homophones[:limit]), sound=pinyin_key, matches_text=_names(homophones)
            )
        )
    reported = {c for c, _ in same + variant + homophones}
    return findings, reported


def _names(rows) -> str:
    return "、".join(f"{n}（{c}）" for c, n in rows[:5]) + ("…" if len(rows) > 5 else "")


def is_series(a: str, b: str, category: str) -> bool:
    """Two names of one series: same base, different markers (长江东路/长江西路, 经一路/经二路)."""
    base_a, marker_a = _series_of(a, category)
    base_b, marker_b = _series_of(b, category)
    return base_a == base_b and marker_a != marker_b


@lru_cache(maxsize=65536)
def _series_of(name: str, category: str) -> tuple[str, str]:
    """(base, marker) of a name's core specific."""
    specific, _generic = split_generic(name, category)
    return series(core_specific(specific))


def is_derived(a: str, b: str) -> bool:
    """One name built on the other (徽州大道 → 徽州大道桥, 天鹅湖 → 天鹅湖路)."""
    return a in b or b in a


@lru_cache(maxsize=65536)
def _base(name: str, category: str) -> tuple[str, str]:
    """(base of the specific, generic); a derived specific (长丰路 in 长丰路桥) is cut again."""
    specific, generic = split_generic(name, category)
    inner, inner_generic = split_generic(specific, None)
    if inner_generic and len(inner) >= 2:
        specific = inner
    base, _marker = series(core_specific(specific))
    return base, generic


@lru_cache(maxsize=65536)
def _series_parts(name: str, category: str) -> tuple[str, str, str]:
    """(specific, base, marker) of a name."""
    specific, _generic = split_generic(name, category)
    base, marker = series(specific)
    return specific, base, marker


def _differs_at_series_marker(a: str, b: str, category: str) -> bool:
    """长江仲路 or 长江1路 against 长江东路: the difference sits where a series puts its marker."""
    for this, other in ((a, b), (b, a)):
        specific, base, marker = _series_parts(this, category)
        if (
            marker
            and len(this) == len(other)
            and this[: len(base)] == other[: len(base)]
            and this[len(specific) :] == other[len(specific) :]
        ):
            return True
    return False


def typo_like(a: str, b: str, category: str) -> bool:
    """One character apart, with the same generic, in a base long enough to be one word.

    Two-character bases one character apart are different words (宿州/亳州, 长丰/长江),
    and a different generic (滨湖家园/滨湖惠园) is not a typo.
    """
    if DamerauLevenshtein.distance(a, b) != 1:
        return False
    if _differs_at_series_marker(a, b, category):
        return False
    base_a, generic_a = _base(a, category)
    base_b, generic_b = _base(b, category)
    return generic_a == generic_b and max(len(base_a), len(base_b)) >= conf("SIMILAR_MIN_BASE")


def similar_findings(
    name: str,
    category: str,
    prefix: str,
    exclude_pk: int | None,
    reported: set[str],
    *,
    index: Callable[[tuple[str, ...], str], tuple[SimilarityIndex, list[tuple]]],
) -> list[Finding]:
    """SIMILAR from the candidate index (a single check).

    ``index(categories, prefix)`` is the index of the categories compared with in the
    scope, and the pending rows (``partitions.candidate_index``)."""
    categories = tuple(conf("COMPARE_WITH").get(category, (category,)))
    shared, pending = index(categories, prefix)
    candidates = shared.candidates(
        name,
        categories,
        limit=conf("MATCH_LIMIT") * 5,
        scope_prefix=prefix,
        exclude_pk=exclude_pk,
        cutoff=conf("SIMILAR_THRESHOLD"),
        pending=pending,
    )
    return similar_from_candidates(name, category, candidates, reported)


def resembles(name: str, other: str, category: str) -> bool:
    """``other`` is a typo-like neighbour of ``name``: a SIMILAR match (the scores aside)."""
    return (
        other != name
        and typo_like(name, other, category)
        and not is_series(name, other, category)
        and not is_derived(name, other)
    )


def similar_from_candidates(name: str, category: str, candidates, reported: set[str]) -> list[Finding]:
    """Keep the typo-like candidates (already scored, best first) and make the finding."""
    hits = [c for c in candidates if c.code not in reported and resembles(name, c.name, category)][
        : conf("MATCH_LIMIT")
    ]
    return similar_finding(hits)


def similar_finding(hits) -> list[Finding]:
    """The SIMILAR finding for typo-like matches (scored candidates, best first), if any."""
    if not hits:
        return []
    matches = tuple(Match(c.code, c.name, c.score) for c in hits)
    return [finding("SIMILAR", matches=matches, matches_text="、".join(f"{c.name}（{c.code}）" for c in hits[:5]))]


_dependent_caches.append(_base.cache_clear)
_dependent_caches.append(_series_of.cache_clear)
