"""Where places are: the box and radius queries every reader (API, OGC API – Features) shares.

A box keeps the places whose feature meets it (SPEC.md "places intersecting the box"),
the feature being what a GIS client is served: the line or area ``geometry`` if the
place has one, else its representative point (``longitude``/``latitude``, WGS-84). So a
road whose line crosses the box is returned though its point lies outside, and one whose
line only passes near the box (its envelope overlaps the box, the line does not) is not
(``in_box``). Both databases answer from a spatial index (``registry.spatial_index``: an
R*Tree on SQLite, a GiST on PostgreSQL; where PostgreSQL has PostGIS, a box is
answered from its geometry column instead, ``registry.postgis``) of one rectangle per place, its geometry's
envelope joined with its point: the index gives the few places whose rectangle meets the
box, and of those the exact answer is kept by the columns (a point in the box, an
envelope wholly inside it) and, for the envelopes crossing its edge only, by the exact
test in Python (``geometry.intersects_box``), so SQLite and
PostgreSQL give the same answers. ``near`` measures from the representative point.

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

from registry.geometry import intersects_box
from registry import postgis, spatial_index

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

    def envelope_overlaps(self) -> Q:
        """Places whose geometry's envelope meets the box (edges included)."""
        return Q(
            geometry_west__lte=self.east,
            geometry_east__gte=self.west,
            geometry_south__lte=self.north,
            geometry_north__gte=self.south,
        )

    def envelope_inside(self) -> Q:
        """Places whose geometry's envelope lies wholly in the box: the geometry meets it."""
        # west ≤ east is implied; said so that the index range on west is bounded at both ends.
        return Q(
            geometry_west__gte=self.west,
            geometry_west__lte=self.east,
            geometry_east__lte=self.east,
            geometry_south__gte=self.south,
            geometry_north__lte=self.north,
        )


def _indexed(queryset, box: Box):
    """``queryset`` narrowed to the places the spatial index says meet ``box`` (a superset)."""
    return spatial_index.narrow(queryset, box.west, box.south, box.east, box.north)


def in_box(queryset, box: Box):
    """The places of ``queryset`` whose feature meets ``box``: a place without a geometry by
    its point, one with a geometry by the geometry (see the module's docstring). Where PostgreSQL
    has PostGIS, one query on the feature column answers it (``registry.postgis``)."""
    if postgis.available(queryset.db):
        return queryset.filter(pk__in=postgis.meeting(box.west, box.south, box.east, box.north))
    crossing = _indexed(queryset, box).filter(box.envelope_overlaps()).exclude(box.envelope_inside())
    exact = [
        pk
        for pk, geometry in crossing.order_by().values_list("pk", "geometry")
        if intersects_box(geometry, (box.west, box.south, box.east, box.north))
    ]
    meets = (Q(geometry_west__isnull=True) & box.condition()) | box.envelope_inside() | Q(pk__in=exact)
    # As a subquery without an order, driven by the index's ids: filtered in the outer
    # query's order, SQLite without statistics scanned the whole table by its code index.
    ids = _indexed(queryset.model._default_manager.all(), box).filter(meets).order_by().values("pk")
    return queryset.filter(pk__in=ids)


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


def distance_m(lon: float, lat: float, other_lon: float, other_lat: float) -> float:
    """Metres from (lon, lat) to the other point, by the same equirectangular rule as ``near``."""
    per_lon = METRES_PER_DEGREE_LON_AT_EQUATOR * max(math.cos(math.radians(lat)), 1e-6)
    return math.hypot((float(other_lon) - lon) * per_lon, (float(other_lat) - lat) * METRES_PER_DEGREE_LAT)


def radius_box(lon: float, lat: float, radius: float) -> Box:
    """The smallest box holding every point within ``radius`` metres of (lon, lat)."""
    per_lon = METRES_PER_DEGREE_LON_AT_EQUATOR * max(math.cos(math.radians(lat)), 1e-6)
    return Box(
        max(lon - radius / per_lon, -180.0),
        max(lat - radius / METRES_PER_DEGREE_LAT, -90.0),
        min(lon + radius / per_lon, 180.0),
        min(lat + radius / METRES_PER_DEGREE_LAT, 90.0),
    )


def near(queryset, lon: float, lat: float, radius: float):
    """Places within ``radius`` metres of (lon, lat), nearest first, each annotated with ``distance_m``."""
    per_lon = METRES_PER_DEGREE_LON_AT_EQUATOR * max(math.cos(math.radians(lat)), 1e-6)
    box = radius_box(lon, lat, radius)
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
        _indexed(queryset, box)
        .filter(box.condition())
        .annotate(distance_sq=distance_sq)
        .filter(distance_sq__lte=radius * radius)
        .annotate(distance_m=Sqrt("distance_sq"))
        .order_by("distance_sq", "code")
    )
