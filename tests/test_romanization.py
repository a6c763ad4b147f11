"""Romanization: the table of Hefei and Anhui names, the derived forms and the keys."""

import csv
from pathlib import Path

import pytest

from registry.romanization import normalize_pinyin, romanize

CASES_FILE = Path(__file__).parent / "data" / "romanization_cases.tsv"
with open(CASES_FILE, encoding="utf-8") as fh:
    CASES = [row for row in csv.DictReader(fh, delimiter="\t")]


def test_the_table_is_large_enough_to_mean_something():
    assert len(CASES) >= 60


@pytest.mark.parametrize(
    "name,category,expected", [(c["name"], c["category"], c["expected"]) for c in CASES], ids=[c["name"] for c in CASES]
)
def test_standard_pinyin_of_real_names(name, category, expected):
    assert romanize(name, category).pinyin == expected


@pytest.mark.parametrize(
    "name,category,expected",
    [
        # SPEC.md's own table.
        ("金寨路", "road", "Jinzhai Lu"),
        ("徽州大道", "road", "Huizhou Dadao"),
        ("长江中路", "road", "Changjiang Zhonglu"),
        ("南淝河", "water", "Nanfei He"),
        ("巢湖", "water", "Chao Hu"),
        ("董铺水库", "water", "Dongpu Shuiku"),
        ("天鹅湖", "water", "Tian'e Hu"),
        ("马鞍山路", "road", "Ma'anshan Lu"),
        ("六安路", "road", "Lu'an Lu"),
        ("三河镇", "town", "Sanhe Zhen"),
        # A place name ending in a direction stays whole; a series modifier joins the generic.
        ("肥西路", "road", "Feixi Lu"),
        ("望江西路", "road", "Wangjiang Xilu"),
        # Derived names keep the base's spelling.
        ("金寨路高架", "road", "Jinzhai Lu Gaojia"),
        ("徽州大道桥", "bridge", "Huizhou Dadao Qiao"),
    ],
)
def test_spec_examples(name, category, expected):
    assert romanize(name, category).pinyin == expected


def test_tone_marked_and_sign_forms_are_derived():
    result = romanize("天鹅湖", "water")
    assert result.tone_marked == "Tiān'é Hú"
    assert result.sign == "TIAN'E HU"


@pytest.mark.parametrize(
    "name,key",
    [
        ("长丰", "changfeng"),  # pypinyin alone says zhangfeng
        ("长临河镇", "changlinhezhen"),
        ("大圩镇", "daweizhen"),  # not daxuzhen
        ("柘皋镇", "zhegaozhen"),
        ("烔炀镇", "tongyangzhen"),
        ("撮镇镇", "cuozhenzhen"),
        ("蚌埠路", "bengbulu"),
        ("亳州路", "bozhoulu"),
        ("枞阳路", "zongyanglu"),
    ],
)
def test_local_readings_give_the_right_homophone_key(name, key):
    assert romanize(name).key == key


def test_homophones_share_a_key():
    assert romanize("金斋路", "road").key == romanize("金寨路", "road").key


def test_initials_serve_search():
    assert romanize("长江中路", "road").initials == "cjzl"


@pytest.mark.parametrize(
    "typed,key",
    [
        ("Tian'e Hu", "tianehu"),
        ("Tiān'é Hú", "tianehu"),
        ("CHANGJIANG ZHONGLU", "changjiangzhonglu"),
        ("Nǚshan", "nvshan"),
        ("lü", "lv"),
    ],
)
def test_typed_pinyin_folds_to_the_key(typed, key):
    assert normalize_pinyin(typed) == key


def test_empty_name_gives_empty_romanization():
    assert romanize("   ").pinyin == ""
