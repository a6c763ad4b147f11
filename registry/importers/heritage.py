"""Importing heritage listings (千年古镇, 红色地名 …): one row per listing, all or nothing.

A listings file (CSV in UTF-8 or GBK, XLSX, or JSON ``{"listings": [...]}``) names the
listed place by its registry ``code`` in the ``place`` column, then the listing's own
fields (``scheme``, ``level``, ``status``, ``batch``, notice dates, ``listed_on``, the
first recorded name and its source, ``in_use_since`` …), as ``export_places --kind
heritage`` writes them. Each row is checked as the listing model checks it (the 1,000-year
rule among others) and against the registry (the place exists; it is not already listed
in that scheme, unless ``update``: the table of ``COLUMNS`` and ``REQUIREMENTS``, walked as
``importers.tables`` walks the places table); one bad row and nothing is written. Rows are then
saved through the heritage services, so each listing has its audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.importers.columns import HERITAGE_HEADERS as HERITAGE_HEADERS_ZH
from registry.importers.columns import (
    HERITAGE_COLUMNS,
    HERITAGE_VALUES,
    LISTING_COLUMNS,
    REQUIRED_HERITAGE_COLUMNS,
    in_codes,
    text_value,
    unescape_cell,
)
from registry.importers.readers import FileProblem, read_rows
from registry.importers.results import ImportResult, Problem, ProblemList, header_problems
from registry.importers.tables import Column, Invalid, Reading, Requirement, as_is, check_requirements, read_row, walk
from registry.models import HeritageListing, Place
from registry.services.heritage import heritage_listing_save


def import_heritage(
    path: Path | str,
    *,
    fmt: str = "auto",
    encoding: str = "auto",
    dry_run: bool = False,
    update: bool = False,
    ignore_unknown: bool = False,
    acting_user=None,
    progress: Callable[[int], None] | None = None,
    before_commit: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Import the listings of a file (see the module's docstring); Chinese headers are read too.

    ``before_commit(result)`` is called inside the transaction once everything is saved;
    what it raises rolls the import back.
    """
    result = ImportResult()
    raw = _read(path, fmt, encoding, ignore_unknown, result)
    if raw is None:
        return result
    pending = _check_all(raw, update, progress, result.problems)
    result.rows = len(raw)
    if result.problems:
        result.failed = result.problems.lines
        return result
    changed = [
        listing
        for listing, before in pending
        if before is None or any(getattr(listing, c) != before[c] for c in LISTING_COLUMNS)
    ]
    result.created = sum(before is None for _listing, before in pending)
    result.updated = len(changed) - result.created
    result.unchanged = len(pending) - len(changed)
    if dry_run:
        return result
    with transaction.atomic():
        for listing in changed:
            heritage_listing_save(listing=listing, acting_user=acting_user)
        if before_commit is not None:
            before_commit(result)
    result.written = True
    return result


def _read(path, fmt: str, encoding: str, ignore_unknown: bool, result: ImportResult) -> list | None:
    """The file's records (line, cells), or None with the file's problems in ``result``."""
    try:
        result.format, columns, raw_rows = read_rows(Path(path), fmt, encoding)
        columns, raw_rows = in_codes(columns, raw_rows, HERITAGE_HEADERS_ZH, HERITAGE_VALUES)
        result.problems += header_problems(
            columns, HERITAGE_COLUMNS, REQUIRED_HERITAGE_COLUMNS, result.format, ignore_unknown
        )
        if result.problems:
            return None
        raw = list(raw_rows)
    except FileProblem as exc:
        result.problems.append(Problem(0, "", str(exc)))
        return None
    if not raw:
        result.problems.append(Problem(0, "", _("The file holds no records.")))
        return None
    return raw


def _check_all(raw: list, update: bool, progress, problems: ProblemList) -> list[tuple[HeritageListing, dict | None]]:
    """Each row checked against the registry and the rows before it: (listing, its fields
    before, if it exists) for each good row, the problems of the others in ``problems``."""
    codes = {text_value(r.get("place")).upper() for _line, r in raw}
    known = _Known(
        Place.objects.in_bulk(codes, field_name="code"),
        {(h.place_id, h.scheme): h for h in HeritageListing.objects.filter(place__code__in=codes)},
        {},
        update,
    )
    pending = []
    for count, (line, record) in enumerate(raw, start=1):
        listing, before = _check(line, record, known, problems)
        if listing is not None:
            pending.append((listing, before))
        if progress and count % 100 == 0:
            progress(100)
    return pending


@dataclass
class _Known:
    """What a row is checked against: the listed places by code, their listings by (place,
    scheme), the (place, scheme) of the rows before it with their line, and ``update``."""

    places: dict
    existing: dict
    seen: dict
    update: bool


def _listing_cell(raw: dict, key: str) -> str:
    return unescape_cell(text_value(raw.get(key)))


def _place(text: str, row: Reading) -> Place:
    code = text.upper()
    place = row.context.places.get(code)
    if place is None:
        raise Invalid(code=code[:40])
    return place


def _iso_date(text: str, row: Reading) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        raise Invalid(value=text[:20]) from None


def _year(text: str, row: Reading) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        raise Invalid(value=text[:20]) from None


_column = partial(Column, headers=HERITAGE_HEADERS_ZH, cell=_listing_cell)
_READERS = {
    "notice_start": (_iso_date, gettext_lazy("“%(value)s” is not a date (YYYY-MM-DD).")),
    "notice_end": (_iso_date, gettext_lazy("“%(value)s” is not a date (YYYY-MM-DD).")),
    "in_use_since": (_year, gettext_lazy("“%(value)s” is not a year (a whole number; negative for BCE).")),
}
# The listings table: the place first (a row naming no known place is not read further),
# then the listing's fields, each into the model field of its name; an empty status or
# verification is the model's default (or the listing's as it is).
PLACE_COLUMN = _column("place", _place, gettext_lazy("Unknown place code “%(code)s”."))
COLUMNS: tuple[Column, ...] = tuple(
    _column(key, *_READERS.get(key, (as_is,)), into=key, optional=key in ("status", "verification"))
    for key in LISTING_COLUMNS
)


def _key(row: Reading) -> tuple[int, str]:
    return row.values["place"].pk, row.values["scheme"]


# What must hold for a row against the registry and the rows before it.
REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        "scheme",
        (),
        lambda row: _key(row) in row.context.seen,
        gettext_lazy("%(code)s is listed in %(scheme)s again (first on line %(line)s)."),
        lambda row: {"code": row.values["place"].code, "scheme": _key(row)[1], "line": row.context.seen[_key(row)]},
    ),
    Requirement(
        "scheme",
        (),
        lambda row: _key(row) in row.context.existing and not row.context.update,
        gettext_lazy("%(code)s %(name)s is already listed in %(scheme)s (use --update to update the listing)."),
        lambda row: {"code": row.values["place"].code, "name": row.values["place"].name, "scheme": _key(row)[1]},
    ),
)
_PLACE_WALK, _WALK = walk((PLACE_COLUMN,)), walk(COLUMNS)


def _check(line: int, record: dict, known: _Known, problems: ProblemList) -> tuple[HeritageListing | None, dict | None]:
    """The listing a row describes (new, or the existing one updated, with its fields before),
    or None with its problems (``PLACE_COLUMN``, ``COLUMNS``, ``REQUIREMENTS``, then the model's)."""
    if "__invalid__" in record:
        problems.append(Problem(line, "", _("The record is %(what)s.") % {"what": record["__invalid__"]}))
        return None, None
    row = Reading(line, record, known)
    read_row(row, _PLACE_WALK)
    if not row.problems:
        read_row(row, _WALK)
        check_requirements(row, REQUIREMENTS)
        known.seen.setdefault(_key(row), line)
    problems += row.problems
    if row.problems:
        return None, None
    current = known.existing.get(_key(row))
    listing = current if current is not None else HeritageListing(place=row.values["place"])
    before = {c: getattr(current, c) for c in LISTING_COLUMNS} if current is not None else None
    for column in COLUMNS:
        if column.key in row.values:
            setattr(listing, column.key, row.values[column.key])
    try:
        listing.full_clean()
    except ValidationError as exc:
        for column, messages in exc.message_dict.items():
            problems.append(Problem(line, "" if column == "__all__" else column, " ".join(messages)))
        return None, None
    return listing, before
