"""Exporting the registry: CSV (UTF-8 with BOM, for Excel), XLSX, JSON and GeoJSON.

JSON and GeoJSON carry everything (every name with its kind, dates and decision, every
heritage listing), so importing such an export into an empty registry reproduces it.
CSV and XLSX carry the import columns, names history folded into ``former_names``.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from django.db.models import Prefetch

from registry.importers.rows import BASE_COLUMNS, DETAIL_COLUMNS
from registry.models import HeritageListing, Place, PlaceName
from registry.models.places import NAME_ORDER

TABLE_COLUMNS = BASE_COLUMNS + DETAIL_COLUMNS + ("verification", "source", "note", "approval_authority",
                                                 "approval_date", "approval_document", "announcement_date")
NAME_FIELDS = ("name", "kind", "pinyin", "valid_from", "valid_to", "decision_document", "decision_date", "source", "note")
LISTING_FIELDS = tuple(
    f.name for f in HeritageListing._meta.concrete_fields if f.name not in ("id", "place", "created_at", "updated_at")
)


def _places(chunk: int = 2000) -> Iterator[Place]:
    query = Place.objects.select_related("division").prefetch_related(
        Prefetch("names", queryset=PlaceName.objects.order_by(*NAME_ORDER)), "heritage_listings"
    ).order_by("code")
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
        "code": place.code, "name": place.name, "category": place.category, "division": place.division_id,
        "status": place.status, "pinyin": place.pinyin, "generic": place.generic, "origin": place.origin,
        "history": place.history_text, "longitude": _plain(place.longitude) or None,
        "latitude": _plain(place.latitude) or None, "geometry": place.geometry, "verification": place.verification,
        "source": place.source, "note": place.note, "approval_authority": place.approval_authority,
        "approval_date": _plain(place.approval_date), "approval_document": place.approval_document,
        "announcement_date": _plain(place.announcement_date),
        **{k: v for k, v in (place.details or {}).items()},
        "names": [{f: _plain(getattr(n, f)) for f in NAME_FIELDS} for n in place.names.all()],
        "heritage": [{f: _json_value(getattr(h, f)) for f in LISTING_FIELDS} for h in place.heritage_listings.all()],
    }
    return data


def _table_row(place: Place) -> dict:
    former = [n for n in place.names.all() if not (n.kind == "official" and not n.valid_to and n.name == place.name)]
    row = {
        "code": place.code, "name": place.name, "category": place.category, "division": place.division_id,
        "status": place.status, "pinyin": place.pinyin, "generic": place.generic, "origin": place.origin,
        "history": place.history_text, "longitude": _plain(place.longitude), "latitude": _plain(place.latitude),
        "former_names": ";".join(f"{n.name}|{n.valid_from}|{n.valid_to}" for n in former),
        "verification": place.verification, "source": place.source, "note": place.note,
        "approval_authority": place.approval_authority, "approval_date": _plain(place.approval_date),
        "approval_document": place.approval_document, "announcement_date": _plain(place.announcement_date),
    }
    row.update({k: _plain(v) for k, v in (place.details or {}).items()})
    return {c: row.get(c, "") for c in TABLE_COLUMNS}


def _listing_row(listing: HeritageListing) -> dict:
    row = {"place": listing.place.code, "place_name": listing.place.name, "division": listing.place.division_id,
           **{f: _plain(getattr(listing, f)) for f in LISTING_FIELDS}, "years_in_use": _plain(listing.years_in_use)}
    return row


def export_heritage(path: Path | str, fmt: str = "auto") -> int:
    """Write every heritage listing to ``path`` (one row each, the place by its code), as
    ``import_places --kind heritage`` reads them; returns how many."""
    from registry.importers.heritage import HERITAGE_COLUMNS

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".") if fmt in ("", "auto") else fmt
    listings = HeritageListing.objects.select_related("place").order_by("place__code", "scheme", "id")
    rows = (_listing_row(listing) for listing in listings.iterator(chunk_size=2000))
    if fmt in ("csv", "xlsx"):
        return _write_table(path, fmt, HERITAGE_COLUMNS, rows, sheet="地名文化遗产")
    if fmt == "json":
        return _write_json(path, '{"listings": [\n', rows)
    raise ValueError(f"Unknown heritage export format “{fmt}” (use csv, xlsx or json).")


def export_places(path: Path | str, fmt: str = "auto") -> int:
    """Write every place to ``path``; returns how many."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".") if fmt in ("", "auto") else fmt
    if fmt in ("csv", "xlsx"):
        return _write_table(path, fmt, TABLE_COLUMNS, map(_table_row, _places()), sheet="地名")
    if fmt == "json":
        return _write_json(path, '{"places": [\n', map(record, _places()))
    if fmt == "geojson":
        return _write_json(path, '{"type": "FeatureCollection", "features": [\n', map(_feature, _places()))
    raise ValueError(f"Unknown export format “{fmt}” (use csv, xlsx, json or geojson).")


def _feature(place: Place) -> dict:
    data = record(place)
    geometry = data.pop("geometry") or (
        {"type": "Point", "coordinates": [float(place.longitude), float(place.latitude)]}
        if place.longitude is not None else None)
    return {"type": "Feature", "geometry": geometry, "properties": data}


def _write_table(path: Path, fmt: str, columns: tuple[str, ...], rows: Iterator[dict], *, sheet: str) -> int:
    """CSV (UTF-8 with BOM, which Excel in a Chinese locale opens correctly) or XLSX."""
    count = 0
    if fmt == "csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns)
            writer.writeheader()
            for row in rows:
                writer.writerow(row)
                count += 1
        return count
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    worksheet.append(list(columns))
    for row in rows:
        worksheet.append([row[c] for c in columns])
        count += 1
    workbook.save(path)
    return count


def _write_json(path: Path, opening: str, records: Iterator[dict]) -> int:
    """A JSON document written one record at a time: ``opening``, the records, ``]}``."""
    count = 0
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(opening)
        for data in records:
            fh.write(("" if count == 0 else ",\n") + json.dumps(data, ensure_ascii=False))
            count += 1
        fh.write("\n]}\n")
    return count
