"""What every public page shares: cleaning what a visitor typed, and where a place lies.

Visitors type anything into a search box or a URL; the pages answer every input with
a page, never a 500. ``visitor_text`` keeps a query short and free of control
characters (PostgreSQL refuses NUL in text), so the search and the check receive
plain text only.
"""
from __future__ import annotations

import unicodedata

from django.utils.translation import gettext as _

from registry.models import Division

MAX_QUERY = 100


def visitor_text(value, *, limit: int = MAX_QUERY) -> str:
    """``value`` as plain one-line text: control and invisible characters dropped, trimmed to ``limit``."""
    text = unicodedata.normalize("NFC", str(value or ""))
    text = "".join(c for c in text if unicodedata.category(c) not in {"Cc", "Cf", "Cs", "Co", "Cn"})
    return " ".join(text.split())[:limit]


def division_path(division: Division | None) -> str:
    """合肥市包河区: the division with its parents below the province."""
    parts = []
    while division is not None and division.level != "province":
        parts.append(division.name)
        division = division.parent
    return "".join(reversed(parts))


def place_location(place) -> str:
    """Where a place lies beyond its division: a road's two ends, a point's coordinates."""
    if place is None:
        return ""
    parts = []
    details = place.details or {}
    if details.get("start") and details.get("end"):
        parts.append(_("from %(start)s to %(end)s") % {"start": details["start"], "end": details["end"]})
    if place.longitude is not None:
        parts.append(_("centre at %(lon)s° E, %(lat)s° N") % {"lon": place.longitude, "lat": place.latitude})
    return "；".join(parts)


def date_text(value: str) -> str:
    """A partial date as a reader writes it: ``-0483`` is 公元前483年 (BCE), others as stored."""
    value = value or ""
    if value.startswith("-"):
        year, _sep, rest = value[1:].partition("-")
        return _("%(year)s BCE") % {"year": year.lstrip("0") or "0"} + (f"-{rest}" if rest else "")
    return value


def with_date_texts(names):
    """The names with ``from_text`` and ``to_text`` set for display."""
    names = list(names)
    for name in names:
        name.from_text, name.to_text = date_text(name.valid_from), date_text(name.valid_to)
    return names
