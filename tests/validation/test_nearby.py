"""The radius comparison (SPEC.md "Spatial", issue #14): a name checked at a location is
compared with the located places within ``RADIUS_M`` even across the scope border, by the
single check and by the batch comparisons alike (the same findings)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import translation

from registry.models import Division, Place
from registry.validation import check_name
from registry.validation.audit import audit_places
from registry.validation.batch import Comparisons, Entry
from registry.validation.lexicon import get_lexicon

SHUSHAN, FEIXI = "340104", "340123"  # adjacent: a village's scope is its county, so they are two scopes
HOME = (117.2000, 31.8500)  # 大郢村, 蜀山区
ACROSS = (117.2200, 31.8500)  # 1.9 km east, checked as a 肥西县 village
FAR = (117.5000, 31.8500)  # 28.4 km east

# (what, name, location, expected {rule: message fragment})
CASES = [
    ("same name across the county border, 1.9 km", "大郢村", ACROSS, {"DUPLICATE": "1.9 km away in another scope"}),
    ("same sound across the border (郢/营)", "大营村", ACROSS, {"HOMOPHONE": "1.9 km away in another scope"}),
    ("same name beyond the radius", "大郢村", FAR, {}),
    ("same name, no coordinates", "大郢村", None, {}),
    ("another name nearby", "小河村", ACROSS, {}),
]


@pytest.fixture
def home(db):
    from registry.services.places import place_create

    return place_create(
        name="大郢村",
        category="village",
        division=Division.objects.get(code=SHUSHAN),
        longitude=Decimal("117.200000"),
        latitude=Decimal("31.850000"),
    )


def _comparisons() -> Comparisons:
    return Comparisons(
        Entry.place(*row)
        for row in Place.objects.values_list(
            "pk", "code", "name", "category", "division_id", "name_key", "pinyin_key", "longitude", "latitude"
        )
    )


def _found(findings, rules=("DUPLICATE", "HOMOPHONE")) -> dict[str, tuple[str, list[str]]]:
    return {f.rule: (f.message, [m.code for m in f.matches]) for f in findings if f.rule in rules}


@pytest.mark.parametrize("what, name, location, expected", CASES, ids=[c[0] for c in CASES])
def test_single_check_and_batch_agree(home, what, name, location, expected):
    single = _found(check_name(name, "village", division=FEIXI, location=location).findings)
    batch = _found(
        _comparisons().judge(
            name, "village", division_code=FEIXI, pinyin="", details=None, lexicon=get_lexicon(0), location=location
        )
    )
    assert single == batch
    assert set(single) == set(expected)
    for rule, fragment in expected.items():
        message, codes = single[rule]
        assert fragment in message and "within 10 km" in message
        assert codes == [home.code]


def test_within_the_scope_the_scope_rule_reports_it_once(home):
    findings = check_name("大郢村", "village", division=SHUSHAN, location=ACROSS).findings
    duplicates = [f for f in findings if f.rule == "DUPLICATE"]
    assert len(duplicates) == 1 and "same uniqueness scope" in duplicates[0].message


def test_the_radius_is_the_setting_and_zero_turns_it_off(home):
    with override_settings(REGISTRY_VALIDATION={"RADIUS_M": 1_000}):
        assert "DUPLICATE" not in _found(check_name("大郢村", "village", division=FEIXI, location=ACROSS).findings)
    with override_settings(REGISTRY_VALIDATION={"RADIUS_M": 30_000}):
        assert "DUPLICATE" in _found(check_name("大郢村", "village", division=FEIXI, location=FAR).findings)
    with override_settings(REGISTRY_VALIDATION={"RADIUS_M": 0}):
        assert _found(check_name("大郢村", "village", division=FEIXI, location=ACROSS).findings) == {}


def test_a_renamed_place_is_compared_at_its_own_point(home, db):
    from registry.services.places import place_create

    other = place_create(
        name="小河村",
        category="village",
        division=Division.objects.get(code=FEIXI),
        longitude=Decimal(str(ACROSS[0])),
        latitude=Decimal(str(ACROSS[1])),
    )
    assert "DUPLICATE" in _found(check_name("大郢村", "village", place=other).findings)
    unlocated = place_create(name="小湖村", category="village", division=Division.objects.get(code=FEIXI))
    assert _found(check_name("大郢村", "village", place=unlocated).findings) == {}


def test_the_audit_flags_both_places_across_the_border(home, db):
    from registry.services.places import place_create

    twin = place_create(
        name="大郢村",
        category="village",
        division=Division.objects.get(code=FEIXI),
        longitude=Decimal(str(ACROSS[0])),
        latitude=Decimal(str(ACROSS[1])),
    )
    _total, results = audit_places(categories=["village"], workers=1)
    flagged = {r.code: _found(r.findings) for r in results}
    assert flagged[home.code]["DUPLICATE"][1] == [twin.code]
    assert flagged[twin.code]["DUPLICATE"][1] == [home.code]


def test_the_message_is_chinese_by_default(home):
    with translation.override("zh-hans"):
        message = _found(check_name("大郢村", "village", division=FEIXI, location=ACROSS).findings)["DUPLICATE"][0]
    assert "相距1.9公里" in message and "10公里" in message
