"""Which division a point lies in, once division boundaries are loaded (``manage.py import_boundaries``).

Two questions, one rule: a division's boundary is its own, or, where none is loaded
for it, its nearest ancestor's (a street without a boundary is checked against its
district's). ``boundary_problem`` says why a place's point is not inside its division,
or nothing when it is or no boundary is known; ``division_at`` suggests the most
specific division holding a point (the name check answers it as ``suggested_division``,
the admin's place page shows it beside the point). Candidates come from the stored bounding boxes (an
indexed range query), then the exact test (``registry.geometry.contains``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from registry.geometry import contains
from registry.models import Division, DivisionBoundary


def _known_boundary(division: Division | None) -> DivisionBoundary | None:
    while division is not None:
        boundary = DivisionBoundary.objects.filter(division=division).first()
        if boundary is not None:
            return boundary
        division = division.parent
    return None


def boundary_problem(division: Division | None, lon, lat) -> str:
    """Empty if (lon, lat) lies inside ``division``'s known boundary (or none is known), else why not."""
    if division is None or lon is None or lat is None or not DivisionBoundary.objects.exists():
        return ""
    boundary = _known_boundary(division)
    if boundary is None or contains(boundary.geometry, lon, lat):
        return ""
    found = division_at(lon, lat)
    hint = _("; it lies in %(found)s") % {"found": found.name} if found else ""
    return _(
        "(%(lon)s, %(lat)s) is not inside the boundary of %(division)s%(hint)s: check the coordinates or the division."
    ) % {"lon": lon, "lat": lat, "division": boundary.division.name, "hint": hint}


def division_at(lon, lat) -> Division | None:
    """The most specific division whose loaded boundary holds (lon, lat), or None."""
    lon, lat = float(lon), float(lat)
    candidates = DivisionBoundary.objects.select_related("division").filter(
        west__lte=lon, east__gte=lon, south__lte=lat, north__gte=lat
    )
    holding = [b.division for b in candidates if contains(b.geometry, lon, lat)]
    return max(holding, key=lambda d: (len(d.code.rstrip("0")), d.code), default=None)


def suggested_division(lon, lat) -> dict | None:
    """The name check's suggestion for a point: ``division_at``'s code and name, or None."""
    found = division_at(lon, lat)
    return {"code": found.code, "name": found.name} if found is not None else None


def _line_of(division: Division | None) -> set[str]:
    """The codes of ``division`` and its ancestors."""
    codes = set()
    while division is not None:
        codes.add(division.code)
        division = division.parent
    return codes


def out_of_step(division: Division, lon, lat, found: Division | None) -> bool:
    """Whether a place filed under ``division`` with its point at (lon, lat) disagrees with the
    loaded boundaries: the point lies in ``found`` (``division_at``), a division neither above
    nor below it, or outside the boundary known for ``division`` (``boundary_problem``)."""
    if found is not None and found.code not in _line_of(division) and division.code not in _line_of(found):
        return True
    return bool(boundary_problem(division, lon, lat))
