"""Every rule of SPEC.md "Name checks", as tables: names that must be flagged, names that must pass."""

import csv
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from registry.validation import RULES, check_name
from registry.validation.findings import MESSAGES
from tests.validation.conftest import BAOHE, FEIXI, LUYANG, SHUSHAN

# (name, category, division, submitted pinyin, details, expected rule codes)
FLAGGED = [
    # DUPLICATE: same name, or same once 新/大/老, the city's name or the 大 of a generic is added or removed.
    ("长江中路", "road", SHUSHAN, "", None, {"DUPLICATE"}),
    ("新长江中路", "road", SHUSHAN, "", None, {"DUPLICATE"}),
    ("合肥长江中路", "road", SHUSHAN, "", None, {"DUPLICATE"}),
    ("老宿州路", "road", BAOHE, "", None, {"DUPLICATE"}),
    ("徽州道", "road", SHUSHAN, "", None, {"DUPLICATE"}),
    ("长江路大桥", "bridge", SHUSHAN, "", {"length_m": 800}, {"DUPLICATE"}),
    # HOMOPHONE: same toneless pinyin, other characters.
    ("金斋路", "road", BAOHE, "", None, {"HOMOPHONE"}),
    ("常江中路", "road", BAOHE, "", None, {"HOMOPHONE"}),
    ("长江仲路", "road", BAOHE, "", None, {"HOMOPHONE"}),
    # SIMILAR: one character apart in a base of three or more characters, same generic.
    ("天鹅潮路", "road", BAOHE, "", None, {"SIMILAR"}),
    ("天鹅湖街", "road", BAOHE, "", None, set()),  # a different generic is not a typo
    # Generic terms.
    ("大道", "road", SHUSHAN, "", None, {"BARE_GENERIC"}),
    ("花园", "residential", SHUSHAN, "", None, {"BARE_GENERIC"}),
    ("长淮", "road", SHUSHAN, "", None, {"MISSING_GENERIC"}),
    ("琥珀花园小区", "residential", SHUSHAN, "", None, {"STACKED_GENERIC"}),
    ("天鹅大厦广场", "building", SHUSHAN, "", {"land_area_m2": 30000}, {"STACKED_GENERIC"}),
    ("明珠苑公寓", "residential", SHUSHAN, "", None, {"STACKED_GENERIC"}),
    ("翠竹河", "road", SHUSHAN, "", None, {"GENERIC_MISMATCH"}),
    ("翡翠岛", "residential", SHUSHAN, "", None, {"GENERIC_MISMATCH"}),
    ("明珠府", "residential", SHUSHAN, "", None, {"GENERIC_MISMATCH", "FEUDAL"}),  # 府 also recalls 官府
    ("桃源村", "town", FEIXI, "", None, {"GENERIC_MISMATCH"}),
    ("幸福大道", "road", SHUSHAN, "", {"width_m": 12}, {"GENERIC_SCALE"}),
    ("明珠广场", "building", SHUSHAN, "", {"land_area_m2": 3000}, {"GENERIC_SCALE"}),
    ("明珠大厦", "building", SHUSHAN, "", {"floors": 5}, {"GENERIC_SCALE"}),
    ("明珠城", "residential", SHUSHAN, "", {"land_area_m2": 20000}, {"GENERIC_SCALE"}),
    # 大 洋 怪 and the other word lists.
    ("宇宙中心", "building", SHUSHAN, "", {"land_area_m2": 30000}, {"EXAGGERATED"}),
    ("环球大厦", "building", SHUSHAN, "", {"floors": 30}, {"EXAGGERATED"}),
    ("中央花园", "residential", SHUSHAN, "", None, {"EXAGGERATED"}),
    ("曼哈顿花园", "residential", SHUSHAN, "", None, {"FOREIGN"}),
    ("威尼斯花园", "residential", SHUSHAN, "", None, {"FOREIGN"}),
    ("维也纳公寓", "residential", SHUSHAN, "", None, {"FOREIGN"}),
    ("拉菲斯顿花园", "residential", SHUSHAN, "", None, {"FOREIGN"}),  # transliteration-like, in no list
    ("帝景苑", "residential", SHUSHAN, "", None, {"FEUDAL"}),
    ("御府花园", "residential", SHUSHAN, "", None, {"FEUDAL"}),
    ("赌坊巷", "road", SHUSHAN, "", None, {"VULGAR"}),
    ("李白路", "road", SHUSHAN, "", None, {"PERSON_NAME"}),
    ("孙悟空路", "road", SHUSHAN, "", None, {"PERSON_NAME"}),
    ("周恩来路", "road", SHUSHAN, "", None, {"PERSON_NAME"}),  # a state leader: an error
    ("万科花园", "residential", SHUSHAN, "", None, {"COMMERCIAL"}),
    ("科大讯飞大厦", "building", SHUSHAN, "", {"floors": 30}, {"COMMERCIAL"}),
    # Characters.
    ("长江ABC路", "road", SHUSHAN, "", None, {"NON_HANZI", "FOREIGN"}),  # letters, and a Latin word (洋)
    ("合肥·天鹅花园", "residential", SHUSHAN, "", None, {"NON_HANZI"}),
    ("长江1路", "road", SHUSHAN, "", None, {"NON_HANZI"}),
    ("明珠Ⅱ期小区", "residential", SHUSHAN, "", None, {"NON_HANZI", "FEUDAL"}),  # a roman numeral (怪 1)
    ("长江#路", "road", SHUSHAN, "", None, {"NON_HANZI"}),
    ("长江 中路", "road", SHUSHAN, "", None, {"NON_HANZI", "HOMOPHONE"}),
    ("慶豐路", "road", SHUSHAN, "", None, {"NON_STANDARD_CHARACTER"}),
    ("峏山路", "road", SHUSHAN, "", None, {"RARE_CHARACTER"}),
    ("一条非常非常非常长的路", "road", SHUSHAN, "", None, {"TOO_LONG"}),
    # Romanization of a submitted pinyin.
    ("金寨南路", "road", SHUSHAN, "Jinzhai South Road", None, {"ROMANIZATION"}),
    ("金寨南路", "road", SHUSHAN, "Jinzhai Nan Lu", None, {"ROMANIZATION"}),
    ("金寨南路", "road", SHUSHAN, "Jinzhainan Lu", None, {"ROMANIZATION"}),
    ("西安路", "road", SHUSHAN, "Xian Lu", None, {"ROMANIZATION"}),
    ("长丰路", "road", SHUSHAN, "Zhangfeng Lu", None, {"ROMANIZATION"}),
    ("翡翠湖", "water", SHUSHAN, "Feicui Lake", None, {"ROMANIZATION"}),
    ("繁华大道", "road", BAOHE, "Fanhua Da Dao", None, {"ROMANIZATION"}),
]

PASSING = [
    # Real standard Hefei names not yet in this small registry.
    ("潜山路", "road", SHUSHAN, "Qianshan Lu", None),
    ("亳州路", "road", LUYANG, "", None),  # one character from 宿州路, but different words
    ("长江北路", "road", LUYANG, "", None),  # a series with 长江中/西/东路
    ("望江东路", "road", BAOHE, "", None),
    ("经二路", "road", BAOHE, "", None),
    ("徽州大道", "road", SHUSHAN, "", {"width_m": 60}),  # no duplicate when it is the place itself: see below
    ("南淝河", "water", LUYANG, "Nanfei He", None),
    ("董铺水库", "water", SHUSHAN, "Dongpu Shuiku", None),
    ("天鹅湖", "water", SHUSHAN, "Tian'e Hu", None),  # same name, but the place being checked (see below)
    ("琥珀名城", "residential", SHUSHAN, "", None),
    ("西园新村", "residential", SHUSHAN, "Xiyuan Xincun", None),
    ("合肥大剧院", "building", SHUSHAN, "", None),
    ("安徽博物院", "building", SHUSHAN, "", None),
    ("渡江战役纪念馆", "building", BAOHE, "", None),
    ("孙立人故居", "building", LUYANG, "", None),  # a former residence is named after its person
    ("长临河镇", "town", "340122", "Changlinhe Zhen", None),
    ("大树刘村", "village", "340181", "", None),
    ("唐嘴", "village", "340181", "Tangzui", None),
    # Allow-listed exceptions.
    ("合肥新桥国际机场", "building", SHUSHAN, "", None),
    ("黄屯老街", "village", LUJIANG := "340124", "", None),
    # Accepted pinyin forms: stored, sign and tone-marked.
    ("西安路", "road", SHUSHAN, "Xi'an Lu", None),
    ("西安路", "road", SHUSHAN, "XI'AN LU", None),
    ("西安路", "road", SHUSHAN, "Xī'ān Lù", None),
]


def rules_of(result):
    return {f.rule for f in result.findings}


@pytest.mark.parametrize(
    "name,category,division,pinyin,details,expected",
    FLAGGED,
    ids=[f"{c[0]}-{'+'.join(sorted(c[5])) or 'ok'}" for c in FLAGGED],
)
def test_names_that_must_be_flagged(registry, name, category, division, pinyin, details, expected):
    result = check_name(name, category, division=division, pinyin=pinyin, details=details)
    assert rules_of(result) == expected, [f.message for f in result.findings]
    assert result.ok == (
        not any(RULES[r] == "error" for r in expected) and not any(f.is_error for f in result.findings)
    )


@pytest.mark.parametrize("name,category,division,pinyin,details", PASSING, ids=[c[0] + c[3] for c in PASSING])
def test_names_that_must_pass(registry, name, category, division, pinyin, details):
    place = registry.get(name) if registry.get(name) and registry[name].category == category else None
    result = check_name(name, category, division=division, pinyin=pinyin, details=details, place=place)
    assert result.findings == [], [f.message for f in result.findings]
    assert result.ok


def test_every_rule_of_the_contract_is_exercised():
    # HERITAGE_PROTECTED and RESERVED need a listing or a bank entry (tests/workflow, tests/services/test_name_bank.py).
    flagged = set().union(*(case[5] for case in FLAGGED)) | {"HERITAGE_PROTECTED", "RESERVED"}
    assert flagged == set(RULES)


def test_severities_follow_the_contract(registry):
    assert check_name("周恩来路", "road", division=SHUSHAN).findings[0].severity == "error"
    assert check_name("李白路", "road", division=SHUSHAN).findings[0].severity == "warning"
    assert not check_name("曼哈顿花园", "residential").ok
    assert check_name("中央花园", "residential").ok  # a warning does not block


def test_duplicates_carry_the_matching_place_and_score(registry):
    (dup,) = check_name("长江中路", "road", division=SHUSHAN).findings
    assert [m.as_dict() for m in dup.matches] == [
        {"code": registry["长江中路"].code, "name": "长江中路", "score": 100.0}
    ]


def test_similar_matches_carry_a_score(registry):
    (similar,) = check_name("天鹅潮路", "road", division=BAOHE).findings
    (match,) = similar.matches
    assert match.name == "天鹅湖路" and 70 <= match.score < 100


@pytest.mark.parametrize(
    "name,category,division,expected",
    [
        ("汤池镇", "town", "340181", {"DUPLICATE"}),  # towns: unique in the province
        ("三河镇", "town", "340122", {"DUPLICATE"}),
        ("长江中路", "road", "340181", set()),  # 巢湖市 is a county-level city: ... but roads compare city-wide
    ],
)
def test_uniqueness_scopes(registry, name, category, division, expected, settings):
    settings.REGISTRY_VALIDATION = {"SCOPES": {"road": "county", "town": "province"}}
    assert rules_of(check_name(name, category, division=division)) == expected


def test_a_check_without_division_compares_with_the_whole_registry(registry):
    assert rules_of(check_name("汤池镇", "town")) == {"DUPLICATE"}


def test_village_scope_is_the_county(registry, make_place):
    from registry.models import Division

    make_place("三星村", category="village", division=Division.objects.get(code="340181102000"))
    assert rules_of(check_name("三星村", "village", division="340181")) == {"DUPLICATE"}
    assert rules_of(check_name("三星村", "village", division="340122")) == set()


def test_renaming_a_place_does_not_match_itself(registry):
    place = registry["金寨路"]
    assert check_name("金寨路", "road", place=place.code).findings == []


def test_renaming_a_listed_heritage_place_without_measures_is_flagged(registry):
    town = registry["三河镇"]
    result = check_name("三河古镇", "town", place=town)
    assert rules_of(result) == {"HERITAGE_PROTECTED"}
    listing = town.heritage_listings.get()
    listing.protection_measures = "设立标志；派生命名（三河古镇景区）"
    listing.save()
    assert rules_of(check_name("三河古镇", "town", place=town)) == set()


def test_messages_switch_language(registry):
    from django.utils import translation

    with translation.override("zh-hans"):
        chinese = check_name("大道", "road").findings[0].message
    with translation.override("en"):
        english = check_name("大道", "road").findings[0].message
    assert "通名" in chinese and "generic term" in english


# Real parameters for every message template: a missing or misspelt %(key)s placeholder
# (in English or in the Chinese translation) raises KeyError or shows up unrendered.
MESSAGE_PARAMS = {
    "DUPLICATE": {"matches_text": "长江中路（340104R00001）", "scope": "合肥市"},
    "DUPLICATE_VARIANT": {"matches_text": "长江中路（340104R00001）", "scope": "合肥市"},
    "HOMOPHONE": {"sound": "changjiangzhonglu", "matches_text": "长江中路（340104R00001）"},
    "SIMILAR": {"matches_text": "天鹅湖路（340104R00002）"},
    "BARE_GENERIC": {"name": "大道"},
    "MISSING_GENERIC": {"category": "道路街巷", "expected": "路、街"},
    "STACKED_GENERIC": {"first": "花园", "second": "小区"},
    "GENERIC_MISMATCH": {"generic": "河", "other": "水系", "category": "道路街巷"},
    "GENERIC_SCALE": {"generic": "大道", "reason": "道路宽 12 米"},
    "GENERIC_SCALE_UNKNOWN": {"generic": "大桥", "need": "大桥应长 100 米以上"},
    "EXAGGERATED": {"term": "宇宙"},
    "FOREIGN": {"term": "威尼斯"},
    "FOREIGN_LIKE": {"specific": "曼哈顿"},
    "FEUDAL": {"term": "皇家"},
    "FEUDAL_RESIDENCE": {"term": "府"},
    "FEUDAL_NUMBER": {"term": "6号"},
    "FEUDAL_COINED": {"term": "都荟"},
    "FEUDAL_GENERIC": {"term": "湾"},
    "FOREIGN_MORPHEME": {"term": "欧"},
    "FEUDAL_MORPHEME": {"term": "宫"},
    "COMMERCIAL_DEVELOPER": {"term": "国贸"},
    "COMMERCIAL_DOT": {"term": "宏瑞"},
    "FOREIGN_LETTERS": {"term": "sport"},
    "EXAGGERATED_POLITICAL": {"term": "政治局"},
    "EXAGGERATED_MILITARY": {"term": "司令部"},
    "EXAGGERATED_RELIGIOUS": {"term": "耶稣"},
    "VULGAR": {"term": "某词"},
    "PERSON_NAME": {"term": "某人"},
    "LEADER_NAME": {"term": "某人"},
    "COMMERCIAL": {"term": "万达"},
    "NON_HANZI": {"chars": "A、#"},
    "NON_STANDARD_CHARACTER": {"chars": "長", "standard": "长"},
    "RARE_CHARACTER": {"chars": "𠀀"},
    "TOO_LONG": {"length": 21, "max": 20, "category": "道路街巷"},
    "ROMANIZATION_FOREIGN": {"given": "Changjiang Road", "words": "Road", "expected": "Changjiang Lu"},
    "ROMANIZATION_READING": {"given": "Zhangfeng Lu", "expected": "Changfeng Lu"},
    "ROMANIZATION_APOSTROPHE": {"given": "Xian Lu", "expected": "Xi'an Lu"},
    "ROMANIZATION_JOINING": {"given": "Chang Jiang Lu", "expected": "Changjiang Lu"},
    "HERITAGE_PROTECTED": {"name": "柘皋镇", "scheme": "千年古镇"},
    "RESERVED": {"name": "紫云路", "entry": 12},
    "RESERVED_FOR": {"name": "紫云路", "entry": 12},
    "DUPLICATE_NEARBY": {"matches_text": "大郢村（340104C00001）", "distance": "1.9", "radius": "10"},
    "HOMOPHONE_NEARBY": {
        "matches_text": "大郢村（340104C00001）",
        "distance": "1.9",
        "radius": "10",
        "sound": "DAYINGCUN",
    },
}


def test_every_message_has_real_parameters_listed():
    assert set(MESSAGE_PARAMS) == set(MESSAGES)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_renders_with_real_parameters(key, language):
    from django.utils import translation

    params = MESSAGE_PARAMS[key]
    with translation.override(language):
        template = str(MESSAGES[key])
        text = template % params
    assert "%(" not in text and text.strip()
    for value in params.values():
        assert str(value) in text, (key, language, value)
    if language == "zh-hans":
        assert any("\u4e00" <= ch <= "\u9fff" for ch in template.replace("新/大/老", "")), f"{key} is not translated"


INNOCENT_FILE = Path(__file__).resolve().parents[2] / "registry" / "validation" / "data" / "innocent_names.tsv"
with open(INNOCENT_FILE, encoding="utf-8") as fh:
    INNOCENT = [r for r in csv.DictReader([line for line in fh if not line.startswith("#")], delimiter="\t")]
WORD_RULES = {"EXAGGERATED", "FOREIGN", "FEUDAL", "VULGAR", "PERSON_NAME", "COMMERCIAL"}


@pytest.mark.parametrize("row", INNOCENT, ids=[r["name"] for r in INNOCENT])
def test_word_lists_do_not_fire_on_innocent_real_names(db, row):
    category = (
        row["category"]
        if row["category"] in {"road", "water", "bridge", "building", "residential", "town", "village"}
        else "building"
    )
    found = {f.rule for f in check_name(row["name"], category).findings} & WORD_RULES
    assert not found, row["why"]


@pytest.mark.parametrize(
    "name,category,message",
    [
        ("", "road", "empty"),
        ("   ", "road", "empty"),
        ("\u3000\u3000", "road", "empty"),
        ("长江\x07路", "road", "control"),
        ("长江路", "avenue", "Unknown category"),
        ("长江路", "", "Unknown category"),
    ],
)
def test_bad_input_gets_a_clear_validation_error(db, name, category, message):
    with pytest.raises(ValidationError) as exc:
        check_name(name, category)
    assert message in " ".join(exc.value.messages)


def test_unknown_division_and_place_are_clear_errors(db):
    with pytest.raises(ValidationError, match="Unknown division"):
        check_name("长江路", "road", division="999999")
    with pytest.raises(ValidationError, match="Unknown place"):
        check_name("长江路", "road", place="NOPE0001")


def test_a_20000_character_name_gets_findings_not_a_crash(db):
    import time

    start = time.perf_counter()
    result = check_name("长" * 19_999 + "路", "road")
    assert time.perf_counter() - start < 2
    assert "TOO_LONG" in rules_of(result)


def test_non_chinese_text_is_judged_not_refused(db):
    assert rules_of(check_name("Main St", "road")) == {"NON_HANZI", "MISSING_GENERIC", "FOREIGN"}


def test_a_full_width_space_inside_a_name_is_flagged(db):
    assert "NON_HANZI" in rules_of(check_name("长江\u3000中路", "road"))
