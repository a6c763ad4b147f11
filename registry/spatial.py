"""Where places are: the box and radius queries every reader (API, OGC API – Features) shares.

A query is answered on each place's representative point (``longitude``/``latitude``,
WGS-84, SPEC.md "Spatial"), which every located place has and both databases index
(``place_location``: a B-tree on longitude then latitude, so a box is one range scan on
longitude with latitude checked from the index). A road's line or a village's area is
not yet intersected with the box: a place whose line crosses a box but whose point
lies outside it is not returned (README, Known gaps).

Distances use the equirectangular approximation around the query point, computed in
SQL with plain arithmetic so SQLite and PostgreSQL order the same way: within the
radius the API allows (``MAX_RADIUS_M``, 100 km) its error is under 0.1 %, far below
the precision of a place's representative point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db import connection
from django.db.models import FloatField, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Sqrt
from django.utils.translation import gettext as _

MAX_RADIUS_M = 100_000
METRES_PER_DEGREE_LAT = 110_574.0
METRES_PER_DEGREE_LON_AT_EQUATOR = 111_320.0


class SpatialQueryError(ValueError):
    """A box or a point a client sent that is not one; the message says what is wrong (Chinese first)."""


@dataclass(frozen=True)
class Box:
    west: float
    south: float
    east: float
    north: float

    def condition(self, prefix: str = "") -> Q:
        """Places whose representative point lies in the box (edges included)."""
        return Q(
            **{
                f"{prefix}longitude__gte": self.west,
                f"{prefix}longitude__lte": self.east,
                f"{prefix}latitude__gte": self.south,
                f"{prefix}latitude__lte": self.north,
            }
        )


def _numbers(raw: str, count: int, what: str) -> list[float]:
    parts = [p.strip() for p in (raw or "").split(",")]
    if len(parts) != count:
        raise SpatialQueryError(_("%(what)s needs %(count)s comma-separated numbers.") % {"what": what, "count": count})
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise SpatialQueryError(_("%(what)s must be numbers (decimal degrees).") % {"what": what}) from None
    if not all(math.isfinite(n) for n in numbers):
        raise SpatialQueryError(_("%(what)s must be finite numbers.") % {"what": what})
    return numbers


def _check_position(lon: float, lat: float, what: str) -> None:
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise SpatialQueryError(
            _("%(what)s: longitude must be -180 to 180 and latitude -90 to 90 (were they swapped?).") % {"what": what}
        )


def parse_bbox(raw: str) -> Box:
    """``minlon,minlat,maxlon,maxlat`` (OGC API – Features and SPEC.md order) as a Box."""
    west, south, east, north = _numbers(raw, 4, "bbox")
    _check_position(west, south, "bbox")
    _check_position(east, north, "bbox")
    if west > east or south > north:
        raise SpatialQueryError(
            _("bbox: give minlon,minlat,maxlon,maxlat (the first corner south-west of the second).")
        )
    return Box(west, south, east, north)


def parse_near(raw: str, radius_raw: str | None) -> tuple[float, float, float]:
    """``near=lon,lat`` and ``radius`` in metres (default 1,000; at most ``MAX_RADIUS_M``)."""
    lon, lat = _numbers(raw, 2, "near")
    _check_position(lon, lat, "near")
    radius = 1000.0
    if radius_raw not in (None, ""):
        try:
            radius = float(radius_raw)
        except ValueError:
            raise SpatialQueryError(_("radius must be a number of metres.")) from None
        if not math.isfinite(radius) or radius <= 0 or radius > MAX_RADIUS_M:
            raise SpatialQueryError(_("radius must be more than 0 and at most %(max)s metres.") % {"max": MAX_RADIUS_M})
    return lon, lat, radius


def near(queryset, lon: float, lat: float, radius: float):
    """Places within ``radius`` metres of (lon, lat), nearest first, each annotated with ``distance_m``."""
    per_lon = METRES_PER_DEGREE_LON_AT_EQUATOR * max(math.cos(math.radians(lat)), 1e-6)
    box = Box(
        max(lon - radius / per_lon, -180.0),
        max(lat - radius / METRES_PER_DEGREE_LAT, -90.0),
        min(lon + radius / per_lon, 180.0),
        min(lat + radius / METRES_PER_DEGREE_LAT, 90.0),
    )
    # One small SQL expression (compiling the same arithmetic as ORM expression trees cost
    # more than the query); DOUBLE PRECISION is a real type to both databases.
    quote = connection.ops.quote_name
    table = quote(queryset.model._meta.db_table)
    dx = f"(CAST({table}.{quote('longitude')} AS DOUBLE PRECISION) - %s) * %s"
    dy = f"(CAST({table}.{quote('latitude')} AS DOUBLE PRECISION) - %s) * %s"
    distance_sq = RawSQL(
        f"({dx}) * ({dx}) + ({dy}) * ({dy})",
        (lon, per_lon, lon, per_lon, lat, METRES_PER_DEGREE_LAT, lat, METRES_PER_DEGREE_LAT),
        output_field=FloatField(),
    )
    return (
        queryset.filter(box.condition())
        .annotate(distance_sq=distance_sq)
        .filter(distance_sq__lte=radius * radius)
        .annotate(distance_m=Sqrt("distance_sq"))
        .order_by("distance_sq", "code")
    )
