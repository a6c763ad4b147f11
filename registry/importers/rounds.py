"""A naming round read from the spreadsheet a planning department sends (CSV in UTF-8 or
GBK, or XLSX): all or nothing.

One row is one item. The headers are Chinese (``ROUND_HEADERS``) or the API's field
names; an action and a category may be given by their Chinese label (命名, 道路街巷) or
code. Every row is judged as the API judges an item (``rounds.item_fields``) before
anything is written; a problem is reported by row and column, in Chinese, and one bad
row means the round is not created. Then the round and its items are written in one
transaction and judged together (``round_steps.store_checks``), so the findings are
there when the file has been read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from registry.choices import Category
from registry.importers.columns import codes_by_label
from registry.importers.readers import read_rows
from registry.importers.rows import unescape_cell
from registry.models import Round, RoundItem
from registry.models.rounds import ItemAction
from simple_history.utils import bulk_create_with_history

from registry.services.round_steps import judge_items
from registry.services.rounds import item_fields, round_create

ROUND_HEADERS = {
    "action": "操作",
    "place": "地名编码",
    "name": "拟用名称",
    "category": "类别",
    "division": "行政区划代码",
    "pinyin": "拼音",
    "reason": "理由",
    "origin": "含义由来",
    "longitude": "经度",
    "latitude": "纬度",
    "geometry": "几何（GeoJSON）",
    "start": "起点",
    "end": "终点",
    "carries": "承载",
    "crosses": "跨越",
}
_ALIASES = {"名称": "name", "编码": "place", "理由说明": "reason"}
DETAIL_COLUMNS = ("start", "end", "carries", "crosses")


class Problem(NamedTuple):
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(line)s, column “%(column)s”: %(message)s") % {
            "line": self.line,
            "column": self.column or "—",
            "message": self.message,
        }


class RoundFileProblems(Exception):
    """The file's problems by row and column; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _field_of(header: str) -> str | None:
    header = (header or "").strip()
    by_chinese = {v: k for k, v in ROUND_HEADERS.items()} | _ALIASES
    return header if header in ROUND_HEADERS else by_chinese.get(header)


def _values(raw: dict, columns: dict[str, str]) -> dict:
    """One row's cells by field (formula escapes undone), empty ones left out."""
    values = {}
    for header, field in columns.items():
        text = unescape_cell(str(raw.get(header) if raw.get(header) is not None else "").strip())
        if text:
            values[field] = text
    return values


def _item_arguments(values: dict) -> tuple[dict, list[tuple[str, str]]]:
    """The arguments of ``item_fields`` from a row, and the cells that cannot be read."""
    errors = []
    actions = codes_by_label(ItemAction) | {"命名": "name", "更名": "rename", "销名": "retire"}
    action = values.pop("action", "name")
    values["action"] = actions.get(action, action)
    if "category" in values:
        values["category"] = codes_by_label(Category).get(values["category"], values["category"])
    if "geometry" in values:
        try:
            values["geometry"] = json.loads(values["geometry"])
        except ValueError:
            errors.append(("geometry", _("Not GeoJSON: %(value)s") % {"value": values["geometry"][:40]}))
            values.pop("geometry")
    details = {key: values.pop(key) for key in DETAIL_COLUMNS if key in values}
    return {**values, "details": details}, errors


def _header(field: str) -> str:
    return ROUND_HEADERS.get(field, field)


def read_items(path: Path, encoding: str = "auto") -> list[tuple[int, dict]]:
    """Every row as item fields, or ``RoundFileProblems`` naming each bad row and column."""
    _fmt, header, rows = read_rows(Path(path), encoding=encoding)
    columns = {h: _field_of(h) for h in header if _field_of(h)}
    problems = [Problem(1, h, _("Unknown column.")) for h in header if h and not _field_of(h)]
    read = []
    for line, raw in rows:
        arguments, errors = _item_arguments(_values(raw, columns))
        problems += [Problem(line, _header(field), message) for field, message in errors]
        try:
            read.append((line, item_fields(**arguments)))
        except ValidationError as exc:
            for field, messages in getattr(exc, "message_dict", {"": exc.messages}).items():
                problems += [Problem(line, _header(field), message) for message in messages]
    if not read and not problems:
        problems.append(Problem(2, "", _("The file has no items.")))
    if problems:
        raise RoundFileProblems(problems)
    return read


@transaction.atomic
def round_import(
    path: Path, *, title: str, drafted_by, organisers: str = "", authority: str = "", encoding: str = "auto"
) -> Round:
    """Create the draft round with every item of the file, checked; nothing on any bad row."""
    items = read_items(path, encoding)
    round_ = round_create(title=title, drafted_by=drafted_by, organisers=organisers, authority=authority)
    created = [
        RoundItem(round=round_, position=position, **fields) for position, (_line, fields) in enumerate(items, start=1)
    ]
    judge_items(created)  # judged before they are written: one insert and one history row each
    bulk_create_with_history(
        created, RoundItem, batch_size=500, default_user=drafted_by, default_change_reason="import"
    )
    return round_
