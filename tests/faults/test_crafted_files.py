"""Crafted files (issue #12, reliability 7): each is refused quickly, in little memory, with
a clear Chinese problem (English with --language en), and nothing is written.

The files are built here, small: a tiny workbook whose <dimension> is patched to claim
A1:XFD1048576 with one far cell; deflate bombs from a long run of zeros; headers of
thousands of columns. Limits are lowered with ``settings`` where the real ones would make
a test build hundreds of megabytes.

Part of the fault suite (moved here from tests/importers/, where it no longer is): unlike
the rest of the suite it runs in-process, the files being the fault, not the processes.
"""

import io
import json
import re
import time
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from registry.importers.places import import_places
from registry.importers.readers import FileProblem, read_rows
from registry.models import Place, PlaceName

HEADER = ["name", "category", "division"]


def snapshot():
    return (Place.objects.count(), PlaceName.objects.count(), Place.history.count())


def refused(path, *args):
    """The command's error text (stderr + the CommandError), asserting nothing was written;
    in Chinese unless ``--language`` says otherwise."""
    if "--language" not in args:
        args = (*args, "--language", "zh-hans")
    before = snapshot()
    err = io.StringIO()
    started = time.perf_counter()
    with pytest.raises(CommandError) as caught:
        call_command("import_places", str(path), *args, verbosity=0, stderr=err)
    assert time.perf_counter() - started < 10
    assert snapshot() == before
    return err.getvalue() + str(caught.value)


def workbook_bytes(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def patch_sheet(data: bytes, change) -> bytes:
    """The workbook with its first sheet's XML passed through ``change``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = change(content.decode()).encode()
            target.writestr(item.filename, content)
    return out.getvalue()


def far_cell_workbook(
    ref="A1:XFD1048576", far='<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>', far_row=1048576
) -> bytes:
    data = workbook_bytes([HEADER, ["庐江路", "road", "340111"]])

    def change(xml):
        xml = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>', xml)
        return xml.replace("</sheetData>", f'<row r="{far_row}">{far}</row></sheetData>')

    return patch_sheet(data, change)


def bomb(member_size: int) -> bytes:
    """A zip that looks like a workbook whose sheet is ``member_size`` zeros (deflate: ~1000:1)."""
    data = workbook_bytes([HEADER, ["庐江路", "road", "340111"]])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                with target.open(item.filename, "w", force_zip64=True) as member:
                    chunk = b"0" * (1 << 20)
                    for _ in range(member_size // len(chunk)):
                        member.write(chunk)
            else:
                target.writestr(item.filename, source.read(item.filename))
    return out.getvalue()


# --- XLSX -------------------------------------------------------------------------------


def test_a_sheet_claiming_the_whole_grid_is_refused_before_it_is_read(db, tmp_path):
    path = tmp_path / "far.xlsx"
    path.write_bytes(far_cell_workbook())
    assert path.stat().st_size < 10_000
    text = refused(path)
    assert "工作表声明有 16384 列（A1:XFD1048576），最多接受 200 列。" in text


def test_the_refusal_is_in_english_with_language_en(db, tmp_path):
    path = tmp_path / "far.xlsx"
    path.write_bytes(far_cell_workbook())
    text = refused(path, "--language", "en")
    assert "The sheet claims 16384 columns (A1:XFD1048576); at most 200 are accepted." in text


def test_a_sheet_claiming_too_many_rows_is_refused(db, tmp_path):
    path = tmp_path / "rows.xlsx"
    path.write_bytes(
        far_cell_workbook(
            ref="A1:C99999999", far='<c r="A99999999" t="inlineStr"><is><t>x</t></is></c>', far_row=99999999
        )
    )
    assert "工作表声明有 99999999 行（A1:C99999999），最多接受 2000000 行。" in refused(path)


def test_one_far_cell_under_a_modest_dimension_costs_one_cell_not_a_grid(db, tmp_path):
    """The dimension is absent (or lies small): the far cell is outside the header's columns
    and a million rows down; the one real row is imported, quickly."""
    data = far_cell_workbook()
    data = patch_sheet(data, lambda xml: re.sub(r'<dimension ref="[^"]*"\s*/>', "", xml))
    path = tmp_path / "far.xlsx"
    path.write_bytes(data)
    started = time.perf_counter()
    _fmt, columns, rows = read_rows(path)
    rows = list(rows)
    assert time.perf_counter() - started < 5
    assert columns == HEADER
    assert rows == [(2, {"name": "庐江路", "category": "road", "division": "340111"})]


def test_a_dimension_that_lies_small_does_not_cut_rows_off(tmp_path):
    data = workbook_bytes([HEADER, ["庐江路", "road", "340111"], ["金寨路", "road", "340104"]])
    data = patch_sheet(data, lambda xml: re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:A1"/>', xml))
    path = tmp_path / "small.xlsx"
    path.write_bytes(data)
    _fmt, columns, rows = read_rows(path)
    assert columns == HEADER and [line for line, _row in rows] == [2, 3]


def test_a_row_number_beyond_the_row_limit_ends_the_import(db, tmp_path, settings):
    settings.REGISTRY_IMPORT_MAX_ROWS = 1000
    data = far_cell_workbook(far='<c r="A5000" t="inlineStr"><is><t>x</t></is></c>', far_row=5000)
    data = patch_sheet(data, lambda xml: re.sub(r'<dimension ref="[^"]*"\s*/>', "", xml))
    path = tmp_path / "far.xlsx"
    path.write_bytes(data)
    assert "文件超过 1000 行（第 1002 行），请拆分为较小的文件后导入。" in refused(path)


def test_a_header_wider_than_the_limit_is_refused_in_a_short_message(db, tmp_path):
    data = workbook_bytes([HEADER + [f"c{i}" for i in range(300)]])
    data = patch_sheet(data, lambda xml: re.sub(r'<dimension ref="[^"]*"\s*/>', "", xml))
    path = tmp_path / "wide.xlsx"
    path.write_bytes(data)
    text = refused(path)
    assert "表头有 > 200 列，最多接受 200 列。" in text and len(text) < 500


def test_a_deflate_bomb_is_refused_by_its_compression_ratio(db, tmp_path):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb(64 << 20))  # 64 MB of zeros in ~65 KB
    assert path.stat().st_size < 200_000
    text = refused(path)
    assert "XLSX 文件压缩比异常（xl/worksheets/sheet1.xml 解压后为压缩大小的" in text
    assert "疑似压缩炸弹，已拒绝。" in text


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused(db, tmp_path, settings):
    settings.REGISTRY_IMPORT_MAX_UNCOMPRESSED = 16 << 20
    path = tmp_path / "big.xlsx"
    path.write_bytes(bomb(32 << 20))
    assert "XLSX 文件解压后为 32 MB，最多接受 16 MB。" in refused(path)


def test_a_damaged_zip_is_still_a_damaged_workbook(db, tmp_path):
    path = tmp_path / "cut.xlsx"
    path.write_bytes(workbook_bytes([HEADER])[:300])
    assert "XLSX 文件已损坏或不完整" in refused(path) or "damaged" in refused(path, "--language", "en")


# --- CSV ---------------------------------------------------------------------------------


def test_a_csv_header_of_a_million_columns_is_refused_in_a_short_message(db, tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(
        ",".join(["name", "category", "division"] + [f"c{i}" for i in range(1_000_000)]) + "\n庐江路,road,340111\n",
        encoding="utf-8",
    )
    text = refused(path)
    assert "表头有 1000003 列，最多接受 200 列。" in text
    assert len(text) < 500


def test_trailing_empty_header_cells_are_not_columns(tmp_path, settings):
    settings.REGISTRY_IMPORT_MAX_COLUMNS = 3
    path = tmp_path / "commas.csv"
    path.write_text("name,category,division,,,,\n庐江路,road,340111,,,,\n", encoding="utf-8")
    _fmt, columns, rows = read_rows(path)
    assert columns == HEADER and len(list(rows)) == 1


def test_a_csv_over_the_row_limit_is_refused_with_the_line(db, tmp_path, settings):
    settings.REGISTRY_IMPORT_MAX_ROWS = 100
    path = tmp_path / "long.csv"
    path.write_text("name,category,division\n" + "庐江路,road,340111\n" * 150, encoding="utf-8")
    assert "文件超过 100 行（第 102 行），请拆分为较小的文件后导入。" in refused(path)
    with translation.override("en"), pytest.raises(FileProblem, match=r"more than 100 rows \(line 102\)"):
        list(read_rows(path)[2])


def test_a_field_over_the_csv_limit_stays_a_clear_problem(db, tmp_path):
    path = tmp_path / "field.csv"
    path.write_text('name,category,division\n"' + "x" * 200_000 + '",road,340111\n', encoding="utf-8")
    assert "CSV 格式错误" in refused(path) or "malformed" in refused(path, "--language", "en")


# --- the cap on problems ------------------------------------------------------------------


def test_problems_are_capped_and_the_rest_counted(db, tmp_path, settings):
    settings.REGISTRY_IMPORT_MAX_PROBLEMS = 20
    path = tmp_path / "bad.csv"
    path.write_text("name,category,division\n" + "庐江路,nonsense,340111\n" * 500, encoding="utf-8")
    before = snapshot()
    result = import_places(path)
    assert snapshot() == before and not result.written
    assert len(result.problems) == 21 and result.problems.total == 500 and result.failed == 500
    assert [p.line for p in result.problems[:20]] == list(range(2, 22))
    with translation.override("zh-hans"):
        assert result.problems[-1].message == "另有 480 个问题未列出"
    with translation.override("en"):
        assert result.problems[-1].message == "and 480 more problems (not listed)"


def test_the_report_lists_the_cap_and_the_count(db, tmp_path, settings):
    settings.REGISTRY_IMPORT_MAX_PROBLEMS = 5
    path = tmp_path / "bad.csv"
    path.write_text("name,category,division\n" + "庐江路,nonsense,340111\n" * 50, encoding="utf-8")
    report = tmp_path / "report.csv"
    text = refused(path, "--report", str(report), "--language", "en")
    assert "Nothing was imported: 50 problems in 50 rows." in text
    lines = report.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 1 + 5 + 1 and lines[-1] == "0,,and 45 more problems (not listed)"


# --- JSON ---------------------------------------------------------------------------------


def test_a_json_value_over_the_record_limit_is_refused(db, tmp_path, settings):
    """JSON is read a record at a time (``json_stream``): the file's size is no limit, one
    value's is (a record never closed would otherwise be read to the end)."""
    settings.REGISTRY_IMPORT_MAX_JSON_RECORD = 1 << 20
    path = tmp_path / "big.json"
    path.write_text('[{"name": "庐江路", "category": "road", "division": "' + "3" * (2 << 20) + '"}]', encoding="utf-8")
    assert "JSON 文件第 1 行开始的值超过 1 MB；单条记录必须更小" in refused(path)
    assert "The JSON value that starts at line 1 is larger than 1 MB" in refused(path, "--language", "en")


def test_json_records_with_too_many_keys_are_refused(db, tmp_path):
    path = tmp_path / "keys.json"
    path.write_text(json.dumps([{f"k{i}": i for i in range(5000)}]), encoding="utf-8")
    assert "表头有 5000 列，最多接受 200 列。" in refused(path)
