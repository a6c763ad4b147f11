"""The name bank's one write path: checked on entry, taken once, expired, re-checked; RESERVED for others."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from registry.models import NameBankEntry
from registry.models.name_bank import BankStatus
from registry.services.name_bank import bank_entry_save, bank_expire, bank_recheck, bank_take
from registry.validation import check_name

SHUSHAN, BAOHE, FEIXI = "340104", "340111", "340122"


def entry(name="紫云路", category="road", division=SHUSHAN, **fields):
    fields.setdefault("source", "蜀山区路网命名规划（2025）")
    return NameBankEntry(name=name, category=category, division_id=division, **fields)


def save(name="紫云路", override_reason="", **fields):
    return bank_entry_save(entry=entry(name, **fields), override_reason=override_reason)


def test_a_clean_name_is_entered_available_with_its_pinyin_and_a_history_row(db):
    saved = save()
    assert saved.status == BankStatus.AVAILABLE
    assert saved.pinyin == "Ziyun Lu"
    assert saved.findings == [] and saved.checked_at is not None
    assert saved.history.get().history_change_reason == "name bank: create"


def test_reserved_for_a_project_makes_it_reserved(db):
    assert save(reserved_for="合肥新站高新区某路网项目").status == BankStatus.RESERVED


@pytest.mark.parametrize(
    "name,fields,problem",
    [
        ("紫云路", {"source": ""}, "source"),
        ("长江河", {}, "name"),  # GENERIC_MISMATCH: a road called …河
        ("紫云路", {"category": "nowhere"}, "category"),
        ("紫云路", {"pinyin": "Ziyun Road"}, "name"),  # ROMANIZATION: English generic
    ],
)
def test_refused_entries_write_nothing(db, name, fields, problem):
    with pytest.raises(ValidationError) as refused:
        save(name, **fields)
    assert problem in refused.value.message_dict
    assert not NameBankEntry.objects.exists()


def test_a_duplicate_of_a_registry_name_is_refused_with_the_finding_unless_a_reason_is_given(make_place):
    make_place("紫云路")
    with pytest.raises(ValidationError) as refused:
        save()
    assert any("紫云路" in m for m in refused.value.message_dict["name"])
    kept = save(override_reason="规划确认保留：原紫云路将更名")
    assert kept.accepted_rules == "DUPLICATE" and kept.finding_level == "error"
    assert kept.findings[0]["rule"] == "DUPLICATE"


def test_a_reserved_name_is_a_warning_for_other_proposals_in_its_scope_only(db):
    kept = save(reserved_for="某项目")
    in_scope = check_name("紫云路", "road", division=BAOHE)  # 包河区: the same city scope
    assert [(f.rule, f.severity) for f in in_scope.findings] == [("RESERVED", "warning")]
    assert f"{kept.pk}" in in_scope.findings[0].message and "choose another name" in in_scope.findings[0].message
    assert in_scope.ok
    assert check_name("紫云路", "road").findings[0].rule == "RESERVED"  # no division: the whole registry
    assert check_name("紫云桥", "bridge", division=BAOHE).findings == []  # another category


def test_a_village_bank_name_is_reserved_in_its_county_only(db):
    save("紫云村", category="village", division=FEIXI)
    assert [f.rule for f in check_name("紫云村", "village", division=FEIXI).findings] == ["RESERVED"]
    assert check_name("紫云村", "village", division="340124").findings == []  # 庐江县


def test_taking_marks_it_used_once_and_ends_the_warning(db):
    kept = save()
    taken = bank_take(kept, for_what="命名批次第5批 第12项", user=None)
    assert taken.status == BankStatus.USED and taken.used_for == "命名批次第5批 第12项"
    assert check_name("紫云路", "road", division=SHUSHAN).findings == []
    with pytest.raises(ValidationError, match="already taken"):
        bank_take(kept, for_what="另一项", user=None)
    assert NameBankEntry.objects.get().used_for == "命名批次第5批 第12项"
    assert [h.history_change_reason for h in kept.history.order_by("history_id")] == [
        "name bank: create",
        "name bank: take",
    ]
    with pytest.raises(ValidationError):
        bank_entry_save(entry=NameBankEntry.objects.get(), override_reason="")


def test_taking_needs_a_purpose(db):
    with pytest.raises(ValidationError) as refused:
        bank_take(save(), for_what="  ", user=None)
    assert "for_what" in refused.value.message_dict


def test_expiry_ends_holding_and_the_warning(db):
    today = timezone.localdate()
    old = save(expires_on=today + dt.timedelta(days=1))
    save("青枫路", expires_on=today + dt.timedelta(days=30))
    assert [e.pk for e in bank_expire(today=today + dt.timedelta(days=2))] == [old.pk]
    old.refresh_from_db()
    assert old.status == BankStatus.EXPIRED
    assert check_name("紫云路", "road", division=SHUSHAN).findings == []
    with pytest.raises(ValidationError, match="expired"):
        bank_take(old, for_what="某路", user=None)


def test_recheck_flags_an_entry_that_became_a_duplicate_and_clears_it_when_that_is_gone(make_place):
    kept, other = save(), save("青枫路")
    place = make_place("紫云路")
    report = bank_recheck()
    assert report.checked == 2 and report.flagged == [kept] and report.cleared == []
    kept.refresh_from_db()
    assert kept.status == BankStatus.FLAGGED and kept.findings[0]["rule"] == "DUPLICATE"
    assert place.code in str(kept.findings[0]["matches"])
    with pytest.raises(ValidationError, match="flagged"):
        bank_take(kept, for_what="某路", user=None)
    from registry.services.places import place_retire

    place_retire(place=place)
    report = bank_recheck()
    assert [e.pk for e in report.cleared] == [kept.pk]
    kept.refresh_from_db()
    assert kept.status == BankStatus.AVAILABLE
    assert other.history.count() == 1  # judged as before: no history row


def test_recheck_keeps_an_accepted_error_but_flags_a_new_one(make_place):
    make_place("紫云路")
    kept = save(override_reason="规划确认保留")
    assert bank_recheck().flagged == []
    kept.refresh_from_db()
    assert kept.status == BankStatus.AVAILABLE


def test_bank_entries_are_never_deleted(db):
    kept = save()
    with pytest.raises(Exception, match="never deleted"):
        kept.delete()


def test_a_name_is_kept_once_per_scope(db):
    first = save()
    with pytest.raises(ValidationError, match=f"entry {first.pk}"):
        save(division=BAOHE)
    save("紫云村", category="village", division=FEIXI)
    assert save("紫云村", category="village", division="340124").status == BankStatus.AVAILABLE  # another county
