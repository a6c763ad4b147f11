"""Importing heritage listings (千年古镇, 红色地名 …): one row per listing, all or nothing.

A listings file (CSV in UTF-8 or GBK, XLSX, or JSON ``{"listings": [...]}``) names the
listed place by its registry ``code`` in the ``place`` column, then the listing's own
fields (``scheme``, ``level``, ``status``, ``batch``, notice dates, ``listed_on``, the
first recorded name and its source, ``in_use_since`` …), as ``export_places --kind
heritage`` writes them. Each row is checked as the listing model checks it (the 1,000-year
rule among others) and against the registry (the place exists; it is not already listed
in that scheme, unless ``update``); one bad row and nothing is written. Rows are then
saved through the heritage services, so each listing has its audit entry.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from registry.importers.columns import HERITAGE_HEADERS as HERITAGE_HEADERS_ZH
from registry.importers.columns import (HERITAGE_COLUMNS, HERITAGE_VALUES, LISTING_COLUMNS, REQUIRED_HERITAGE_COLUMNS,
                                        in_codes, text_value, unescape_cell)
from registry.importers.readers import FileProblem, read_rows
from registry.importers.results import ImportResult, Problem, ProblemList, header_problems
from registry.models import HeritageListing, Place
from registry.services.heritage import heritage_listing_save

_DATES = ("notice_start", "notice_end")


def import_heritage(path: Path | str, *, fmt: str = "auto", encoding: str = "auto", dry_run: bool = False,
                    update: bool = False, ignore_unknown: bool = False, acting_user=None,
                    progress: Callable[[int], None] | None = None,
                    before_commit: Callable[[ImportResult], None] | None = None) -> ImportResult:
    """Import the listings of a file (see the module's docstring); Chinese headers are read too.

    ``before_commit(result)`` is called inside the transaction once everything is saved;
    what it raises rolls the import back.
    """
    result = ImportResult()
    try:
        result.format, columns, raw_rows = read_rows(Path(path), fmt, encoding)
        columns, raw_rows = in_codes(columns, raw_rows, HERITAGE_HEADERS_ZH, HERITAGE_VALUES)
        result.problems += header_problems(columns, HERITAGE_COLUMNS, REQUIRED_HERITAGE_COLUMNS, result.format,
                                           ignore_unknown)
        if result.problems:
            return result
        raw = list(raw_rows)
    except FileProblem as exc:
        result.problems.append(Problem(0, "", str(exc)))
        return result
    if not raw:
        result.problems.append(Problem(0, "", _("The file holds no records.")))
        return result
    codes = {text_value(r.get("place")).upper() for _line, r in raw}
    places = Place.objects.in_bulk(codes, field_name="code")
    existing = {(h.place_id, h.scheme): h for h in HeritageListing.objects.filter(place__code__in=codes)}
    pending: list[tuple[HeritageListing, dict | None]] = []  # (listing, its fields before, if it exists)
    seen: dict[tuple[int, str], int] = {}
    for count, (line, record) in enumerate(raw, start=1):
        listing, before = _check(line, record, places, existing, seen, update, result.problems)
        if listing is not None:
            pending.append((listing, before))
        if progress and count % 100 == 0:
            progress(100)
    result.rows = len(raw)
    if result.problems:
        result.failed = result.problems.lines
        return result
    changed = [listing for listing, before in pending
               if before is None or any(getattr(listing, c) != before[c] for c in LISTING_COLUMNS)]
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


def _check(line: int, record: dict, places: dict, existing: dict, seen: dict, update: bool,
           problems: ProblemList) -> tuple[HeritageListing | None, dict | None]:
    """The listing a row describes (new, or the existing one updated, with its fields before),
    or None with its problems."""
    if "__invalid__" in record:
        problems.append(Problem(line, "", _("The record is %(what)s.") % {"what": record["__invalid__"]}))
        return None, None
    count = problems.total
    code = text_value(record.get("place")).upper()
    place = places.get(code)
    if place is None:
        problems.append(Problem(line, "place", _("Unknown place code “%(code)s”.") % {"code": code[:40]}))
        return None, None
    fields = {}
    for column in LISTING_COLUMNS:
        value = unescape_cell(text_value(record.get(column)))
        if column in _DATES:
            try:
                fields[column] = dt.date.fromisoformat(value) if value else None
            except ValueError:
                problems.append(Problem(line, column, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value[:20]}))
        elif column == "in_use_since":
            try:
                fields[column] = int(value) if value else None
            except ValueError:
                problems.append(Problem(line, column, _("“%(value)s” is not a year (a whole number; negative for BCE).") % {"value": value[:20]}))
        elif value or column not in ("status", "verification"):  # those two have defaults
            fields[column] = value
    key = (place.pk, fields.get("scheme", ""))
    if key in seen:
        problems.append(Problem(line, "scheme", _("%(code)s is listed in %(scheme)s again (first on line %(line)s).") % {"code": place.code, "scheme": key[1], "line": seen[key]}))
    seen.setdefault(key, line)
    current = existing.get(key)
    if current is not None and not update:
        problems.append(Problem(line, "scheme", _("%(code)s %(name)s is already listed in %(scheme)s (use --update to update the listing).")
                                % {"code": place.code, "name": place.name, "scheme": key[1]}))
    listing = current if current is not None else HeritageListing(place=place)
    before = {c: getattr(current, c) for c in LISTING_COLUMNS} if current is not None else None
    for column, value in fields.items():
        setattr(listing, column, value)
    if problems.total == count:
        try:
            listing.full_clean()
        except ValidationError as exc:
            for column, messages in exc.message_dict.items():
                problems.append(Problem(line, "" if column == "__all__" else column, " ".join(messages)))
    return (listing if problems.total == count else None), before
