"""The listings row check's tables (heritage.PLACE_COLUMN, COLUMNS, REQUIREMENTS): each
column and requirement fires on a row built to break it, with its Chinese message."""

import pytest
from django.utils import translation

from registry.importers import heritage
from registry.importers.columns import HERITAGE_HEADERS, LISTING_COLUMNS
from registry.importers.results import Problem, ProblemList
from registry.models import HeritageListing

GOOD = {"scheme": "red", "level": "municipal"}


@pytest.fixture
def town(make_place):
    return make_place("三河镇", category="town")


def _check(town, rows, *, existing=None, update=False):
    """The problems of ``rows`` (cells) checked one after the other, in Chinese."""
    known = heritage._Known({town.code: town}, existing or {}, {}, update)
    problems = ProblemList()
    with translation.override("zh-hans"):
        for line, cells in enumerate(rows, start=2):
            heritage._check(line, {"place": town.code, **GOOD, **cells}, known, problems)
    return list(problems)


def test_every_listing_field_is_a_column_with_its_chinese_header():
    assert [c.key for c in heritage.COLUMNS] == list(LISTING_COLUMNS)
    assert all(c.header == HERITAGE_HEADERS[c.key] for c in (heritage.PLACE_COLUMN, *heritage.COLUMNS))


@pytest.mark.parametrize(
    "cells,column,message",
    [
        ({"place": "340181Z99999"}, "place", "地名编码“340181Z99999”不存在。"),
        ({"notice_start": "2021-02-30"}, "notice_start", "“2021-02-30”不是日期（YYYY-MM-DD）。"),
        ({"notice_end": "soon"}, "notice_end", "“soon”不是日期（YYYY-MM-DD）。"),
        ({"in_use_since": "春秋"}, "in_use_since", "“春秋”不是年份（应为整数，公元前用负数）。"),
    ],
)
def test_each_column_refuses_its_bad_cell_with_its_chinese_problem(town, cells, column, message):
    assert _check(town, [cells]) == [Problem(2, column, message)]


def test_every_column_message_has_its_chinese():
    for column in (heritage.PLACE_COLUMN, *heritage.COLUMNS):
        if column.message:
            with translation.override("en"):
                english = str(column.message)
            with translation.override("zh-hans"):
                assert str(column.message) != english


def test_a_listing_twice_in_the_file_breaks_its_requirement(town):
    assert _check(town, [{}, {}]) == [Problem(3, "scheme", f"{town.code} 在 red 类别中重复出现（首次见第 2 行）。")]


def test_a_listing_already_in_the_registry_needs_update(town):
    listing = HeritageListing.objects.create(place=town, scheme="red", level="municipal")
    existing = {(town.pk, "red"): listing}
    assert _check(town, [{}], existing=existing) == [
        Problem(2, "scheme", f"{town.code} 三河镇 已列入 red 名录（如需更新请使用 --update）。")
    ]
    assert _check(town, [{}], existing=existing, update=True) == []


def test_every_heritage_requirement_is_covered_above():
    assert len(heritage.REQUIREMENTS) == 2
