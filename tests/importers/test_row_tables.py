"""The row checks' tables (issue #17): every column of the places table and every requirement
between its values, each on a row built to break it, with today's Chinese problem; the
column maps of columns.py agree with the tables that read them."""

import re

import pytest
from django.utils import translation

from registry.importers import columns, rows
from registry.importers.results import Problem

DIVISIONS = {"340111"}
GOOD = {"name": "庐江路", "category": "road", "division": "340111"}

# Each column of rows.COLUMNS with a cell it refuses: (cells, problem column, Chinese problem).
BROKEN_COLUMNS = {
    "code": ({"code": "abc"}, "code", "“ABC”不是有效的地名编码（应为 4–32 位大写字母、数字或连字符）。"),
    "name": ({"name": " "}, "name", "名称为空。"),
    "category": (
        {"category": "avenue"},
        "category",
        "未知的类别“avenue”（可用：road, water, bridge, building, residential, town, village）。",
    ),
    "division": ({"division": "999999"}, "division", "未知的行政区划代码“999999”。"),
    "status": ({"status": "bogus"}, "status", "未知的状态“bogus”（可用：proposed, active, retired）。"),
    "verification": ({"verification": "nope"}, "verification", "未知的核实程度“nope”。"),
    "approval_date": ({"approval_date": "1990-03"}, "approval_date", "“1990-03”须为完整日期（YYYY-MM-DD）。"),
    "announcement_date": (
        {"announcement_date": "1990-02-30"},
        "announcement_date",
        "“1990-02-30”不是有效日期：该月没有 30 日。",
    ),
    "longitude": ({"longitude": "north", "latitude": "31.8"}, "longitude", "坐标“north”“31.8”不都是数字。"),
    "geometry": (
        {"geometry": "[]"},
        "geometry",
        "几何须为 GeoJSON 的 LineString、MultiLineString、Polygon 或 MultiPolygon 对象。",
    ),
    "details": ({"lanes": "wide"}, "lanes", "lanes: “wide”不是数字。"),
    "former_names": ({"former_names": "a|b|c|d"}, "former_names", "“a|b|c|d”超过三段（应为 名称|起|止）。"),
    "names": ({"names": "str"}, "names", "names 须为列表。"),
    "heritage": ({"heritage": "x"}, "heritage", "heritage 须为名录记录的列表。"),
}
# Columns that take any text (trimmed, a spreadsheet's formula escape taken off).
TEXT_COLUMNS = {"pinyin", "origin", "history", "source", "note", "approval_authority", "approval_document"}

# Each requirement of rows.REQUIREMENTS, by its message, with a row that breaks it.
BROKEN_REQUIREMENTS = {
    "The line has %(count)s more values than the header has columns.": (
        {"__extra__": ["a", "b"]},
        "",
        "该行比表头多出 2 个值。",
    ),
    "(%(lon)s, %(lat)s) lies outside China (WGS-84 longitude 73.4–135.1, latitude 3.8–53.6).": (
        {"longitude": "31.8", "latitude": "117.2"},
        "longitude",
        "（31.8, 117.2）位于中国境外（WGS-84 经度 73.4–135.1，纬度 3.8–53.6）。",
    ),
    "More than one current official name.": (
        {"names": [{"name": "庐江路", "kind": "official"}, {"name": "b", "kind": "official"}]},
        "names",
        "现行标准名称多于一个。",
    ),
    "The record's name “%(name)s” is not its current official name in names (“%(official)s”): the two must agree.": (
        {"names": [{"name": "别的", "kind": "official"}]},
        "names",
        "记录的名称“庐江路”与 names 中现行的标准名称“别的”不一致：两者必须相同。",
    ),
    "names has no current official name (kind official, no valid_to): it must list “%(name)s”.": (
        {"names": [{"name": "老名", "kind": "former"}]},
        "names",
        "names 中没有现行的标准名称（kind 为 official 且无 valid_to）：应列出“庐江路”。",
    ),
    "The retired place's name “%(name)s” is not among the official names in names.": (
        {"status": "retired", "names": [{"name": "别的", "kind": "official", "valid_to": "2000"}]},
        "names",
        "已销名地名的名称“庐江路”不在 names 的标准名称之中。",
    ),
}


def _check(cells: dict, language: str = "zh-hans"):
    with translation.override(language):
        return rows.check_row(7, {**GOOD, **cells}, divisions=DIVISIONS)


def test_every_column_is_pinned_here():
    """A column added to the table must be added to this test, with a cell it refuses."""
    assert {c.key for c in rows.COLUMNS} == set(BROKEN_COLUMNS) | TEXT_COLUMNS


@pytest.mark.parametrize("rule", sorted(BROKEN_COLUMNS) + sorted(BROKEN_REQUIREMENTS))
def test_each_column_and_requirement_refuses_a_row_built_to_break_it(rule):
    """With today's Chinese problem, and nothing else."""
    cells, column, message = {**BROKEN_COLUMNS, **BROKEN_REQUIREMENTS}[rule]
    row, problems = _check(cells)
    assert row is None and problems == [Problem(7, column, message)]


def test_a_good_row_passes_every_column_and_requirement():
    row, problems = _check(
        {
            "code": "340111R90001",
            "status": "",
            "longitude": "117.2846",
            "latitude": "31.8",
            "names": [{"name": "庐江路", "kind": "official"}],
            "origin": "'=HYPERLINK(1)",
        }
    )
    assert problems == []
    assert (row.code, row.status, row.attrs["origin"], str(row.attrs["longitude"])) == (
        "340111R90001",
        "active",
        "=HYPERLINK(1)",
        "117.284600",
    )


@pytest.mark.parametrize("column", [c for c in rows.COLUMNS if c.message], ids=lambda c: c.key)
def test_every_column_message_has_its_chinese(column):
    with translation.override("zh-hans"):
        chinese = str(column.message)
    with translation.override("en"):
        english = str(column.message)
    assert chinese != english and re.search(r"[\u4e00-\u9fff]", chinese)


@pytest.mark.parametrize(
    "column", [c for c in rows.COLUMNS if c.key not in ("details", "names", "heritage")], ids=lambda c: c.key
)
def test_every_column_has_its_chinese_header(column):
    assert column.header == columns.PLACE_HEADERS[column.key] and column.header


def _english(message) -> str:
    with translation.override("en"):
        return str(message)


def test_every_requirement_is_pinned_here():
    assert {_english(r.message) for r in rows.REQUIREMENTS} == set(BROKEN_REQUIREMENTS)


def test_a_requirement_waits_for_the_columns_it_reads():
    """Coordinates that are not numbers are one problem, not also “outside China”."""
    row, problems = _check({"longitude": "north", "latitude": "117.2"})
    assert [p.column for p in problems] == ["longitude"]


def test_the_problems_of_a_row_come_in_the_order_of_its_columns():
    row, problems = _check(
        {
            "__extra__": ["a"],
            "code": "abc",
            "category": "avenue",
            "longitude": "31.8",
            "latitude": "117.2",
            "former_names": "a|b|c|d",
        }
    )
    assert [p.column for p in problems] == ["", "code", "category", "longitude", "former_names"]


def test_the_column_maps_agree():
    """One map of headers: every known column a table can carry has its Chinese header (names and
    heritage come only in JSON), no header names a column the importer does not know, and no
    two columns share a header (in_codes reads them back)."""
    json_only = {"names", "heritage"}
    assert set(columns.PLACE_HEADERS) == set(columns.KNOWN_COLUMNS) - json_only
    assert set(columns.HERITAGE_HEADERS) == set(columns.HERITAGE_COLUMNS)
    for headers in (columns.PLACE_HEADERS, columns.HERITAGE_HEADERS):
        assert len(set(headers.values())) == len(headers)
    assert set(columns.TABLE_COLUMNS) <= set(columns.KNOWN_COLUMNS)
    assert set(columns.REQUIRED_COLUMNS) <= {c.key for c in rows.COLUMNS}
