"""Exporting the registry: CSV (UTF-8 with BOM, for Excel), XLSX, JSON and GeoJSON.

JSON and GeoJSON carry everything (every name with its kind, dates and decision, every
heritage listing), so importing such an export into an empty registry reproduces it.
CSV and XLSX carry the import columns, names history folded into ``former_names``:
machine-readable (codes as headers and values), or with ``chinese`` for people (编码,
名称, 类别 = 道路街巷 …, plus the division's name), which imports back as well.

Every text cell that a spreadsheet would take for a formula (``=HYPERLINK(…)`` in an
origin text) is made harmless: prefixed with a quote in CSV (``safe_cell``, OWASP's
advice) and stored as text in XLSX; numbers stay numbers. A file is written beside its
target and renamed over it at the end, so a failed or killed export leaves the file
that was there before.
"""

from __future__ import annotations

import csv
import glob
import json
import os
import re
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Prefetch

from registry.importers import columns as zh
from registry.importers.columns import (
    CHINESE_TABLE_COLUMNS,
    FORMULA_STARTS,
    HERITAGE_COLUMNS,
    LISTING_COLUMNS,
    TABLE_COLUMNS,
)
from registry.models import HeritageListing, Place, PlaceName
from registry.models.places import NAME_ORDER

NAME_FIELDS = (
    "name",
    "kind",
    "pinyin",
    "valid_from",
    "valid_to",
    "decision_document",
    "decision_date",
    "source",
    "note",
)
LISTING_FIELDS = LISTING_COLUMNS


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def safe_cell(value):
    """``value`` as a CSV cell that no spreadsheet runs as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    leading ``'`` (the importer takes it off again: ``columns.unescape_cell``). Numbers, and
    text that is just a number (-483, -0.5), are left as they are.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


@contextmanager
def snapshot():
    """Read everything the block reads from one consistent state of the database.

    The names are prefetched per chunk, later than the places they belong to: without one
    snapshot an export taken while renames run could write a ``name`` that differs from
    its open official name. On PostgreSQL: one REPEATABLE READ transaction (its first
    statement, as PostgreSQL requires). On SQLite a plain deferred ``BEGIN``: in WAL mode
    the transaction reads one snapshot from its first read on, and, unlike Django's
    ``atomic`` here (``BEGIN IMMEDIATE``, settings), takes no write lock, so clerks keep
    renaming during a long export. Inside a transaction already open (an admin action),
    that transaction is used as it is.
    """
    if connection.in_atomic_block:
        yield
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            # Nothing was written: ending the read transaction either way only lets it go.
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
    else:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield


def _places(chunk: int = 2000) -> Iterator[Place]:
    query = (
        Place.objects.select_related("division")
        .prefetch_related(Prefetch("names", queryset=PlaceName.objects.order_by(*NAME_ORDER)), "heritage_listings")
        .order_by("code")
    )
    return query.iterator(chunk_size=chunk)


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value.normalize())
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _json_value(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def record(place: Place) -> dict:
    """Everything about a place, as the JSON export writes it."""
    data = {
        "code": place.code,
        "name": place.name,
        "category": place.category,
        "division": place.division_id,
        "status": place.status,
        "pinyin": place.pinyin,
        "generic": place.generic,
        "origin": place.origin,
        "history": place.history_text,
        "longitude": _plain(place.longitude) or None,
        "latitude": _plain(place.latitude) or None,
        "geometry": place.geometry,
        "verification": place.verification,
        "source": place.source,
        "note": place.note,
        "approval_authority": place.approval_authority,
        "approval_date": _plain(place.approval_date),
        "approval_document": place.approval_document,
        "announcement_date": _plain(place.announcement_date),
        **{k: v for k, v in (place.details or {}).items()},
        "names": [{f: _plain(getattr(n, f)) for f in NAME_FIELDS} for n in place.names.all()],
        "heritage": [{f: _json_value(getattr(h, f)) for f in LISTING_FIELDS} for h in place.heritage_listings.all()],
    }
    return data


def _table_row(place: Place) -> dict:
    former = [n for n in place.names.all() if not (n.kind == "official" and not n.valid_to and n.name == place.name)]
    row = {
        "code": place.code,
        "name": place.name,
        "category": place.category,
        "division": place.division_id,
        "status": place.status,
        "pinyin": place.pinyin,
        "generic": place.generic,
        "origin": place.origin,
        "history": place.history_text,
        "longitude": _plain(place.longitude),
        "latitude": _plain(place.latitude),
        "former_names": ";".join(f"{n.name}|{n.valid_from}|{n.valid_to}" for n in former),
        "verification": place.verification,
        "source": place.source,
        "note": place.note,
        "approval_authority": place.approval_authority,
        "approval_date": _plain(place.approval_date),
        "approval_document": place.approval_document,
        "announcement_date": _plain(place.announcement_date),
    }
    row.update({k: _plain(v) for k, v in (place.details or {}).items()})
    return {c: row.get(c, "") for c in TABLE_COLUMNS}


def _chinese_row(place: Place) -> dict:
    return {**_table_row(place), "division_name": place.division.name}


def _labelled(row: dict, values: dict) -> dict:
    """The row with its choice codes (road, active …) as their Chinese labels."""
    return {**row, **{c: zh.label_of(enum, row[c]) for c, enum in values.items() if row.get(c)}}


def _listing_row(listing: HeritageListing) -> dict:
    row = {
        "place": listing.place.code,
        "place_name": listing.place.name,
        "division": listing.place.division_id,
        **{f: _plain(getattr(listing, f)) for f in LISTING_FIELDS},
        "years_in_use": _plain(listing.years_in_use),
    }
    return row


def export_heritage(path: Path | str, fmt: str = "auto", *, chinese: bool = False) -> int:
    """Write every heritage listing to ``path`` (one row each, the place by its code), as
    ``import_places --kind heritage`` reads them; returns how many. ``chinese``: Chinese
    headers and labels (CSV and XLSX)."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".") if fmt in ("", "auto") else fmt
    with snapshot():
        return _export_heritage(path, fmt, chinese=chinese)


def _export_heritage(path: Path, fmt: str, *, chinese: bool) -> int:
    listings = HeritageListing.objects.select_related("place").order_by("place__code", "scheme", "id")
    rows = (_listing_row(listing) for listing in listings.iterator(chunk_size=2000))
    if fmt in ("csv", "xlsx"):
        if chinese:
            headers = [zh.HERITAGE_HEADERS[c] for c in HERITAGE_COLUMNS]
            rows = (_labelled(row, zh.HERITAGE_VALUES) for row in rows)
            return _write_table(path, fmt, HERITAGE_COLUMNS, rows, sheet="地名文化遗产", headers=headers)
        return _write_table(path, fmt, HERITAGE_COLUMNS, rows, sheet="地名文化遗产")
    if fmt == "json":
        return _write_json(path, '{"listings": [\n', rows)
    raise ValueError(f"Unknown heritage export format “{fmt}” (use csv, xlsx or json).")


def export_places(
    path: Path | str, fmt: str = "auto", *, chinese: bool = False, places: Iterable[Place] | None = None
) -> int:
    """Write every place (or the given ``places``, e.g. the admin's selected rows, with their
    names and listings prefetched) to ``path``; returns how many. ``chinese``: Chinese headers
    and labels, and the division's name beside its code (CSV and XLSX)."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".") if fmt in ("", "auto") else fmt
    with snapshot():
        return _export_places(path, fmt, chinese=chinese, places=places)


def _export_places(path: Path, fmt: str, *, chinese: bool, places: Iterable[Place] | None) -> int:
    chosen = (lambda: places) if places is not None else _places
    if fmt in ("csv", "xlsx"):
        if chinese:
            columns = CHINESE_TABLE_COLUMNS
            headers = [zh.PLACE_HEADERS.get(c, zh.DIVISION_NAME if c == "division_name" else c) for c in columns]
            rows = (_labelled(row, zh.PLACE_VALUES) for row in map(_chinese_row, chosen()))
            return _write_table(path, fmt, columns, rows, sheet="地名", headers=headers)
        return _write_table(path, fmt, TABLE_COLUMNS, map(_table_row, chosen()), sheet="地名")
    if fmt == "json":
        return _write_json(path, '{"places": [\n', map(record, chosen()))
    if fmt == "geojson":
        return _write_json(path, '{"type": "FeatureCollection", "features": [\n', map(_feature, chosen()))
    raise ValueError(f"Unknown export format “{fmt}” (use csv, xlsx, json or geojson).")


def _feature(place: Place) -> dict:
    data = record(place)
    geometry = data.pop("geometry") or (
        {"type": "Point", "coordinates": [float(place.longitude), float(place.latitude)]}
        if place.longitude is not None
        else None
    )
    return {"type": "Feature", "geometry": geometry, "properties": data}


@contextmanager
def replacing(path: Path):
    """A temporary path beside ``path``, renamed over it when the block ends without error
    (``os.replace``: atomic on one file system) and removed otherwise. Created with the
    permissions a new file gets (the umask applies), not a temporary file's 0600."""
    path = Path(path)
    _remove_abandoned(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.part")
    os.close(os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    try:
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _remove_abandoned(path: Path) -> None:
    """Remove the temporary files that killed exports to ``path`` left behind (SIGKILL runs
    no clean-up): those whose process, named in them, no longer runs. A running export's
    own temporary file is left alone."""
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*-*.part"):
        pid = leftover.name[len(path.name) + 2 :].split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            leftover.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _write_table(
    path: Path,
    fmt: str,
    columns: tuple[str, ...],
    rows: Iterator[dict],
    *,
    sheet: str,
    headers: list[str] | None = None,
) -> int:
    """CSV (UTF-8 with BOM, which Excel in a Chinese locale opens correctly) or XLSX."""
    count = 0
    headers = list(headers or columns)
    with replacing(path) as temporary:
        if fmt == "csv":
            with open(temporary, "w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(headers)
                for row in rows:
                    writer.writerow([safe_cell(row[c]) for c in columns])
                    count += 1
            return count
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        worksheet = workbook.create_sheet(sheet)
        worksheet.append(headers)
        try:
            for row in rows:
                worksheet.append([_xlsx_cell(worksheet, c, row[c]) for c in columns])
                count += 1
        except BaseException:
            _discard(worksheet)
            raise
        workbook.save(temporary)
    return count


def _discard(worksheet) -> None:
    """Close a write-only sheet that will not be saved, and remove the temporary file openpyxl
    streams its rows to (left to the garbage collector, its writer fails on a closed file)."""
    try:
        worksheet.close()
        if worksheet._writer is not None:
            worksheet._writer.cleanup()
    except (OSError, ValueError):  # the export's own error is the one to report
        pass


def _xlsx_cell(worksheet, column: str, value):
    """A number as a number (a numeric column's text too: -483, 117.2846); text as text,
    never as a formula (openpyxl takes "=…" for one unless told otherwise)."""
    if column in zh.NUMERIC_COLUMNS and isinstance(value, str) and _NUMBER.fullmatch(value):
        return int(value) if value.lstrip("-").isdigit() else Decimal(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(worksheet, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True  # Excel keeps it as text when the cell is edited
        return cell
    return value


def _write_json(path: Path, opening: str, records: Iterator[dict]) -> int:
    """A JSON document written one record at a time: ``opening``, the records, ``]}``."""
    count = 0
    with replacing(path) as temporary, open(temporary, "w", encoding="utf-8") as fh:
        fh.write(opening)
        for data in records:
            fh.write(("" if count == 0 else ",\n") + json.dumps(data, ensure_ascii=False))
            count += 1
        fh.write("\n]}\n")
    return count
