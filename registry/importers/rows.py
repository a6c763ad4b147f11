"""One imported row, checked: every problem with its line, column and a clear message.

Legacy names are recorded even when today's rules flag them (the name check runs
later and reports); what is refused here is data that cannot be true or cannot be
stored: unknown categories and divisions, malformed codes, coordinates and dates,
details of the wrong type.

The rules are two tables, walked by ``check_row`` (``importers.tables``): ``COLUMNS`` (for each column: how
its cell is read and normalised, where the value goes and the message for a cell that
is not one), and ``REQUIREMENTS`` (what must hold between the values read: coordinates
inside China, a names history that agrees with the name …, each with its message). A
requirement is checked once the column it is reported on has been read, so the problems
of a row come in the order of the columns.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import partial
from sys import intern
from types import MappingProxyType

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry import partial_dates
from registry.choices import Category, NameKind, PlaceStatus, Verification
from registry.details import clean_details
from registry.importers.columns import DETAIL_COLUMNS, PLACE_HEADERS, text_value, unescape_cell
from registry.importers.results import Problem
from registry.importers.tables import (
    Column,
    Invalid,
    Reading,
    Requirement,
    as_is,
    check_requirements,
    raw_cell,
    read_row,
    walk,
)
from registry.models.places import CODE_SHAPE, in_china, validate_geometry
from registry.place_rows import coordinate
from registry.text import clean_name

_NOTHING = MappingProxyType({})
# Django's ``Choices.values`` builds a new list on every call: once per import row adds up.
_VALUES = {enum: frozenset(enum.values) for enum in (Category, PlaceStatus, Verification, NameKind)}


@dataclass(slots=True)
class PlaceRow:
    line: int
    code: str
    name: str
    category: str
    division: str
    status: str
    pinyin: str
    attrs: Mapping  # model fields beyond the name's (read-only: an empty one is shared)
    names: list[dict] | None  # the full history (JSON exports), or None
    former: Sequence[tuple[str, str, str]] = ()
    heritage: Sequence[dict] = ()
    pk: int | None = None  # once written
    judged_as: int = 0  # the line of the alike row whose name check stands for this one


def parse_former_names(text: str) -> list[tuple[str, str, str]]:
    """``名称|起|止`` entries separated by ``;`` (years or dates, either end may be empty)."""
    entries = []
    for chunk in text.replace("；", ";").split(";"):
        if not chunk.strip():
            continue
        parts = [p.strip() for p in chunk.replace("｜", "|").split("|")]
        if len(parts) > 3:
            raise ValueError(_("“%(entry)s” has more than three parts (名称|起|止).") % {"entry": chunk[:40]})
        parts += [""] * (3 - len(parts))
        name = clean_name(parts[0], field="former_names")
        start = partial_dates.normalize(parts[1])
        end = partial_dates.normalize(parts[2])
        if start and end and partial_dates.parse(end).last_key < partial_dates.parse(start).first_key:
            raise ValueError(
                _("“%(name)s” ends (%(end)s) before it begins (%(start)s).")
                % {"name": name, "end": end, "start": start}
            )
        entries.append((name, start, end))
    return entries


def _coordinate_cells(raw: dict, key: str):
    lon, lat = text_value(raw.get("longitude")), text_value(raw.get("latitude"))
    return (lon, lat) if lon or lat else None


def _detail_cells(raw: dict, key: str) -> dict:
    return {
        k: unescape_cell(raw[k]) if isinstance(raw[k], str) else raw[k]
        for k in DETAIL_COLUMNS
        if raw.get(k) not in (None, "") and text_value(raw[k])
    }


def _code(text: str, row: Reading) -> str:
    code = text.upper()
    if code and not CODE_SHAPE.match(code):
        raise Invalid(code=code[:40])
    return code


def _name(text: str, row: Reading) -> str:
    return clean_name(text)


def _choice(enum, shown: int, default: str = ""):
    """The reader of a column of codes of ``enum`` (the cell cut to ``shown`` characters in
    the message); an empty cell is ``default``."""
    values = _VALUES[enum]

    def read(text: str, row: Reading) -> str:
        value = text or default
        if value not in values:
            raise Invalid(value=value[:shown], choices=", ".join(enum.values))
        return value

    return read


def _division(text: str, row: Reading) -> str:
    if text not in row.context:  # the known division codes
        raise Invalid(code=text[:20])
    return text


def _text(text: str, row: Reading) -> str:
    return unescape_cell(text)


def _full_date(text: str, row: Reading) -> dt.date:
    parsed = partial_dates.parse(text)
    if parsed.day is None:
        raise Invalid(value=text[:20])
    return dt.date(parsed.year, parsed.month, parsed.day)


def _coordinates(cells: tuple[str, str], row: Reading) -> tuple[Decimal, Decimal]:
    lon, lat = cells
    try:
        lon_d, lat_d = Decimal(lon), Decimal(lat)
        if not (lon_d.is_finite() and lat_d.is_finite()):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise Invalid(
            "longitude" if not lon or not _is_number(lon) else "latitude", lon=lon[:20], lat=lat[:20]
        ) from None
    try:
        return coordinate(lon_d), coordinate(lat_d)  # as the services round (place_rows)
    except InvalidOperation:  # too many digits for six decimals: far outside China (a requirement)
        return lon_d, lat_d


def _geometry(value, row: Reading):
    try:
        if isinstance(value, str):
            value = json.loads(value)
        validate_geometry(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    return value


def _details(details: dict, row: Reading) -> dict | None:
    """The category's details, checked: each bad one its own problem, on its column."""
    category = row.values.get("category")
    if category is None:
        return None  # an unknown category (its own problem) has no details to check against
    try:
        return clean_details(category, details)
    except ValidationError as exc:
        for message in exc.messages:
            row.problem(message.split(":")[0] if ":" in message else "details", message)
    return None


def _former_names(text: str, row: Reading) -> list[tuple[str, str, str]]:
    try:
        return parse_former_names(text)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


def _names(names, row: Reading) -> list[dict] | None:
    return None if names is None else _check_names(names, row.problem)


def _listings(value, row: Reading) -> list:
    value = value or []
    if not isinstance(value, list):
        raise Invalid()
    return value


_lazy = gettext_lazy
_column = partial(Column, headers=PLACE_HEADERS)

# The places table, in the order its problems are reported.
COLUMNS: tuple[Column, ...] = (
    _column("code", _code, _lazy("“%(code)s” is not a valid place code (4–32 capital letters, digits or hyphens).")),
    _column("name", _name),
    _column("category", _choice(Category, 30), _lazy("Unknown category “%(value)s” (use one of %(choices)s).")),
    _column("division", _division, _lazy("Unknown division code “%(code)s”.")),
    _column(
        "status",
        _choice(PlaceStatus, 20, default=PlaceStatus.ACTIVE),
        _lazy("Unknown status “%(value)s” (use one of %(choices)s)."),
    ),
    _column("pinyin", as_is),
    _column("origin", _text, into="origin", optional=True),
    _column("history", _text, into="history_text", optional=True),
    _column("source", _text, into="source", optional=True),
    _column("note", _text, into="note", optional=True),
    _column("approval_authority", _text, into="approval_authority", optional=True),
    _column("approval_document", _text, into="approval_document", optional=True),
    _column(
        "verification",
        _choice(Verification, 20),
        _lazy("Unknown verification “%(value)s”."),
        into="verification",
        optional=True,
    ),
    _column(
        "approval_date",
        _full_date,
        _lazy("“%(value)s” must be a full date (YYYY-MM-DD)."),
        into="approval_date",
        optional=True,
    ),
    _column(
        "announcement_date",
        _full_date,
        _lazy("“%(value)s” must be a full date (YYYY-MM-DD)."),
        into="announcement_date",
        optional=True,
    ),
    _column(
        "longitude",
        _coordinates,
        _lazy("Coordinates “%(lon)s”, “%(lat)s” are not both numbers."),
        into=("longitude", "latitude"),
        optional=True,
        cell=_coordinate_cells,
    ),
    _column("geometry", _geometry, into="geometry", optional=True, cell=raw_cell),
    _column("details", _details, into="details", optional=True, cell=_detail_cells),
    _column("former_names", _former_names, optional=True),
    _column("names", _names, cell=raw_cell),
    _column("heritage", _listings, _lazy("heritage must be a list of listings."), cell=raw_cell),
)


def _open_officials(row: Reading) -> list[dict]:
    return [n for n in row.values["names"] if n["kind"] == NameKind.OFFICIAL and not n["valid_to"]]


def _official_mismatch(row: Reading) -> bool:
    found = _open_officials(row)
    return len(found) == 1 and found[0]["name"] != row.values["name"]


# What must hold between the values of a row. A record's ``name`` is its current official
# name in its ``names`` history (a retired place's: its last official name, closed): a record
# whose two disagree would be stored with a name that its history does not have, or with two
# names claiming to be current.
REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        "",
        (),
        lambda row: "__extra__" in row.raw,
        _lazy("The line has %(count)s more values than the header has columns."),
        lambda row: {"count": len(row.raw["__extra__"])},
    ),
    Requirement(
        "longitude",
        (),
        lambda row: not in_china(*row.cells("longitude", "latitude")),
        _lazy("(%(lon)s, %(lat)s) lies outside China (WGS-84 longitude 73.4–135.1, latitude 3.8–53.6)."),
        lambda row: dict(zip(("lon", "lat"), row.cells("longitude", "latitude"))),
    ),
    Requirement("names", (), lambda row: len(_open_officials(row)) > 1, _lazy("More than one current official name.")),
    Requirement(
        "names",
        ("name",),
        _official_mismatch,
        _lazy(
            "The record's name “%(name)s” is not its current official name in names (“%(official)s”): "
            "the two must agree."
        ),
        lambda row: {"name": row.values["name"], "official": _open_officials(row)[0]["name"]},
    ),
    Requirement(
        "names",
        ("name",),
        lambda row: not _open_officials(row) and row.values.get("status") != PlaceStatus.RETIRED,
        _lazy("names has no current official name (kind official, no valid_to): it must list “%(name)s”."),
        lambda row: {"name": row.values["name"]},
    ),
    Requirement(
        "names",
        ("name",),
        lambda row: (
            not _open_officials(row)
            and row.values.get("status") == PlaceStatus.RETIRED
            and row.values["name"] not in {n["name"] for n in row.values["names"] if n["kind"] == NameKind.OFFICIAL}
        ),
        _lazy("The retired place's name “%(name)s” is not among the official names in names."),
        lambda row: {"name": row.values["name"]},
    ),
)
_WALK = walk(COLUMNS, REQUIREMENTS)
_RECORD = tuple(r for r in REQUIREMENTS if not r.column)


def check_row(line: int, raw: dict, *, divisions: set[str]) -> tuple[PlaceRow | None, list[Problem]]:
    """The row a record describes, or None and its problems (``COLUMNS``, ``REQUIREMENTS``)."""
    if "__invalid__" in raw:
        return None, [Problem(line, "", _("The record is %(what)s.") % {"what": raw["__invalid__"]})]
    row = Reading(line, raw, divisions)
    check_requirements(row, _RECORD)
    read_row(row, _WALK)
    if row.problems:
        return None, row.problems
    return _place_row(row), []


def _place_row(row: Reading) -> PlaceRow:
    values = row.values
    attrs: dict = {}
    for key, into in _STORED:
        if key in values:
            if isinstance(into, tuple):
                attrs.update(zip(into, values[key]))
            else:
                attrs[into] = values[key]
    # A million rows share a few categories, statuses and divisions, and mostly nothing
    # else: one string object for each of those and one empty container for all.
    return PlaceRow(
        row.line,
        values["code"],
        values["name"],
        intern(values["category"]),
        intern(values["division"]),
        intern(str(values["status"])),
        values["pinyin"],
        attrs or _NOTHING,
        values["names"],
        values.get("former_names") or (),
        values["heritage"] or (),
    )


_STORED = tuple((column.key, column.into) for column in COLUMNS if column.into)


def _is_number(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except InvalidOperation:
        return False


def _check_names(names, problem) -> list[dict] | None:
    if not isinstance(names, list):
        problem("names", _("names must be a list."))
        return None
    checked = []
    for entry in names:
        if not isinstance(entry, dict):
            problem("names", _("each name must be an object."))
            continue
        try:
            name = clean_name(text_value(entry.get("name")), field="names")
            start = partial_dates.normalize(text_value(entry.get("valid_from")))
            end = partial_dates.normalize(text_value(entry.get("valid_to")))
        except ValidationError as exc:
            problem("names", " ".join(exc.messages))
            continue
        kind = text_value(entry.get("kind")) or NameKind.FORMER
        if kind not in _VALUES[NameKind]:
            problem("names", _("Unknown name kind “%(value)s”.") % {"value": kind[:20]})
            continue
        checked.append({**entry, "name": name, "valid_from": start, "valid_to": end, "kind": kind})
    return checked
