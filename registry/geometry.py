"""Plane geometry on GeoJSON that the registry needs without a spatial database: is a point inside an area.

Division boundaries are GeoJSON Polygons or MultiPolygons in WGS-84 degrees; a town or
district spans a few tens of kilometres, over which treating degrees as a plane moves a
boundary by far less than the precision of the boundary files bureaus publish. Rings
follow RFC 7946: the first is the outer ring, the others holes. Points exactly on an
edge count as inside (a point on the line between two districts belongs to either).
"""

from __future__ import annotations


def _on_segment(x: float, y: float, ax: float, ay: float, bx: float, by: float) -> bool:
    cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax)
    return (
        abs(cross) < 1e-12
        and min(ax, bx) - 1e-12 <= x <= max(ax, bx) + 1e-12
        and min(ay, by) - 1e-12 <= y <= max(ay, by) + 1e-12
    )


def _in_ring(x: float, y: float, ring) -> bool | None:
    """True inside, False outside, None on the edge (ray casting)."""
    inside = False
    for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1]):
        if _on_segment(x, y, ax, ay, bx, by):
            return None
        if (ay > y) != (by > y) and x < (bx - ax) * (y - ay) / (by - ay) + ax:
            inside = not inside
    return inside


def _in_polygon(x: float, y: float, rings) -> bool:
    outer = _in_ring(x, y, [tuple(p[:2]) for p in rings[0]])
    if outer is None:
        return True
    if not outer:
        return False
    for hole in rings[1:]:
        in_hole = _in_ring(x, y, [tuple(p[:2]) for p in hole])
        if in_hole:  # strictly inside a hole; its edge belongs to the area
            return False
    return True


def polygons(geometry: dict) -> list:
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def contains(geometry: dict, lon: float, lat: float) -> bool:
    """Whether the Polygon or MultiPolygon ``geometry`` holds the point (lon, lat), edges included."""
    return any(_in_polygon(float(lon), float(lat), rings) for rings in polygons(geometry) if rings)


def bounds(geometry: dict) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a Polygon or MultiPolygon."""
    xs, ys = [], []
    for rings in polygons(geometry):
        for ring in rings:
            for position in ring:
                xs.append(float(position[0]))
                ys.append(float(position[1]))
    return min(xs), min(ys), max(xs), max(ys)
