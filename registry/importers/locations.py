"""An import's coordinates as data teams have them: converted to WGS-84, then checked against the divisions.

``--crs gcj02`` (Gaode, Tencent) or ``--crs bd09`` (Baidu) converts each row's
longitude/latitude and every position of its geometry before the row is checked, so
the stored values are WGS-84 (``registry.crs``); ``wgs84`` and ``cgcs2000`` are taken as
they are. A cell that is not a number is left for the row check to report. Once
division boundaries are loaded, a row whose point lies outside its division's boundary
is a problem on its line, saying where the point lies instead (``registry.boundaries``).
"""

from __future__ import annotations

import json
from decimal import Decimal

from registry.boundaries import boundary_problem
from registry.crs import CRS_CHOICES, to_wgs84
from registry.importers.results import Problem
from registry.models import Division, DivisionBoundary

DIGITS = 8  # beyond the stored 6 decimals, so that the stored value is rounded once


def _number(cell) -> float | None:
    try:
        value = float(str(cell).strip())
    except (TypeError, ValueError):
        return None
    return value if value == value and abs(value) != float("inf") else None


def _positions(coordinates, crs: str):
    if (
        isinstance(coordinates, list)
        and len(coordinates) >= 2
        and all(isinstance(c, (int, float)) for c in coordinates[:2])
    ):
        lon, lat = to_wgs84(float(coordinates[0]), float(coordinates[1]), crs)
        return [round(lon, DIGITS), round(lat, DIGITS), *coordinates[2:]]
    if isinstance(coordinates, list):
        return [_positions(c, crs) for c in coordinates]
    return coordinates


def converted(raw: dict, crs: str) -> dict:
    """``raw`` with its coordinates and geometry in WGS-84 (the same dict when nothing is to convert)."""
    if crs in ("wgs84", "cgcs2000"):
        return raw
    if crs not in CRS_CHOICES:
        raise ValueError(f"unknown coordinate system {crs!r}")
    out = dict(raw)
    lon, lat = _number(raw.get("longitude")), _number(raw.get("latitude"))
    if lon is not None and lat is not None:
        lon, lat = to_wgs84(lon, lat, crs)
        out["longitude"], out["latitude"] = f"{lon:.{DIGITS}f}", f"{lat:.{DIGITS}f}"
    geometry = raw.get("geometry")
    if isinstance(geometry, str) and geometry.strip():
        try:
            geometry = json.loads(geometry)
        except ValueError:
            return out  # the row check reports it
    if isinstance(geometry, dict) and "coordinates" in geometry:
        out["geometry"] = {**geometry, "coordinates": _positions(geometry["coordinates"], crs)}
    return out


class BoundaryCheck:
    """Rows whose point lies outside their division's loaded boundary; nothing to do when none is loaded."""

    def __init__(self):
        self.active = DivisionBoundary.objects.exists()
        self.divisions = {d.code: d for d in Division.objects.all()} if self.active else {}

    def problem(self, line: int, division: str, attrs) -> Problem | None:
        if not self.active or attrs.get("longitude") is None:
            return None
        message = boundary_problem(
            self.divisions.get(division), Decimal(attrs["longitude"]), Decimal(attrs["latitude"])
        )
        return Problem(line, "longitude", message) if message else None
