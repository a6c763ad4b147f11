"""import_round: all or nothing, problems by row and column in Chinese, GBK or UTF-8, XLSX."""

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from registry.models import Round

HEADER = "操作,地名编码,拟用名称,类别,行政区划代码,理由,承载,跨越\n"
GOOD = (
    "命名,,经一路,道路街巷,340104,新建道路,,\n"
    "命名,,经三路,道路街巷,340104,新建道路,,\n"
    "命名,,长江路南淝河桥,桥梁,340104,新建桥梁,长江路,南淝河\n"
    "命名,,松风桥,桥梁,340104,新建桥梁,长江路,南淝河\n"
)


def run(path, *extra):
    call_command("import_round", str(path), "--title", "第五批", "--user", "clerk", *extra)


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_a_good_file_makes_a_checked_round(tmp_path, users, encoding, capsys):
    path = tmp_path / "round.csv"
    path.write_bytes((HEADER + GOOD).encode(encoding))
    run(path)
    round_ = Round.objects.get()
    assert round_.items.count() == 4
    assert {f["rule"] for f in round_.items.get(position=1).findings} >= {"SERIES_GAP"}
    assert "BRIDGE_NAME" not in {f["rule"] for f in round_.items.get(position=3).findings}
    assert "BRIDGE_NAME" in {f["rule"] for f in round_.items.get(position=4).findings}


def test_one_bad_row_and_nothing_is_created(tmp_path, users, capsys):
    path = tmp_path / "round.csv"
    path.write_text(HEADER + GOOD + "更名,XX999,新名路,,,规范更名,,\n命名,,,道路街巷,999999,理由,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="未创建"):
        run(path)
    err = capsys.readouterr().err
    assert "第 6 行，“地名编码”列" in err
    assert "第 7 行，“行政区划代码”列" in err
    assert not Round.objects.exists()


def test_xlsx_and_dry_run(tmp_path, users, capsys):
    book = Workbook()
    sheet = book.active
    for line in (HEADER + GOOD).strip().split("\n"):
        sheet.append(line.split(","))
    path = tmp_path / "round.xlsx"
    book.save(path)
    run(path, "--dry-run")
    assert "试运行" in capsys.readouterr().out and not Round.objects.exists()
    run(path)
    assert Round.objects.get().items.count() == 4
