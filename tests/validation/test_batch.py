"""validation.batch: comparisons of many names at once, with stored places and incoming rows
as named entries (issue #17 item 3); the same findings as a single check."""

from __future__ import annotations

import pytest

from registry.romanization import romanize
from registry.validation import check_name
from registry.validation.batch import Comparisons, Entry
from registry.validation.lexicon import get_lexicon
from registry.validation.normalize import name_key

DIVISION = "340104"


def _keys(name: str, category: str = "road") -> tuple[str, str]:
    return name_key(name, category), romanize(name, category).key


def place(pk: int, code: str, name: str) -> Entry:
    return Entry.place(pk, code, name, "road", DIVISION, *_keys(name))


def incoming(line: int, name: str, code: str | None = None) -> Entry:
    return Entry.incoming(line, code, name, "road", DIVISION, *_keys(name))


def rules(comparisons: Comparisons, name: str, **itself) -> dict[str, list[str]]:
    findings = comparisons.judge(
        name, "road", division_code=DIVISION, pinyin="", details=None, lexicon=get_lexicon(0), **itself
    )
    return {f.rule: [m.code for m in f.matches] for f in findings}


@pytest.fixture
def batch(db):
    return Comparisons(
        [
            place(1, "340104R00001", "金寨路"),
            place(2, "340104R00002", "金斋路"),
            incoming(7, "金寨路"),
            incoming(9, "天鹅湖路", code="340104R00099"),
        ]
    )


@pytest.mark.parametrize(
    "name, itself, expected",
    [
        # A place is compared with the others, itself left out; an incoming row without a
        # code is named by its line.
        ("金寨路", {"pk": 1}, {"DUPLICATE": ["(line 7)"], "HOMOPHONE": ["340104R00002"]}),
        ("金寨路", {"line": 7}, {"DUPLICATE": ["340104R00001"], "HOMOPHONE": ["340104R00002"]}),
        ("金寨路", {}, {"DUPLICATE": ["(line 7)", "340104R00001"], "HOMOPHONE": ["340104R00002"]}),
        # Line 1 and primary key 1 are different entries: leaving out one keeps the other.
        ("天鹅湖路", {"pk": 9}, {"DUPLICATE": ["340104R00099"]}),
        ("天鹅湖路", {"line": 9}, {}),
        ("天鹅潮路", {}, {"SIMILAR": ["340104R00099"]}),
    ],
)
def test_batch_comparisons(batch, name, itself, expected):
    found = rules(batch, name, **itself)
    assert {rule: sorted(codes) for rule, codes in found.items() if codes} == expected


def test_a_batch_of_the_registry_agrees_with_single_checks(make_place):
    made = [make_place("金寨路"), make_place("金斋路"), make_place("天鹅湖路"), make_place("天鹅潮路")]
    batch = Comparisons(
        Entry.place(p.pk, p.code, p.name, p.category, p.division_id, p.name_key, p.pinyin_key) for p in made
    )
    for p in made:
        single = check_name(p.name, p.category, place=p, pinyin=p.pinyin)
        batched = batch.judge(
            p.name,
            p.category,
            division_code=p.division_id,
            pk=p.pk,
            pinyin=p.pinyin,
            details=p.details,
            lexicon=get_lexicon(0),
        )
        assert [f.as_dict() for f in batched] == [f.as_dict() for f in single.findings], p.name


def _entry(pk: int, name: str, category: str, division: str) -> Entry:
    return Entry.place(pk, f"P{pk}", name, category, division, *_keys(name, category))


SCOPED = [
    _entry(1, "天鹅湖路", "road", "340104"),  # Hefei (city 3401)
    _entry(2, "天鹅湖路", "road", "340202"),  # Wuhu (city 3402): another scope
    _entry(3, "天鹅潮街", "road", "340111"),  # Hefei, one deletion away but another generic: no typo
    _entry(4, "梅花塘村", "village", "340111"),  # villages compete within their county
    _entry(5, "翡翠湖小区", "residential", "340104"),  # buildings compete with residential areas
]


@pytest.mark.parametrize(
    "name, category, division, tested, similar",
    [
        # tested: the spellings the typo test runs on (one deletion apart, in the scope).
        ("天鹅潮路", "road", "340104", ["天鹅湖路", "天鹅潮街"], ["P1"]),
        ("天鹅潮路", "road", "340111", ["天鹅湖路", "天鹅潮街"], ["P1"]),  # the city is the scope, not the county
        ("天鹅潮路", "road", "340202", ["天鹅湖路"], ["P2"]),
        ("天鹅潮路", "road", None, ["天鹅湖路", "天鹅湖路", "天鹅潮街"], ["P1", "P2"]),  # no division: everywhere
        ("梅花池村", "village", "340111", ["梅花塘村"], ["P4"]),
        ("梅花池村", "village", "340104", [], []),
        ("梅花池村", "village", None, ["梅花塘村"], ["P4"]),
        ("翡翠潮小区", "building", "340102", ["翡翠湖小区"], ["P5"]),
        ("翡翠潮小区", "building", "340202", [], []),
    ],
)
def test_similar_names_within_the_scope(db, monkeypatch, name, category, division, tested, similar):
    """SIMILAR compares a name with the spellings of its own scope only: the typo test runs
    on no spelling of another scope (it used to run on the whole batch's, then drop them)."""
    from registry.validation import batch as module

    ran = []
    resembles = module.resembles
    monkeypatch.setattr(module, "resembles", lambda a, b, c: ran.append(b) or resembles(a, b, c))
    findings = Comparisons(SCOPED).judge(
        name, category, division_code=division, pinyin="", details=None, lexicon=get_lexicon(0)
    )
    assert sorted(m.code for f in findings if f.rule == "SIMILAR" for m in f.matches) == similar
    assert sorted(ran) == tested
