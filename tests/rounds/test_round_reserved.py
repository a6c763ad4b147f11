"""A name the name bank holds is a RESERVED warning for a round's item in its scope, as for a single proposal.

Each row: a bank entry, and a round item of a name; the round is checked (submitted) and
the item's RESERVED findings compared with what the table expects and with what a single
proposal of the same name, category and division is told.
"""

import datetime as dt

import pytest
from django.utils import timezone

from registry.models import NameBankEntry
from registry.services.name_bank import bank_entry_save, bank_take
from registry.services.proposals import proposal_create
from registry.services.rounds import round_create, round_item_add, round_transition

SHUSHAN, BAOHE, FEIDONG, LUJIANG = "340104", "340111", "340122", "340124"

# (bank entry: name, category, division, reserved for, taken; item: name, category, division;
#  the RESERVED message expected: RESERVED, RESERVED_FOR (naming what it is held for), or none)
CASES = [
    (("紫云路", "road", SHUSHAN, "", False), ("紫云路", "road", SHUSHAN), "RESERVED"),
    (("紫云路", "road", SHUSHAN, "新站区路网项目", False), ("紫云路", "road", BAOHE), "RESERVED_FOR"),  # one city
    (("紫云路", "road", SHUSHAN, "", False), ("紫云桥", "bridge", SHUSHAN), None),  # another name and category
    (("紫云路", "road", SHUSHAN, "", True), ("紫云路", "road", SHUSHAN), None),  # taken: it holds nothing now
    (("紫云村", "village", FEIDONG, "", False), ("紫云村", "village", FEIDONG), "RESERVED"),
    (("紫云村", "village", FEIDONG, "", False), ("紫云村", "village", LUJIANG), None),  # a village's scope: its county
    (("紫云路", "road", "", "", False), ("紫云路", "road", BAOHE), "RESERVED"),  # an entry for anywhere
]


@pytest.mark.parametrize("bank, item, expected", CASES)
def test_a_bank_name_is_reserved_for_a_round_item_as_for_a_proposal(users, settings, bank, item, expected):
    settings.REGISTRY_NOTICE_DAYS = 0
    name, category, division, reserved_for, taken = bank
    entry = bank_entry_save(
        entry=NameBankEntry(
            name=name,
            category=category,
            division_id=division or None,
            reserved_for=reserved_for,
            source="路网命名规划（2025）",
            expires_on=timezone.localdate() + dt.timedelta(days=365),
        )
    )
    if taken:
        bank_take(entry, for_what="另一批次第1项", user=None)
    round_ = round_create(title="第六批道路命名", organisers="合肥市民政局", drafted_by=users["clerk"])
    item_name, item_category, item_division = item
    round_item_add(
        round_=round_,
        acting_user=users["clerk"],
        action="name",
        name=item_name,
        category=item_category,
        division=item_division,
        reason="新建",
    )
    round_transition(round_=round_, transition="submit", acting_user=users["clerk"])
    stored = round_.items.get().findings
    single = proposal_create(
        action="name",
        name=item_name,
        category=item_category,
        division=item_division,
        reason="新建",
        drafted_by=users["clerk"],
    )
    found = [f for f in stored if f["rule"] == "RESERVED"]
    assert [f for f in single.check_findings if f["rule"] == "RESERVED"] == found
    if expected is None:
        assert found == []
        return
    assert [f["severity"] for f in found] == ["warning"] and str(entry.pk) in found[0]["message"]
    assert ("for a project" in found[0]["message"]) == (expected == "RESERVED_FOR")
