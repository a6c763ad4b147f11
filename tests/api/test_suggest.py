"""POST /api/v1/names/suggest/: bank first, then series continuations, then derived names; all pass every rule."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from registry.models import NameBankEntry
from registry.romanization import romanize
from registry.services.name_bank import bank_entry_save, bank_take
from registry.suggestions import chinese, numeral

URL = "/api/v1/names/suggest/"
LUYANG, BAOHE, SHUSHAN = "340103", "340111", "340104"


@pytest.fixture
def staff(db):
    api = APIClient()
    api.force_authenticate(get_user_model().objects.create_user("planner", password="x", is_staff=True))
    return api


@pytest.fixture
def registry(make_place, shushan, baohe):
    from registry.models import Division

    luyang = Division.objects.get(code=LUYANG)
    places = {n: make_place(n, division=baohe) for n in ("经一路", "经二路", "经四路", "经五路", "经六路")}
    places["长江路"] = make_place("长江路", division=luyang)
    places["南淝河"] = make_place("南淝河", category="water", division=luyang)
    places["天鹅湖"] = make_place("天鹅湖", category="water", division=shushan)
    return places


def bank(name, category="road", division=SHUSHAN, **fields):
    fields.setdefault("source", "蜀山区地名规划（2025）")
    return bank_entry_save(entry=NameBankEntry(name=name, category=category, division_id=division, **fields))


def names(response):
    assert response.status_code == 200, response.json()
    return [s["name"] for s in response.json()["suggestions"]]


def test_bank_first_then_series_continuations_and_gaps(staff, registry):
    entry = bank("紫云路", series="紫云系列")
    response = staff.post(URL, {"category": "road", "division": BAOHE, "count": 4}, format="json")
    assert names(response) == ["紫云路", "经七路", "经三路"]
    first, continuation, gap = response.json()["suggestions"]
    assert (first["source"], first["bank_entry"], first["pinyin"], first["findings"]) == (
        "bank",
        entry.pk,
        "Ziyun Lu",
        [],
    )
    assert "蜀山区地名规划" in first["why"]
    assert (
        continuation["source"] == "series" and "经六路" in continuation["why"] and continuation["pinyin"] == "Jing 7 Lu"
    )  # 1984 rules: street ordinals in figures
    assert gap["source"] == "series" and "空缺" in gap["why"]  # the API answers in Chinese by default


def test_a_bridge_is_derived_from_the_road_it_carries_and_the_water_it_crosses(staff, registry):
    response = staff.post(
        URL,
        {"category": "bridge", "division": LUYANG, "near": {"on": "长江路", "over": registry["南淝河"].code}},
        format="json",
    )
    assert names(response) == ["长江路南淝河桥", "长江路桥", "南淝河桥"]
    assert all(s["source"] == "derived" and s["findings"] == [] for s in response.json()["suggestions"])
    # The standard pinyin is the checker's (the romanizer's), the one a proposal of the name must carry.
    assert response.json()["suggestions"][0]["pinyin"] == romanize("长江路南淝河桥", "bridge").pinyin


def test_a_road_continues_a_road_or_runs_along_a_water(staff, registry):
    response = staff.post(
        URL,
        {"category": "road", "division": SHUSHAN, "theme": "长江", "near": {"on": "长江路", "over": "天鹅湖"}},
        format="json",
    )
    suggested = names(response)
    assert suggested[:5] == ["长江东路", "长江西路", "长江南路", "长江北路", "长江中路"]
    assert "天鹅湖路" in suggested


def test_used_flagged_or_taken_names_and_names_that_fail_a_rule_are_never_suggested(staff, registry, make_place):
    bank_take(bank("紫云路"), for_what="某项目", user=None)
    bank("青枫路", reserved_for="某开发项目")  # reserved for someone else: not offered
    make_place("经七路", status="proposed")  # not active: the series still continues with 经七路
    make_place("长江南路")  # exists: not suggested again
    response = staff.post(
        URL, {"category": "road", "division": SHUSHAN, "near": {"on": "长江路"}, "count": 50}, format="json"
    )
    suggested = names(response)
    assert "紫云路" not in suggested and "青枫路" not in suggested and "长江南路" not in suggested
    assert "经七路" in suggested
    assert all(s["findings"] == [] for s in response.json()["suggestions"])


def test_the_theme_selects_the_bank_series(staff, registry):
    bank("紫云路", series="紫云系列")
    bank("青枫路", series="青枫系列")
    assert names(
        staff.post(URL, {"category": "road", "division": SHUSHAN, "theme": "青枫", "count": 1}, format="json")
    ) == ["青枫路"]


def test_count_limits_the_answer(staff, registry):
    assert len(names(staff.post(URL, {"category": "road", "division": BAOHE, "count": 1}, format="json"))) == 1


@pytest.mark.parametrize(
    "body,field",
    [
        ({}, "category"),
        ({"category": "road"}, "division"),
        ({"category": "castle", "division": SHUSHAN}, "category"),
        ({"category": "road", "division": "999999"}, "division"),
        ({"category": "road", "division": SHUSHAN, "count": 0}, "count"),
        ({"category": "road", "division": SHUSHAN, "count": 51}, "count"),
        ({"category": "road", "division": SHUSHAN, "count": "many"}, "count"),
        ({"category": "road", "division": SHUSHAN, "near": "长江路"}, "near"),
        ({"category": "road", "division": SHUSHAN, "near": {"on": "不存在路"}}, "near"),
        ({"category": "road", "division": SHUSHAN, "theme": "长" * 101}, "theme"),
        ({"category": "road", "division": ["340104"]}, "division"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(staff, registry, body, field):
    response = staff.post(URL, body, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()


def test_anonymous_clients_are_refused(db):
    assert APIClient().post(URL, {"category": "road", "division": SHUSHAN}, format="json").status_code in (401, 403)


def test_the_schema_documents_the_request_and_the_answer(db):
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/names/suggest/"]["post"]
    assert operation["operationId"] == "names_suggest"
    assert {"200", "400", "401", "403"} <= set(operation["responses"])
    request = schema["components"]["schemas"]["NameSuggestInputRequest"]
    assert request["required"] == ["category", "division"]
    assert request["properties"]["count"]["maximum"] == 50


@pytest.mark.parametrize("number", [1, 9, 10, 11, 19, 20, 21, 55, 99])
def test_numerals_round_trip(number):
    assert numeral(chinese(number)) == number


@pytest.mark.parametrize("text", ["", "零", "百", "十十", "一二", "两", "二十一二"])
def test_other_markers_are_not_numbers(text):
    assert numeral(text) is None
