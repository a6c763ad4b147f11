"""Loading division boundaries from a GeoJSON file: every feature checked, then all saved or none.

Bureaus and mapping agencies publish boundaries as GeoJSON FeatureCollections whose
features carry the division code in a property (``code``, ``adcode`` as DataV and many
Chinese sources name it, or ``区划代码``). Each feature must name a division the
registry has and hold a Polygon or MultiPolygon inside China; problems are listed by
feature number, in Chinese, and nothing is written unless every feature is right.
A boundary already stored with the same geometry and source is left as it is (no new
history entry), so loading the same file twice changes nothing the second time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from registry.geometry import bounds
from registry.models import Division, DivisionBoundary
from registry.models.places import validate_geometry

CODE_PROPERTIES = ("code", "adcode", "区划代码")
MAX_BYTES = 200 * 1024 * 1024


@dataclass
class BoundaryResult:
    saved: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _code(properties: dict) -> str:
    for key in CODE_PROPERTIES:
        value = str(properties.get(key) or "").strip()
        if value:
            return value + "000" if len(value) == 9 else value  # a township's 9-digit code
    return ""


def _feature_problem(number: int, feature, divisions: dict) -> tuple[str, tuple | None]:
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        return _("Feature %(n)s: not a GeoJSON feature with properties.") % {"n": number}, None
    code = _code(feature["properties"])
    if code not in divisions:
        return (
            _("Feature %(n)s: no division with code “%(code)s” (give it as code or adcode).")
            % {"n": number, "code": code[:20]}
        ), None
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return _("Feature %(n)s (%(code)s): the boundary must be a Polygon or MultiPolygon.") % {
            "n": number,
            "code": code,
        }, None
    try:
        validate_geometry(geometry)
    except ValidationError as exc:
        return _("Feature %(n)s (%(code)s): %(problem)s") % {
            "n": number,
            "code": code,
            "problem": exc.messages[0],
        }, None
    return "", (divisions[code], geometry)


def boundary_import(path: Path | str, *, source: str) -> BoundaryResult:
    """Read the boundaries in ``path`` (GeoJSON) and save them, all or none."""
    result = BoundaryResult()
    path = Path(path)
    if not source.strip():
        result.problems.append(_("Say where the boundaries come from (the source)."))
        return result
    if path.stat().st_size > MAX_BYTES:
        result.problems.append(_("The file is larger than 200 MB."))
        return result
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        result.problems.append(_("The file is not UTF-8 GeoJSON: %(error)s") % {"error": str(exc)[:200]})
        return result
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not features:
        result.problems.append(_("The file is not a GeoJSON FeatureCollection with features."))
        return result
    divisions = {d.code: d for d in Division.objects.all()}
    good = []
    for number, feature in enumerate(features, start=1):
        problem, parsed = _feature_problem(number, feature, divisions)
        if problem:
            result.problems.append(problem)
        else:
            good.append(parsed)
    if result.problems:
        return result
    source = source.strip()[:300]
    stored = {
        b.division_id: (b.geometry, b.source)
        for b in DivisionBoundary.objects.filter(division__in=[division for division, _geometry in good])
    }
    with transaction.atomic():
        for division, geometry in good:
            if stored.get(division.pk) == (geometry, source):
                result.unchanged += 1
                continue
            west, south, east, north = bounds(geometry)
            DivisionBoundary.objects.update_or_create(
                division=division,
                defaults={
                    "geometry": geometry,
                    "west": west,
                    "south": south,
                    "east": east,
                    "north": north,
                    "source": source,
                },
            )
            result.saved += 1
    return result
