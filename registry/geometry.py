"""Plane geometry on GeoJSON that the registry needs without a spatial database.

Is a point inside an area (division boundaries); does a line or an area meet a box (the
``bbox`` query, ``spatial.in_box``, after the envelope columns' index has narrowed it).

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


def _parts(geometry: dict) -> tuple[list, list]:
    """(lines, polygons) of any GeoJSON geometry: each line a list of positions, each
    polygon a list of rings; a point is a line of one position."""
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Point":
        return [[coordinates]], []
    if kind in ("LineString", "MultiPoint"):
        return [coordinates], []
    if kind == "MultiLineString":
        return list(coordinates), []
    return [], polygons(geometry)


def envelope(geometry) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of any GeoJSON geometry, or None for none or an empty one."""
    if not isinstance(geometry, dict):
        return None
    lines, areas = _parts(geometry)
    xs, ys = [], []
    for path in lines + [ring for rings in areas for ring in rings]:
        for position in path:
            xs.append(float(position[0]))
            ys.append(float(position[1]))
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def _clips(ax: float, ay: float, bx: float, by: float, box: tuple[float, float, float, float]) -> bool:
    """Whether segment a–b meets the closed box (Liang–Barsky clipping)."""
    west, south, east, north = box
    low, high = 0.0, 1.0
    dx, dy = bx - ax, by - ay
    for p, q in ((-dx, ax - west), (dx, east - ax), (-dy, ay - south), (dy, north - ay)):
        if p == 0:
            if q < 0:
                return False  # parallel to this edge and outside it
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def _path_meets(path, box) -> bool:
    points = [(float(p[0]), float(p[1])) for p in path]
    if len(points) == 1:
        return _clips(*points[0], *points[0], box)
    return any(_clips(ax, ay, bx, by, box) for (ax, ay), (bx, by) in zip(points, points[1:]))


def intersects_box(geometry: dict, box: tuple[float, float, float, float]) -> bool:
    """Whether the GeoJSON geometry meets the box (west, south, east, north), edges included:
    a line when one of its segments does, an area when its outline does or it holds the box
    (a box inside a hole does not meet the area)."""
    lines, areas = _parts(geometry)
    if any(_path_meets(path, box) for path in lines):
        return True
    for rings in areas:
        if any(_path_meets(list(ring) + list(ring[:1]), box) for ring in rings):
            return True
        if rings and _in_polygon(box[0], box[1], rings):
            return True
    return False
