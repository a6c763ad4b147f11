"""The candidate index on its own: grams, updates, scope, ranking."""

import numpy as np
import pytest

from registry.validation.similarity import NameIndex, PendingRows, SimilarityIndex, _top_by_count, grams, prefix_range


def test_grams_are_bigrams_and_skip_bigrams():
    assert grams("桂吴花村") == {"桂吴", "吴花", "花村", "桂花", "吴村"}
    assert grams("湖") == {"湖"} and grams("") == set()


@pytest.mark.parametrize("seed", range(5))
def test_top_by_count_keeps_the_highest_counts(seed):
    rng = np.random.default_rng(seed)
    counts = rng.integers(1, 9, size=5000)
    chosen = _top_by_count(counts, 700)
    assert len(chosen) == 700 and len(set(chosen.tolist())) == 700
    assert counts[chosen].min() >= np.sort(counts)[-700]


def test_prefix_range_covers_sub_divisions():
    low, high = prefix_range("3401")
    assert low <= 340104000000 < high and low <= 340181102000 < high and not low <= 340200000000 < high


def build(rows):
    index = SimilarityIndex()
    for pk, name, category, division, status in rows:
        index.add(pk, f"C{pk}", name, category, division, status)
    return index


def test_candidates_rank_by_ratio_within_category_and_scope():
    index = build(
        [
            (1, "长江中路", "road", "340103", "active"),
            (2, "长江西路", "road", "340104", "active"),
            (3, "长江中路", "water", "340103", "active"),
            (4, "长江中街", "road", "340202", "active"),  # 芜湖: another city
            (5, "翡翠路", "road", "340104", "retired"),
        ]
    )
    found = index.candidates("长江仲路", ("road",), scope_prefix="3401", cutoff=50)
    assert [c.pk for c in found] == [1, 2]
    assert found[0].score == pytest.approx(75.0)
    assert index.candidates("翡翠路", ("road",), cutoff=50) == []  # retired places are not compared


def test_an_update_replaces_the_old_entry():
    index = build([(1, "左圣宫巷", "road", "340111", "active")])
    index.add(1, "C1", "庐江路", "road", "340111", "active")
    assert [c.name for c in index.candidates("庐江路", ("road",))] == ["庐江路"]
    assert index.candidates("左圣宫巷", ("road",), cutoff=60) == []
    assert len(index) == 1


def test_pending_rows_override_the_index_and_exclusion_applies():
    index = build([(1, "金寨路", "road", "340104", "active")])
    pending = [(1, "C1", "金寨大道", "road", "340104", "active"), (2, "C2", "金斋路", "road", "340104", "active")]
    found = index.candidates("金寨路", ("road",), cutoff=40, pending=pending, exclude_pk=2)
    assert [(c.pk, c.name) for c in found] == [(1, "金寨大道")]


PENDING = [
    (11, "C11", "金寨南路", "road", "340104", "active"),
    (12, "C12", "金寨北路", "road", "340202", "active"),  # 芜湖: another city
    (13, "C13", "金寨河", "water", "340104", "active"),
    (14, "C14", "金寨东路", "road", "340111", "retired"),
    (15, "C15", "金寨西路", "road", "340103", "active"),
]


@pytest.mark.parametrize(
    "categories, prefix, exclude, kind, expected",
    [
        (("road",), "3401", None, SimilarityIndex, {11, 15}),
        (("road",), "", None, SimilarityIndex, {11, 12, 15}),
        (("road",), "340104", None, SimilarityIndex, {11}),
        (("road", "water"), "3401", None, SimilarityIndex, {11, 13, 15}),
        (("road",), "3401", 15, SimilarityIndex, {11}),
        (("road",), "3401", None, NameIndex, {11, 14, 15}),  # the name index keeps retired places' names
    ],
)
def test_pending_rows_are_selected_by_category_scope_status_and_exclusion(categories, prefix, exclude, kind, expected):
    index = kind()
    for pending in (PENDING, PendingRows(PENDING)):  # a plain list, and a frozen block's rows
        found = index.candidates(
            "金寨路", categories, limit=10, scope_prefix=prefix, exclude_pk=exclude, pending=pending
        )
        assert {c.pk for c in found} == expected
