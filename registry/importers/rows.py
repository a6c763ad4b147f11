"""One imported row, checked: every problem with its line, column and a clear message.

Legacy names are recorded even when today's rules flag them (the name check runs
later and reports); what is refused here is data that cannot be true or cannot be
stored: unknown categories and divisions, malformed codes, coordinates and dates,
details of the wrong type.
"""
from __future__ import annotations

import json
from sys import intern
from types import MappingProxyType
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from registry import partial_dates
from registry.choices import Category, NameKind, PlaceStatus, Verification
from registry.details import DETAIL_FIELDS, clean_details
from registry.models.places import CODE_SHAPE, in_china, validate_geometry
from registry.place_rows import coordinate
from registry.text import clean_name

BASE_COLUMNS = ("code", "name", "category", "division", "status", "pinyin", "generic", "origin", "history",
                "longitude", "latitude", "former_names")
EXTRA_COLUMNS = ("verification", "source", "note", "geometry", "names", "heritage", "specific",
                 "approval_authority", "approval_date", "approval_document", "announcement_date")
DETAIL_COLUMNS = tuple(sorted({f.key for fields in DETAIL_FIELDS.values() for f in fields}))
KNOWN_COLUMNS = frozenset(BASE_COLUMNS + EXTRA_COLUMNS + DETAIL_COLUMNS)
REQUIRED_COLUMNS = ("name", "category", "division")
_NOTHING = MappingProxyType({})
# Django's ``Choices.values`` builds a new list on every call: once per import row adds up.
_VALUES = {enum: frozenset(enum.values) for enum in (Category, PlaceStatus, Verification, NameKind)}


@dataclass
class Problem:
    line: int
    column: str
    message: str


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


def text_value(value) -> str:
    """A cell as text: None is empty, 3.0 (as XLSX gives whole numbers) is "3", spaces trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# What a spreadsheet takes for a formula (OWASP "CSV injection"); the export prefixes such
# text with a quote (``export.safe_cell``), which the importer takes off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def unescape_cell(text: str) -> str:
    """A text cell as the export had it before escaping: "'=…" is "=…" (other text as it is)."""
    if len(text) > 1 and text[0] == "'" and text.startswith(FORMULA_STARTS, 1):
        return text[1:]
    return text


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
            raise ValueError(_("“%(name)s” ends (%(end)s) before it begins (%(start)s).") % {"name": name, "end": end, "start": start})
        entries.append((name, start, end))
    return entries


def check_row(line: int, raw: dict, *, divisions: set[str]) -> tuple[PlaceRow | None, list[Problem]]:
    problems: list[Problem] = []

    def problem(column: str, message: str) -> None:
        problems.append(Problem(line, column, message))

    if "__invalid__" in raw:
        return None, [Problem(line, "", _("The record is %(what)s.") % {"what": raw["__invalid__"]})]
    if "__extra__" in raw:
        problem("", _("The line has %(count)s more values than the header has columns.") % {"count": len(raw["__extra__"])})
    code = text_value(raw.get("code")).upper()
    if code and not CODE_SHAPE.match(code):
        problem("code", _("“%(code)s” is not a valid place code (4–32 capital letters, digits or hyphens).") % {"code": code[:40]})
    try:
        name = clean_name(text_value(raw.get("name")))
    except ValidationError as exc:
        name = ""
        problem("name", " ".join(exc.messages))
    category = text_value(raw.get("category"))
    if category not in _VALUES[Category]:
        problem("category", _("Unknown category “%(value)s” (use one of %(choices)s).") % {"value": category[:30], "choices": ", ".join(Category.values)})
    division = text_value(raw.get("division"))
    if division not in divisions:
        problem("division", _("Unknown division code “%(code)s”.") % {"code": division[:20]})
    status = text_value(raw.get("status")) or PlaceStatus.ACTIVE
    if status not in _VALUES[PlaceStatus]:
        problem("status", _("Unknown status “%(value)s” (use one of %(choices)s).") % {"value": status[:20], "choices": ", ".join(PlaceStatus.values)})
    attrs: dict = {}
    for column, target in (("origin", "origin"), ("history", "history_text"), ("source", "source"), ("note", "note"),
                           ("approval_authority", "approval_authority"), ("approval_document", "approval_document")):
        if text_value(raw.get(column)):
            attrs[target] = unescape_cell(text_value(raw.get(column)))
    verification = text_value(raw.get("verification"))
    if verification:
        if verification not in _VALUES[Verification]:
            problem("verification", _("Unknown verification “%(value)s”.") % {"value": verification[:20]})
        attrs["verification"] = verification
    for column in ("approval_date", "announcement_date"):
        value = text_value(raw.get(column))
        if value:
            parsed = None
            try:
                parsed = partial_dates.parse(value)
            except ValidationError as exc:
                problem(column, " ".join(exc.messages))
            if parsed is not None and parsed.day is None:
                problem(column, _("“%(value)s” must be a full date (YYYY-MM-DD).") % {"value": value[:20]})
            elif parsed is not None:
                import datetime as dt

                attrs[column] = dt.date(parsed.year, parsed.month, parsed.day)
    lon, lat = text_value(raw.get("longitude")), text_value(raw.get("latitude"))
    if lon or lat:
        try:
            lon_d, lat_d = Decimal(lon), Decimal(lat)
            if not (lon_d.is_finite() and lat_d.is_finite()):
                raise InvalidOperation
            if not in_china(lon_d, lat_d):
                problem("longitude", _("(%(lon)s, %(lat)s) lies outside China (WGS-84 longitude 73.4–135.1, latitude 3.8–53.6).") % {"lon": lon, "lat": lat})
            attrs["longitude"], attrs["latitude"] = coordinate(lon_d), coordinate(lat_d)  # as the services round
        except (InvalidOperation, ValueError):
            problem("longitude" if not lon or not _is_number(lon) else "latitude",
                    _("Coordinates “%(lon)s”, “%(lat)s” are not both numbers.") % {"lon": lon[:20], "lat": lat[:20]})
    geometry = raw.get("geometry")
    if geometry not in (None, "", {}):
        try:
            if isinstance(geometry, str):
                geometry = json.loads(geometry)
            validate_geometry(geometry)
            attrs["geometry"] = geometry
        except (ValueError, ValidationError) as exc:
            problem("geometry", " ".join(getattr(exc, "messages", [str(exc)])))
    details = {k: unescape_cell(raw[k]) if isinstance(raw[k], str) else raw[k]
               for k in DETAIL_COLUMNS if text_value(raw.get(k))}
    if details and category in _VALUES[Category]:
        try:
            attrs["details"] = clean_details(category, details)
        except ValidationError as exc:
            for message in exc.messages:
                problem(message.split(":")[0] if ":" in message else "details", message)
    former = []
    if text_value(raw.get("former_names")):
        try:
            former = parse_former_names(text_value(raw.get("former_names")))
        except (ValueError, ValidationError) as exc:
            problem("former_names", " ".join(getattr(exc, "messages", [str(exc)])))
    names = raw.get("names")
    if names is not None:
        names = _check_names(names, problem)
        if names is not None and name:
            _check_name_in_history(name, status, names, problem)
    heritage = raw.get("heritage") or []
    if not isinstance(heritage, list):
        problem("heritage", _("heritage must be a list of listings."))
        heritage = []
    if problems:
        return None, problems
    # A million rows share a few categories, statuses and divisions, and mostly nothing
    # else: one string object for each of those and one empty container for all.
    return PlaceRow(line, code, name, intern(category), intern(division), intern(str(status)),
                    text_value(raw.get("pinyin")), attrs or _NOTHING, names, former or (), heritage or ()), []


def _is_number(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except InvalidOperation:
        return False


def _check_name_in_history(name: str, status: str, names: list[dict], problem) -> None:
    """A record's ``name`` is its current official name in its ``names`` history (a retired
    place's: its last official name, closed). A record whose two disagree would be stored
    with a name that its history does not have, or with two names claiming to be current."""
    officials = [n for n in names if n["kind"] == NameKind.OFFICIAL]
    open_official = [n for n in officials if not n["valid_to"]]
    if len(open_official) == 1 and open_official[0]["name"] != name:
        problem("names", _("The record's name “%(name)s” is not its current official name in names (“%(official)s”): "
                           "the two must agree.") % {"name": name, "official": open_official[0]["name"]})
    elif not open_official and status != PlaceStatus.RETIRED:
        problem("names", _("names has no current official name (kind official, no valid_to): it must list “%(name)s”.")
                % {"name": name})
    elif not open_official and name not in {n["name"] for n in officials}:
        problem("names", _("The retired place's name “%(name)s” is not among the official names in names.")
                % {"name": name})


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
    open_official = [n for n in checked if n["kind"] == NameKind.OFFICIAL and not n["valid_to"]]
    if len(open_official) > 1:
        problem("names", _("More than one current official name."))
    return checked
