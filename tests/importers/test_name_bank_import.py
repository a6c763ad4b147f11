"""import_name_bank: CSV (UTF-8, GBK) and XLSX, all or nothing, problems by line and column in Chinese."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from registry.importers.name_bank import import_name_bank
from registry.models import NameBankEntry
from registry.models.name_bank import BankStatus

HEADER = "名称,类别,主题或系列,拟用区划代码,预留给,有效期至,来源,备注\n"
GOOD = HEADER + (
    "紫云路,道路街巷,紫云系列,340104,,2030-12-31,蜀山区路网命名规划（2025）,\n"
    "青枫路,road,紫云系列,340104,某片区路网项目,,蜀山区路网命名规划（2025）,第二批\n"
)


def write(tmp_path, text, encoding="utf-8", name="bank.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_a_good_csv_enters_every_row(db, tmp_path, encoding):
    result = import_name_bank(write(tmp_path, GOOD, encoding))
    assert result.ok and (result.rows, result.created) == (2, 2)
    rows = {e.name: e for e in NameBankEntry.objects.all()}
    assert rows["紫云路"].status == BankStatus.AVAILABLE and str(rows["紫云路"].expires_on) == "2030-12-31"
    assert rows["青枫路"].status == BankStatus.RESERVED and rows["青枫路"].series == "紫云系列"
    assert rows["紫云路"].history.get().history_change_reason == "name bank: import"


def test_an_xlsx_enters_every_row(db, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in GOOD.strip().split("\n"):
        sheet.append(line.split(","))
    path = tmp_path / "bank.xlsx"
    book.save(path)
    assert import_name_bank(path).created == 2


@pytest.mark.parametrize(
    "rows,line,column,words",
    [
        ("紫云路,道路街巷,,340104,,,,\n", 2, "来源", ""),  # no source
        ("紫云河,道路街巷,,340104,,,规划,\n", 2, "名称", "河"),  # GENERIC_MISMATCH
        ("紫云路,城堡,,340104,,,规划,\n", 2, "类别", "城堡"),
        ("紫云路,道路街巷,,340104,,明年,规划,\n", 2, "有效期至", "明年"),
        ("紫云路,道路街巷,,999999,,,规划,\n", 2, "拟用区划代码", "999999"),
        (
            "青枫路,道路街巷,,340104,,,规划,\n紫云路,道路街巷,,340104,,,规划,\n紫云路,道路街巷,,340111,,,规划,\n",
            4,
            "名称",
            "紫云路",
        ),
    ],
)
def test_a_bad_row_writes_nothing_and_is_named_by_line_and_column_in_chinese(db, tmp_path, rows, line, column, words):
    with translation.override("zh-hans"):
        result = import_name_bank(write(tmp_path, HEADER + rows))
        shown = [str(p) for p in result.problems]
    assert not result.ok and result.created == 0
    assert not NameBankEntry.objects.exists()
    assert [(p.line, p.column) for p in result.problems][:1] == [(line, column)], shown
    assert words in result.problems[0].message
    assert shown[0].startswith(f"第 {line} 行") or shown[0].startswith(f"第{line}行"), shown


def test_an_unknown_or_missing_column_refuses_the_file(db, tmp_path):
    result = import_name_bank(write(tmp_path, "名称,颜色\n紫云路,红\n"))
    assert {(p.line, p.column) for p in result.problems} == {(1, "颜色"), (1, "类别"), (1, "来源")}


def test_a_dry_run_writes_nothing(db, tmp_path):
    result = import_name_bank(write(tmp_path, GOOD), dry_run=True)
    assert result.ok and result.created == 2 and not NameBankEntry.objects.exists()


def test_the_command_reports_and_refuses(db, tmp_path, capsys):
    call_command("import_name_bank", str(write(tmp_path, GOOD, "gbk")), "--encoding", "gbk")
    assert NameBankEntry.objects.count() == 2
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_name_bank", str(write(tmp_path, GOOD, name="again.csv")))
    assert NameBankEntry.objects.count() == 2


def test_an_empty_file_is_a_problem_of_the_file(db, tmp_path):
    result = import_name_bank(write(tmp_path, ""))
    assert [p.line for p in result.problems] == [0]
