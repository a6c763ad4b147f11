"""Coined names (怪) of issue 16: numbers and codes as names, marketing morphemes, coined
endings, 峰/湾 housing generics, 城 for one building, and the words of 0031_validator_words_more.

The names are made up for the rules (none is in the generalization benchmark's lists); the
innocent ones are real Chinese place names (native_train.tsv), Shanghai's numbered lanes
or ordinary Hefei-style names.
"""

import pytest
from django.utils import translation

from registry.validation import check_name


def keyed(name, category, **kwargs):
    return {(f.rule, f.message_key, f.params.get("term")) for f in check_name(name, category, **kwargs).findings}


def feudal(name, category):
    return {(key, term) for rule, key, term in keyed(name, category) if rule == "FEUDAL"}


@pytest.mark.parametrize(
    "name, category, key, term",
    [
        # A number or code as the proper name (民发〔2018〕146号 annex, 怪 1).
        ("18号大厦", "building", "FEUDAL_NUMBER", "18号"),
        ("66米路", "road", "FEUDAL_NUMBER", "66米"),
        ("K9小区", "residential", "FEUDAL_NUMBER", "K9"),
        ("明珠Ⅱ期小区", "residential", "FEUDAL_NUMBER", "Ⅱ期"),
        ("三号公寓", "residential", "FEUDAL_NUMBER", "三号"),
        ("翠湖3加3大厦", "building", "FEUDAL_NUMBER", "3"),
        # A marketing morpheme of luxury or nobility anywhere in a housing or building proper name.
        ("铂悦花园", "residential", "FEUDAL_COINED", "铂"),
        ("金桂臻品苑", "residential", "FEUDAL_COINED", "臻"),
        ("豪景大厦", "building", "FEUDAL_COINED", "豪"),
        ("翠湖爵士公寓", "residential", "FEUDAL_COINED", "爵"),
        # An ambiguous morpheme where it stands in for the missing generic.
        ("滨湖悦荟", "residential", "FEUDAL_COINED", "荟"),
        ("金湖领秀", "residential", "FEUDAL_COINED", "秀"),
        ("翠湖印象", "residential", "FEUDAL_COINED", "印象"),
        ("湖畔物语", "building", "FEUDAL_COINED", "物语"),
        # A last character that ends no county or township name of China, where the generic should be.
        ("湖畔星语", "residential", "FEUDAL_COINED", "星语"),
        ("翠湖晨曦", "building", "FEUDAL_COINED", "晨曦"),
        # 峰 and 湾 used as residential generics (Xiamen 2019, 怪).
        ("碧水湾", "residential", "FEUDAL_GENERIC", "湾"),
        ("翠微云峰", "residential", "FEUDAL_GENERIC", "峰"),
    ],
)
def test_a_coined_name_is_feudal(db, name, category, key, term):
    assert (key, term) in feudal(name, category)


@pytest.mark.parametrize(
    "name, category",
    [
        ("长江1路", "road"),  # a road of a series: NON_HANZI asks for 长江一路, no 怪
        ("淮河路12弄", "road"),  # a lane numbered off its road (Shanghai's 三门路805弄)
        ("经五路", "road"),  # a series number in characters
        ("三汇花园", "residential"),  # 汇 with a generic: an ordinary character
        ("上派", "residential"),  # 上派: a real town of 肥西县, though 派 is a listed morpheme
        ("尊桥小区", "residential"),  # 尊桥: a real place name
        ("英豪路", "road"),  # roads are not judged on marketing morphemes
        ("悦来新村", "residential"),  # 悦 not at the end
        ("月亮湾路", "road"),  # 湾 inside a road name
        ("琥珀名城", "residential"),  # 城 is a residential generic; no question without a rule for it
        ("西园新村", "residential"),
        ("滨湖惠园", "residential"),
    ],
)
def test_a_real_or_ordinary_name_is_not_coined(db, name, category):
    assert not feudal(name, category), check_name(name, category).findings


@pytest.mark.parametrize(
    "name, details, asked",
    [
        ("明珠城", None, True),  # 城 for one building: how big is it?
        ("明珠城", {"land_area_m2": 200_000}, False),
        ("明珠城", {"land_area_m2": 20_000}, True),  # under the 15 ha of ``SCALE``
    ],
)
def test_cheng_for_one_building_is_a_scale_question(db, name, details, asked):
    rules = {rule for rule, _key, _term in keyed(name, "building", details=details)}
    assert ("GENERIC_SCALE" in rules) is asked


@pytest.mark.parametrize(
    "name, category, rule, key",
    [
        ("共产党花园", "residential", "EXAGGERATED", "EXAGGERATED_POLITICAL"),
        ("原子弹大厦", "building", "EXAGGERATED", "EXAGGERATED_MILITARY"),
        ("涅槃小区", "residential", "EXAGGERATED", "EXAGGERATED_RELIGIOUS"),
        ("国家电网大厦", "building", "COMMERCIAL", "COMMERCIAL"),
        ("美的置业花园", "residential", "COMMERCIAL", "COMMERCIAL_DEVELOPER"),
    ],
)
def test_the_more_words_are_reported(db, name, category, rule, key):
    assert rule in {r for r, _k, _t in keyed(name, category)}
    assert key in {k for _r, k, _t in keyed(name, category)}


@pytest.mark.parametrize(
    "name, category",
    [
        ("将军岭路", "road"),  # 将军 is ambiguous: a real place name
        ("老君山", "water"),
        ("财神庙", "building"),  # a deity on a temple
        ("越秀路", "road"),  # 越秀, a real district and road, though a developer's name
    ],
)
def test_the_more_words_pass_in_real_names(db, name, category):
    rules = {r for r, _k, _t in keyed(name, category)}
    assert not rules & {"EXAGGERATED", "COMMERCIAL"}, check_name(name, category).findings


@pytest.mark.parametrize(
    "name, category", [("18号大厦", "building"), ("铂悦花园", "residential"), ("碧水湾", "residential")]
)
def test_the_messages_say_what_to_do_in_chinese_and_english(db, name, category):
    def message(language):
        with translation.override(language):
            return next(f.message for f in check_name(name, category).findings if f.rule == "FEUDAL")

    assert "请" in message("zh-hans") and "怪" in message("zh-hans")
    assert any(advice in message("en") for advice in ("instead", "name the place", "use a word"))


def test_the_morphemes_are_word_list_entries_editable_in_the_admin(db):
    """Seeded into the 怪 list by 0031_validator_words_more: an entry switched off there stops its finding."""
    from registry.models import WordListEntry
    from registry.services.lexicon import word_list_entry_save

    entry = WordListEntry.objects.get(word_list="feudal", term="铂")
    assert entry.kind == "coined" and not entry.ambiguous and entry.note and entry.source
    assert ("FEUDAL_COINED", "铂") in feudal("铂悦花园", "residential")
    entry.active = False
    word_list_entry_save(entry=entry)
    assert ("FEUDAL_COINED", "铂") not in feudal("铂悦花园", "residential")


def test_the_allow_list_exempts_a_coined_name(db):
    from registry.models import AllowListEntry
    from registry.services.lexicon import allow_list_entry_save

    assert feudal("铂悦花园", "residential")
    allow_list_entry_save(entry=AllowListEntry(term="铂悦花园", rules="FEUDAL", reason="测试：已批准"))
    assert not feudal("铂悦花园", "residential")
