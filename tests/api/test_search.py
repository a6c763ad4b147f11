"""Search finds what users type: pinyin slips, other readings of local polyphones,
traditional characters, and (with as_of) only the names borne that day."""

import pytest
from rest_framework.test import APIClient

from registry.models import Division
from registry.search import reading_variants, typo_variants
from registry.services.places import name_record, place_create, place_rename


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def places(db):
    d = {code: Division.objects.get(code=code) for code in ("340103", "340104", "340111")}
    made = {
        "jinzhai": place_create(name="金寨路", category="road", division=d["340104"], named_on="1955"),
        "changfeng": place_create(name="长丰路", category="road", division=d["340103"], named_on="1980"),
        "dawei": place_create(name="大圩镇", category="town", division=d["340111"], named_on="1992"),
        "cjzl": place_create(name="长江中路", category="road", division=d["340103"], named_on="1953"),
        "luan": place_create(name="六安路", category="road", division=d["340103"], named_on="1950"),
        "huizhou": place_create(name="美菱大道", category="road", division=d["340111"], named_on="1994"),
        "luzhou": place_create(name="庐州大道", category="road", division=d["340111"]),  # undated, as in the demo
    }
    place_rename(place=made["huizhou"], new_name="徽州大道", effective="2006-01-01")
    name_record(place=made["cjzl"], name="长江路", kind="former")
    return made


def hits(api, q, **params):
    return api.get("/api/v1/search/", {"q": q, **params}).json()["results"]


@pytest.mark.parametrize(
    "q,expected,how",
    [
        ("jinzai lu", "jinzhai", "pinyin-typo"),  # z for zh
        ("jinzhailv", "jinzhai", "pinyin-typo"),  # a letter wrong at the end
        ("jinzhialu", "jinzhai", "pinyin-typo"),  # two letters swapped
        ("chanjiang", "cjzl", "pinyin-typo"),  # -n for -ng, in a prefix
        ("zhangfeng", "changfeng", "pinyin-reading"),  # pypinyin's default reading of 长
        ("Zhangfeng Lu", "changfeng", "pinyin-reading"),
        ("daxu", "dawei", "pinyin-reading"),  # 圩 read xū
        ("daxuzhen", "dawei", "pinyin-reading"),
        ("liuan", "luan", "pinyin-reading"),  # 六 read liù
        ("長江中路", "cjzl", "exact"),  # traditional characters
        ("长江中路", "cjzl", "exact"),
    ],
)
def test_what_users_type_is_found(api, places, q, expected, how):
    found = hits(api, q)
    assert found and found[0]["code"] == places[expected].code, found
    assert found[0]["match"] == how


def test_the_right_spelling_still_outranks_a_slip(api, places):
    (first, *_rest) = hits(api, "Jinzhai Lu")
    assert (first["code"], first["match"], first["score"]) == (places["jinzhai"].code, "pinyin", 100.0)


def test_a_traditional_query_gets_the_exact_score(api, places):
    assert hits(api, "長江中路")[0]["score"] == 100.0


def test_search_as_of_matches_only_names_valid_that_day(api, places):
    # Was 庐州大道, a fuzzy hit on a name with no dates, as if it had been in use then.
    assert hits(api, "徽州大道", as_of="2000-01-01") == []
    (hit,) = hits(api, "美菱大道", as_of="2000-01-01")
    assert (hit["code"], hit["matched_name"], hit["name"]) == (places["huizhou"].code, "美菱大道", "徽州大道")
    assert [h["code"] for h in hits(api, "徽州大道", as_of="2010-01-01")][:1] == [places["huizhou"].code]
    assert "长江路" not in [h["matched_name"] for h in hits(api, "长江路", as_of="2000-01-01")]


def test_variants_are_bounded():
    assert len(typo_variants("changjiangzhonglu")) < 80
    assert "changfeng" in reading_variants("zhangfeng") and "dawei" in reading_variants("daxu")
    assert reading_variants("changfeng") == set()
