"""Loading the Hefei demo data (``fixtures/hefei_demo.json``) through the services.

The demo data are real, public Hefei places (see the file's ``verification`` and
``source`` fields for how well each is attested). Loading is idempotent: a place
whose code is already in the registry is left as it is, so running the loader twice
gives the same counts.

Hefei's division boundaries (``fixtures/hefei_boundaries.geojson``: the city and its nine
districts and counties, approximate outlines from the Vonng/adcode dataset converted from
GCJ-02, see the file's ``source``) are loaded after the places, through
``registry.services.boundaries``; an unchanged boundary is left as it is, so a second
load writes nothing. They come after the places because three demo points lie outside
their division's outline (tests/test_demo_boundaries.py ``OUTSIDE`` says why): loaded
first, the boundary check would refuse those places.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from registry import partial_dates
from registry.models import Division, Place
from registry.services import heritage as heritage_services
from registry.services.boundaries import boundary_import
from registry.services import places as place_services

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "hefei_demo.json"
BOUNDARY_FILE = Path(settings.BASE_DIR) / "fixtures" / "hefei_boundaries.geojson"

_PLACE_ATTRS = {
    "origin": "origin",
    "history": "history_text",
    "longitude": "longitude",
    "latitude": "latitude",
    "details": "details",
    "verification": "verification",
    "source": "source",
    "note": "note",
    "geometry": "geometry",
}
_LISTING_DATES = ("notice_start", "notice_end")


@dataclass
class DemoResult:
    created: int = 0
    skipped: int = 0
    names: int = 0
    listings: int = 0
    boundaries: int = 0
    boundaries_unchanged: int = 0


def _full_date(value: str | None) -> dt.date | None:
    parsed = partial_dates.parse(value) if value else None
    if parsed is None or parsed.day is None:
        return None
    return dt.date(parsed.year, parsed.month, parsed.day)


def _load_place(record: dict, result: DemoResult) -> None:
    division = Division.objects.get(code=record["division"])
    attrs = {target: record[key] for key, target in _PLACE_ATTRS.items() if record.get(key) not in (None, "")}
    place = place_services.place_create(
        code=record["code"],
        name=record["name"],
        category=record["category"],
        division=division,
        pinyin=record.get("pinyin", ""),
        named_on=record.get("current_name_since", ""),
        decision_document=record.get("decision_document", ""),
        name_source=record.get("name_source", ""),
        **attrs,
    )
    for name in record.get("names", []):
        place_services.name_record(
            place=place,
            name=name["name"],
            kind=name["kind"],
            valid_from=name.get("valid_from", ""),
            valid_to=name.get("valid_to", ""),
            source=name.get("source", ""),
            decision_document=name.get("decision", ""),
            note=name.get("note", ""),
        )
        result.names += 1
    for listing in record.get("heritage", []):
        fields = {k: v for k, v in listing.items() if v not in (None, "")}
        for key in _LISTING_DATES:
            if key in fields:
                fields[key] = _full_date(fields[key])
        heritage_services.heritage_listing_create(place=place, **fields)
        result.listings += 1
    if record.get("status") == "retired":
        place_services.place_retire(place=place, effective=record.get("retired_on"))
    result.created += 1


def boundary_source(path: Path = BOUNDARY_FILE) -> str:
    """The source text a boundary file states for all its features (its ``source.text``)."""
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)["source"]["text"]


def _load_boundaries(path: Path, result: DemoResult) -> None:
    loaded = boundary_import(path, source=boundary_source(path))
    if not loaded.ok:
        raise ValidationError(loaded.problems)
    result.boundaries, result.boundaries_unchanged = loaded.saved, loaded.unchanged


def load_demo(path: Path = DEMO_FILE, boundaries: Path | None = BOUNDARY_FILE) -> DemoResult:
    """Load every demo place not yet in the registry, then the boundaries (``None``: none), all in one transaction."""
    with open(path, encoding="utf-8") as fh:
        records = json.load(fh)["places"]
    result = DemoResult()
    existing = set(Place.objects.filter(code__in=[r["code"] for r in records]).values_list("code", flat=True))
    with transaction.atomic():
        for record in records:
            if record["code"] in existing:
                result.skipped += 1
                continue
            _load_place(record, result)
        if boundaries:
            _load_boundaries(Path(boundaries), result)
    return result
