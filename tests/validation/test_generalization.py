"""Rules that generalize beyond the word lists (issue 16): the transliteration model,
feudal morphemes inside longer proper names, and the scale question.

Names here are chosen from outside the benchmark's held-out part
(benchmarks/data/validator_generalization/); native names are Chinese division names.
"""
import json
from pathlib import Path

import pytest

from registry.validation import check_name
from registry.validation.translit_model import THRESHOLD, calibrate, looks_transliterated, transliteration_run

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "hefei_demo.json"


def keys(result):
    return {(f.rule, f.message_key) for f in result.findings}


@pytest.mark.parametrize("specific, run", [
    ("帕拉迪斯", "帕拉迪斯"),  # Paradise: in no word list
    ("维也纳", "维也纳"),
    ("普罗旺斯", "普罗旺斯"),
    ("保利拉菲", "拉菲"),  # part of a longer proper name
])
def test_the_model_finds_unseen_transliterations(specific, run):
    assert run in looks_transliterated(specific) or looks_transliterated(specific) in run
    assert looks_transliterated(specific)


@pytest.mark.parametrize("specific", [
    "长江", "徽州", "合肥", "三河", "芙蓉", "楼兰", "蒙城", "霍山",
    "吐鲁番", "库尔勒", "锡林浩特", "日喀则", "巴彦淖尔", "呼和浩特", "喀什",  # minority-language origin, but Chinese
    "一条非常非常非常长的",  # ordinary words absent from place names
    "慶豐",  # characters the model never saw carry no evidence
])
def test_native_names_do_not_read_as_transliterations(specific):
    assert looks_transliterated(specific) == "", transliteration_run(specific)


def test_the_threshold_keeps_held_out_native_names_rarely_flagged():
    assert calibrate(folds=5, quantile=0.99) < THRESHOLD


def test_a_transliteration_in_no_list_gets_a_foreign_like_warning(db):
    result = check_name("帕拉迪斯大厦", "building", details={"floors": 30})
    assert keys(result) == {("FOREIGN", "FOREIGN_LIKE")}
    assert result.findings[0].severity == "warning"
    assert "帕拉迪斯" in result.findings[0].message


@pytest.mark.parametrize("name, category, feudal", [
    ("皇达大厦", "building", True),  # 皇 inside a longer proper name
    ("御泉花园", "residential", True),
    ("秦皇岛路", "road", False),  # 皇 inside a real place name
    ("赞皇路", "road", False),
    ("皇姑路", "road", False),
    ("英王府", "building", False),  # allow-listed: a historic palace (demo data)
])
def test_feudal_morphemes_are_judged_inside_longer_proper_names(db, name, category, feudal):
    details = {"floors": 30} if category == "building" else {}
    result = check_name(name, category, details=details)
    assert ("FEUDAL" in result.rules()) is feudal, [f.message for f in result.findings]


@pytest.mark.parametrize("name, category, details, expected", [
    ("东风大桥", "bridge", {}, {("GENERIC_SCALE", "GENERIC_SCALE_UNKNOWN")}),
    ("东风大桥", "bridge", {"length_m": 366}, set()),
    ("东风大桥", "bridge", {"length_m": 60}, {("GENERIC_SCALE", "GENERIC_SCALE")}),
    ("明珠大厦", "building", {}, {("GENERIC_SCALE", "GENERIC_SCALE_UNKNOWN")}),
    ("明珠大厦", "building", {"floors": 30}, set()),
    ("明珠广场", "building", {}, {("GENERIC_SCALE", "GENERIC_SCALE_UNKNOWN")}),
    ("明珠中心", "building", {"land_area_m2": 20000}, set()),
    ("东风桥", "bridge", {}, set()),
])
def test_a_generic_that_promises_a_size_asks_when_the_record_cannot_tell(db, name, category, details, expected):
    result = check_name(name, category, details=details)
    assert {k for k in keys(result) if k[0] == "GENERIC_SCALE"} == expected
    assert all(f.severity == "warning" for f in result.findings if f.rule == "GENERIC_SCALE")


def test_the_scale_question_is_worded_as_a_question_in_chinese_and_english(db, settings):
    from django.utils import translation

    with translation.override("zh-hans"):
        chinese = check_name("东风大桥", "bridge").findings[0].message
    with translation.override("en"):
        english = check_name("东风大桥", "bridge").findings[0].message
    assert "吗？" in chinese and "100 米" in chinese
    assert english.startswith("Is this feature really") and "100 m" in english


def test_every_demo_name_passes_the_new_rules_without_an_error(db):
    places = json.loads(DEMO.read_text(encoding="utf-8"))["places"]
    offenders = []
    for place in places:
        result = check_name(place["name"], place["category"], details=place.get("details") or {})
        new = [f for f in result.findings
               if f.message_key in {"FOREIGN_LIKE", "GENERIC_SCALE_UNKNOWN"} or f.rule == "FEUDAL"]
        if any(f.is_error for f in new) or any(f.message_key == "FOREIGN_LIKE" or f.rule == "FEUDAL" for f in new):
            offenders.append((place["name"], [f.message for f in new]))
    assert offenders == []


def test_the_shipped_model_counts_are_what_its_sources_give():
    """``manage.py build_translit_model`` wrote the file from the training lists; an edit of a
    list (or a pypinyin upgrade) without a rebuild would make checks disagree with the sources."""
    import gzip

    from registry.validation.translit_model import COUNTS_FILE, counts_text, trained_model

    shipped = gzip.decompress(COUNTS_FILE.read_bytes()).decode("utf-8")
    assert shipped == counts_text(trained_model()), "run manage.py build_translit_model"


def test_the_shipped_model_scores_as_the_trained_one():
    from registry.validation.translit_model import read_counts, trained_model

    shipped, trained = read_counts(), trained_model()
    for text in ("帕拉迪斯", "保利拉菲", "长江中路", "锡林浩特", "慶豐"):
        assert shipped.best_run(text) == trained.best_run(text)
