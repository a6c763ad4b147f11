"""The 1984 place-name spelling rules' own worked examples, as a table.

Source: 中国地名汉语拼音字母拼写规则（汉语地名部分）, [84]中地字第17号 (中国地名委员会、
中国文字改革委员会、国家测绘局, 1984-12-25), read in the public copies listed in
benchmarks/data/validator_generalization/SOURCES.md (P1-P3); the table is
``romanization_1984.tsv`` there. Only its tuning part is a test: the held-out third (by
the benchmark's fixed hash) is measured by ``benchmarks/validator_generalization.py``
and never tuned on.
"""

import csv
import hashlib
from pathlib import Path

import pytest

from registry.romanization import romanize

TABLE = (
    Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "validator_generalization" / "romanization_1984.tsv"
)
with open(TABLE, encoding="utf-8") as fh:
    ROWS = list(csv.DictReader([line for line in fh if not line.startswith("#")], delimiter="\t"))
TUNING = [r for r in ROWS if hashlib.sha1(r["name"].encode("utf-8")).digest()[0] % 3 != 0]

# Not done, and why (strict: the test fails once the rule is implemented, so the mark goes).
NOT_DONE = {
    "王村": "rule 3 joins natural villages; with the generic 村 the registry's village category does not "
    "tell a natural village from an administrative one (三星村 Sanxing Cun)",
    "月亮山种羊场": "rule 14: needs to know that 月亮山 is a place name",
    "北京工人体育馆": "rule 14: needs a word list to cut 北京 from 工人",
}


def test_the_table_covers_the_rules():
    # Rule 10 (capitals) falls wholly in the held-out part; every written form tests it.
    assert {r["rule"] for r in TUNING} >= {"1", "2", "3", "4", "5", "6", "7", "8", "11", "12", "14"}


@pytest.mark.parametrize(
    "row",
    [
        pytest.param(r, marks=pytest.mark.xfail(strict=True, reason=NOT_DONE[r["name"]]))
        if r["name"] in NOT_DONE
        else r
        for r in TUNING
    ],
    ids=[f"rule{r['rule']}-{r['name']}" for r in TUNING],
)
def test_the_rules_worked_examples(row):
    assert romanize(row["name"], row["category"] or None).pinyin == row["expected"]


@pytest.mark.parametrize(
    "name, category, expected",
    [
        ("经五路", "road", "Jing 5 Lu"),  # rule 7: a street ordinal in figures
        ("纬二十路", "road", "Wei 20 Lu"),
        ("三八路", "road", "Sanba Lu"),  # rule 6: a date is no ordinal
        ("八一路", "road", "Bayi Lu"),
        ("十五里河", "water", "Shiwuli He"),  # numerals in a water's name stay pinyin
        ("盆儿胡同", "road", "Penr Hutong"),  # rule 12
        ("猫儿山", None, "Mao'er Shan"),  # 儿 as a full syllable outside street names
        ("潮白新河", "water", "Chaobai Xinhe"),  # rule 2
        ("塘西河", "water", "Tangxi He"),  # a water's direction is its place's
        ("东直门外南后街", "road", "Dongzhimenwai Nanhoujie"),  # two modifiers join, not a third
    ],
)
def test_rules_beyond_their_examples(name, category, expected):
    assert romanize(name, category).pinyin == expected


def test_tone_marks_follow_the_written_syllables():
    assert romanize("经五路", "road").tone_marked == "Jīng 5 Lù"
    assert romanize("盆儿胡同", "road").tone_marked.startswith("Pénr ")
    assert romanize("第九弄", "road").tone_marked == "Dì-9 Lòng"


@pytest.mark.parametrize(
    "name, category, expected",
    [
        # Polyphones from public place-name reading lists (sources in place_readings.tsv: [L1], [L2]).
        ("五里堡", "village", "Wulipu"),
        ("珲春路", "road", "Hunchun Lu"),
        ("崆峒山", None, "Kongtong Shan"),
        ("华阴路", "road", "Huayin Lu"),
        ("浚县", None, "Xun Xian"),
        ("子长路", "road", "Zichang Lu"),
        ("瀑河", "water", "Bao He"),
    ],
)
def test_polyphones_of_the_public_reading_lists(name, category, expected):
    assert romanize(name, category).pinyin == expected
