"""The realistic benchmark corpora (benchmarks/corpus.py, issue #18): the properties the
benchmarks' figures rest on, pinned at a small size (no database)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.corpus import (
    CATEGORY_MIX,
    ORDINALS,
    REAL_GENERICS,
    TOWN_SHARE,
    _strip_generic,
    city_sizes,
    divisions,
    national_corpus,
    national_morphemes,
    realistic_corpus,
)
from registry.generics import split_generic
from registry.validation.conf import DEFAULTS

SIZE = 20_000
ANHUI_COUNTIES = {
    row["code"]
    for row in csv.DictReader(open(Path(__file__).resolve().parent.parent / "registry" / "data" / "divisions.csv"))
    if row["level"] == "county"
}


@pytest.fixture(scope="module")
def rows():
    return realistic_corpus(SIZE)


def test_same_seed_same_rows_other_seed_other_rows(rows):
    assert realistic_corpus(SIZE) == rows
    other = realistic_corpus(SIZE, seed=1)
    assert other != rows
    assert len(set(other) & set(rows)) < SIZE // 2


def test_size_is_exact_and_identical_rows_are_under_one_percent(rows):
    assert len(rows) == SIZE
    repeats = SIZE - len(set(rows))
    assert 0 < repeats < SIZE // 100


def _scope(category, division):
    digits = {"city": 4, "province": 2, "county": 6}[DEFAULTS["SCOPES"][category]]
    group = "residential" if category == "building" else category
    return group, division[:digits]


def test_names_are_distinct_within_their_scope_but_for_a_few_legacy_conflicts(rows):
    distinct = set(rows)
    in_scope = Counter((_scope(category, division), name) for name, category, division in distinct)
    conflicts = sum(n - 1 for n in in_scope.values())
    assert conflicts < len(distinct) // 100  # a road name again in another county, real towns (汤池镇)
    across = Counter(name for name, _c, _d in distinct)
    assert sum(1 for n in across.values() if n > 1) > 100  # across scopes names repeat freely


@pytest.mark.parametrize(
    ("category", "low", "high"),
    [
        ("road", 0.34, 0.45),
        ("residential", 0.20, 0.28),
        ("building", 0.11, 0.17),
        ("water", 0.06, 0.10),
        ("bridge", 0.05, 0.09),
        ("village", 0.04, 0.08),
        ("town", TOWN_SHARE * 0.9, TOWN_SHARE * 1.1),
    ],
)
def test_category_mix(rows, category, low, high):
    share = sum(1 for _n, c, _d in rows if c == category) / len(rows)
    assert low <= share <= high, share


def test_every_division_is_a_real_anhui_county_and_every_city_gets_names(rows):
    assert {d for _n, _c, d in rows} <= ANHUI_COUNTIES
    assert {d[:4] for _n, _c, d in rows} == {code[:4] for code in city_sizes(SIZE, "anhui")}


def test_towns_are_real_townships_and_other_names_are_built_of_real_morphemes(rows):
    townships = {t for counties in divisions().values() for *_x, towns in counties for t in towns}
    morphemes = set(national_morphemes()) | {"经", "纬"}
    morphemes |= {
        _strip_generic(n) for counties in divisions().values() for _c, n, _p, ts in counties for n in (n, *ts)
    }
    generic_chars = {g for generics in REAL_GENERICS.values() for g in generics}
    assert all(name in townships for name, category, _d in rows if category == "town")
    generics = Counter()
    unknown = 0
    for name, category, _d in rows:
        if category == "town":
            continue
        specific, generic = split_generic(name, category)
        assert generic, name  # every name has a generic of its category
        generics[generic] += 1
        base = specific.rstrip("东西南北中" + ORDINALS)
        for suffix in generic_chars:  # a bridge after its road or river: 长江路桥, 南淝河桥
            base = base.removesuffix(suffix) if base.removesuffix(suffix) in morphemes else base
        unknown += base not in morphemes and specific not in morphemes
    assert unknown < len(rows) // 100
    assert len(generics) >= 20


def test_series_and_derived_names(rows):
    names = {name for name, _c, _d in rows}
    roads = {name for name, c, _d in rows if c == "road"}
    directions = {n for n in roads if len(n) > 3 and n[-2] in "东西南北中"}
    assert len(directions) > SIZE // 50  # 长江东路, 长江西路
    numbered = {n for n in roads if n[-2] in ORDINALS}
    assert any(n.startswith(("经", "纬")) for n in numbered)
    assert any(n[:-2] + "二" + n[-1] in names for n in numbered if n[-2] == "一")  # 经一路 → 经二路
    bridges = {name for name, c, _d in rows if c == "bridge"}
    assert sum(1 for b in bridges if b.removesuffix("桥") in roads) > len(bridges) // 5  # 长江路桥


def test_national_sizes_have_a_long_tail():
    sizes = sorted(city_sizes(13_000_000).values(), reverse=True)
    assert len(sizes) == 342 and sum(sizes) == 13_000_000
    median = sizes[len(sizes) // 2]
    assert sizes[0] > 5 * median  # a few large
    assert sum(1 for s in sizes if s < median / 2) > 30  # many small
    assert 0.05 < sum(sizes[:10]) / sum(sizes) < 0.2


def test_national_corpus_is_a_stream_over_the_cities():
    rows = list(national_corpus(5_000, seed=3))
    assert len(rows) == 5_000
    assert len({d[:2] for _n, _c, d in rows}) == 31  # every province
    assert rows == list(national_corpus(5_000, seed=3))
    assert set(CATEGORY_MIX) == {c for _n, c, _d in rows}  # towns: 0.3 %, none in a city of 15 names
