"""Row checks as tables: the columns of a table and the requirements between them, and the
walk that reads a row through them (the places rows in ``rows``, the listings in ``heritage``).

A ``Column`` says how one cell (or a group of cells read together) is read and normalised,
where its value goes, and the message for a cell that is not valid; a ``Requirement``
says what must hold between the values read, with its message. ``read_row`` walks the
columns of a ``walk`` in order and checks each requirement once the column it is reported
on has been read, so the problems of a row come in the order of its columns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise

from registry.importers.columns import text_value
from registry.importers.results import Problem

EMPTY_CELLS = (None, "", {})


class Invalid(Exception):
    """A cell that its column's message describes: ``params`` fill the message in, and
    ``column`` names the column at fault when it is not the one being read."""

    def __init__(self, column: str = "", **params):
        super().__init__(params)
        self.column, self.params = column, params


class Reading:
    """One row being checked: its cells, what the check reads besides (``context``: the
    known divisions, the listed places …), the values read so far (a column whose cell is
    empty and may be, or is not valid, has none) and the problems found."""

    __slots__ = ("line", "raw", "context", "values", "problems")

    def __init__(self, line: int, raw: dict, context: Any = None):
        self.line, self.raw, self.context = line, raw, context
        self.values: dict[str, Any] = {}
        self.problems: list[Problem] = []

    def problem(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.line, column, message))

    def cells(self, *keys: str) -> list[str]:
        """The cells of ``keys`` as text, as the file has them."""
        return [text_value(self.raw.get(key)) for key in keys]


def text_cell(raw: dict, key: str) -> str:
    return text_value(raw.get(key))


def raw_cell(raw: dict, key: str):
    return raw.get(key)


def as_is(text: str, row: Reading) -> str:
    """The reader of a column that takes any text."""
    return text


@dataclass(frozen=True)
class Column:
    """One column of a table (or a group of cells read together). ``read(cell, row)`` gives
    the value, normalised; it raises ``Invalid`` (the problem is ``message``, filled in) or
    ValidationError (its own messages, as one problem). The cell is text unless ``cell``
    reads it otherwise. An ``optional`` column's empty cell is not read at all; a value read
    is stored in the model field ``into`` (a pair of fields for a pair of values), or is one
    of the row's own (``into`` empty). ``headers``: the table's Chinese headers (columns.py)."""

    key: str
    read: Callable[[Any, Reading], Any]
    message: Promise | str = ""
    into: str | tuple[str, ...] = ""
    optional: bool = False
    cell: Callable[[dict, str], Any] = text_cell
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)

    @property
    def header(self) -> str:
        """The column's Chinese header, "" for a group of cells."""
        return self.headers.get(self.key, "")


@dataclass(frozen=True)
class Requirement:
    """What must hold between a row's values, reported on ``column`` ("" for the record as
    a whole) and checked only when that column and the others it ``needs`` have a value (a
    column that could not be read has a problem already). ``broken(row)`` says it does not
    hold; the problem is ``message``, filled in with ``params(row)``."""

    column: str
    needs: tuple[str, ...]
    broken: Callable[[Reading], bool]
    message: Promise | str
    params: Callable[[Reading], dict] = lambda row: {}


def walk(columns: tuple[Column, ...], requirements: tuple[Requirement, ...] = ()) -> tuple:
    """The walk of ``read_row``, worked out once (a census has a million rows): for each
    column its key, how its cell is read (text, as it is, or by its own ``cell``), whether
    it is optional, its reader, the requirements checked once it is read, and the column."""
    after = {c.key: tuple(r for r in requirements if r.column == c.key) for c in columns}
    return tuple(
        (
            c.key,
            _TEXT if c.cell is text_cell else _RAW if c.cell is raw_cell else _OWN,
            c.optional,
            c.read,
            after[c.key],
            c,
        )
        for c in columns
    )


_TEXT, _RAW, _OWN = "text", "raw", "own"


def filled(message: Promise | str, params: dict) -> str:
    return str(message % params if params else message)


def read_row(row: Reading, steps: tuple) -> None:
    """Read ``row`` through the columns of ``steps`` (a ``walk``): values into ``row.values``,
    problems into ``row.problems``."""
    raw, values = row.raw, row.values
    for key, kind, optional, read, requirements, column in steps:
        if kind is _TEXT:  # the common case, and an empty cell is known without a call
            cell = raw.get(key)
            cell = "" if cell is None or cell == "" else text_value(cell)
            if optional and not cell:
                continue
        else:
            cell = raw.get(key) if kind is _RAW else column.cell(raw, key)
            if optional and cell in EMPTY_CELLS:
                continue
        try:
            values[key] = read(cell, row)
        except Invalid as exc:
            row.problem(exc.column or key, filled(column.message, exc.params))
        except ValidationError as exc:
            row.problem(key, " ".join(exc.messages))
        if requirements and values.get(key) is not None:
            check_requirements(row, requirements)


def check_requirements(row: Reading, requirements: tuple[Requirement, ...]) -> None:
    values = row.values
    for requirement in requirements:
        if requirement.column and values.get(requirement.column) is None:
            continue
        for key in requirement.needs:
            if values.get(key) is None:
                break
        else:
            if requirement.broken(row):
                row.problem(requirement.column, filled(requirement.message, requirement.params(row)))
