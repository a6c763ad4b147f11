"""audit_names: the registry-wide check, its report and its stored summary."""

import csv
import json

from django.core.management import call_command

from registry.models import Place
from registry.validation import check_name


def test_the_audit_reports_what_single_checks_find(registry, make_place, tmp_path):
    make_place("金斋路")  # a homophone of 金寨路
    make_place("长江中路", division=registry["长江西路"].division)  # a legacy duplicate
    report = tmp_path / "audit.csv"
    call_command("audit_names", output=str(report), verbosity=0)
    with open(report, encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    found = {(r["name"], r["rule"]) for r in rows}
    assert ("金斋路", "HOMOPHONE") in found and ("金寨路", "HOMOPHONE") in found
    assert sum(1 for r in rows if r["name"] == "长江中路" and r["rule"] == "DUPLICATE") == 2
    # The audit and a single check agree, place by place.
    for place in Place.objects.filter(status="active"):
        single = {f.rule for f in check_name(place.name, place.category, place=place, pinyin=place.pinyin).findings}
        assert {r["rule"] for r in rows if r["code"] == place.code} == single, place.name


def test_the_audit_stores_the_worst_finding_and_writes_json(registry, make_place, tmp_path):
    flagged = make_place("金斋路")
    Place.objects.update(finding_level="", finding_rules="")
    report = tmp_path / "audit.json"
    call_command("audit_names", output=str(report), category=["road"], verbosity=0)
    flagged.refresh_from_db()
    assert flagged.finding_level == "warning" and flagged.finding_rules == "HOMOPHONE"
    data = json.loads(report.read_text(encoding="utf-8"))
    assert {"code", "name", "rule", "severity", "message", "matched_codes"} <= set(data[0])
    assert {d["category"] for d in data} == {"road"}


def test_a_report_of_another_type_is_refused(db, tmp_path):
    import pytest
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=".csv or .json"):
        call_command("audit_names", output=str(tmp_path / "audit.xls"))
