"""Plane geometry on GeoJSON that the registry needs without a spatial database.

Is a point inside an area (division boundaries); does a line or an area meet a box (the
``bbox`` query, ``spatial.in_box``, after the envelope columns' index has narrowed it).

Division boundaries are GeoJSON Polygons or MultiPolygons in WGS-84 degrees; a town or
district spans a few tens of kilometres, over which treating degrees as a plane moves a
boundary by far less than the precision of the boundary files bureaus publish. Rings
follow RFC 7946: the first is the outer ring, the others holes. Points exactly on an
edge count as inside (a point on the line between two districts belongs to either).

Whether a line or an area is well formed (``shape_problem``, the validator's question): a
line has two different positions or more; a ring is closed, has three different corners
or more and does not meet itself (no bow-tie, no spike), as OGC Simple Features requires.
"""

from __future__ import annotations

from django.utils.translation import gettext as _


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


# --- Is a line or an area well formed (RFC 7946; OGC Simple Features for rings) -----------


def _distinct(path) -> list[tuple[float, float]]:
    """The positions of ``path`` as (x, y), a position repeating the one before it left out."""
    points = [(float(p[0]), float(p[1])) for p in path]
    return [p for k, p in enumerate(points) if k == 0 or p != points[k - 1]]


def _side(p, q, r) -> int:
    """Which side of p→q the point r lies on: 1 left, -1 right, 0 on the line."""
    value = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
    return (value > 0) - (value < 0)


def _within(p, q, r) -> bool:
    """Whether r, on the line p–q, lies on the segment p–q."""
    return min(p[0], q[0]) <= r[0] <= max(p[0], q[0]) and min(p[1], q[1]) <= r[1] <= max(p[1], q[1])


def _meeting(a, b, c, d) -> tuple[float, float] | None:
    """A point the closed segments a–b and c–d share, or None."""
    s1, s2, s3, s4 = _side(a, b, c), _side(a, b, d), _side(c, d, a), _side(c, d, b)
    if s1 * s2 < 0 and s3 * s4 < 0:
        cross = (b[0] - a[0]) * (d[1] - c[1]) - (b[1] - a[1]) * (d[0] - c[0])
        t = ((c[0] - a[0]) * (d[1] - c[1]) - (c[1] - a[1]) * (d[0] - c[0])) / cross
        return a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
    for side, p, q, r in ((s1, a, b, c), (s2, a, b, d), (s3, c, d, a), (s4, c, d, b)):
        if side == 0 and _within(p, q, r):
            return r
    return None


def _doubles_back(p, q, r) -> bool:
    """Whether the path p→q→r turns back on itself along one line (a spike)."""
    return _side(p, q, r) == 0 and (p[0] - q[0]) * (r[0] - q[0]) + (p[1] - q[1]) * (r[1] - q[1]) > 0


def _crossing(points: list) -> tuple[float, float] | None:
    """Where the closed ring ``points`` (first == last) meets itself, or None.

    Edges are swept in order of their west end, each compared only with the edges whose
    east end is not yet passed: a boundary of thousands of positions checks in milliseconds."""
    edges = len(points) - 1
    active: list[int] = []
    for i in sorted(range(edges), key=lambda k: min(points[k][0], points[k + 1][0])):
        a, b = points[i], points[i + 1]
        active = [j for j in active if max(points[j][0], points[j + 1][0]) >= min(a[0], b[0])]
        for j in active:
            first, second = min(i, j), max(i, j)
            if second - first == 1 or (first == 0 and second == edges - 1):  # neighbours share a corner
                before, corner, after = (
                    (points[first], points[second], points[second + 1])
                    if second - first == 1
                    else (points[second], points[0], points[1])
                )
                if _doubles_back(before, corner, after):
                    return corner
                continue
            met = _meeting(a, b, points[j], points[j + 1])
            if met is not None:
                return met
        active.append(i)
    return None


def ring_problem(ring) -> tuple[str, tuple[float, float] | int] | None:
    """What is wrong with a polygon's ring, or None when it is a proper ring.

    ``("too_few", n)``: only n different corners, fewer than three;
    ``("not_closed", first)``: the last position does not repeat the first;
    ``("crosses_itself", where)``: two edges cross or touch (a bow-tie), or it doubles back."""
    points = _distinct(ring)
    closed = len(points) > 1 and points[0] == points[-1]
    corners = len(points) - 1 if closed else len(points)
    if corners < 3:
        return "too_few", corners
    if not closed:
        return "not_closed", points[0]
    where = _crossing(points)
    return ("crosses_itself", where) if where is not None else None


def line_positions(path) -> int:
    """How many different positions a line has (one repeated is counted once)."""
    return len(_distinct(path))


def _ring_name(kind: str, polygon: int, ring: int) -> str:
    name = _("the outer ring") if ring == 1 else _("hole %(n)s") % {"n": ring - 1}
    return _("polygon %(n)s, %(ring)s") % {"n": polygon, "ring": name} if kind == "MultiPolygon" else name


def _at(position) -> str:
    return "[%s, %s]" % tuple(f"{float(c):.6f}".rstrip("0").rstrip(".") for c in position)


def _line_problem(kind: str, coordinates) -> str:
    for n, line in enumerate([coordinates] if kind == "LineString" else coordinates, 1):
        if line_positions(line) < 2:
            name = _("the line") if kind == "LineString" else _("line %(n)s") % {"n": n}
            return _(
                "In the geometry, %(line)s has only one position: a line needs at least two different positions; "
                "add its other end, or give a single point as the longitude and latitude instead."
            ) % {"line": name}
    return ""


def _ring_message(name: str, what: str, detail) -> str:
    if what == "too_few":
        return _(
            "In the geometry, %(ring)s has only %(count)s different corners: a ring needs at least three, "
            "and its last position repeating its first (4 positions or more); add the missing corners."
        ) % {"ring": name, "count": detail}
    if what == "not_closed":
        return _(
            "In the geometry, %(ring)s is not closed: its last position must repeat its first, %(first)s; "
            "add %(first)s at the end."
        ) % {"ring": name, "first": _at(detail)}
    return _(
        "In the geometry, %(ring)s crosses or touches itself at %(where)s (a bow-tie or a spike): an area's "
        "outline must not meet itself; reorder the corners, or split the area into two polygons (MultiPolygon)."
    ) % {"ring": name, "where": _at(detail)}


def shape_problem(geometry: dict) -> str:
    """Why a line or area geometry is not well formed, naming the line or ring and what to do; empty when it is.

    The positions must already be checked (numbers, inside China): ``models.places.validate_geometry``."""
    kind, coordinates = geometry["type"], geometry["coordinates"]
    if kind in ("LineString", "MultiLineString"):
        return _line_problem(kind, coordinates)
    for p, rings in enumerate([coordinates] if kind == "Polygon" else coordinates, 1):
        for r, ring in enumerate(rings, 1):
            problem = ring_problem(ring)
            if problem is not None:
                return _ring_message(_ring_name(kind, p, r), *problem)
    return ""
