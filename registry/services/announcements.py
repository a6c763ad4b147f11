"""The numbered 公告: its serial, its number and the rows it describes a place with.

One proposal's approval (``steps.approve``) and one round's (``round_apply``) both issue
an announcement from the same locked counter, so a number is never handed out twice
across the two; the public pages describe a place's location with the same words as
the announcement did (``division_path``, ``place_location``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from registry.choices import ProposalAction
from registry.models import Announcement, CodeCounter, Division, Place, Proposal, RoundAnnouncement


def next_serial(year: int) -> int:
    """The next announcement number of ``year``, from a locked counter: never handed out twice."""
    prefix = f"announce-{year}"
    CodeCounter.objects.get_or_create(prefix=prefix)
    counter = CodeCounter.objects.select_for_update().get(prefix=prefix)
    counter.last += 1
    while (
        Announcement.objects.filter(year=year, serial=counter.last).exists()
        or RoundAnnouncement.objects.filter(year=year, serial=counter.last).exists()
    ):
        counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def announcement_number(year: int, serial: int) -> str:
    """合民地公〔2026〕第3号: the prefix from ``REGISTRY_ANNOUNCEMENT_PREFIX``."""
    prefix = getattr(settings, "REGISTRY_ANNOUNCEMENT_PREFIX", "") or "地公"
    return f"{prefix}〔{year}〕第{serial}号"


def announce(proposal: Proposal, place: Place, *, old_name: str, issued_on: dt.date) -> Announcement:
    """The 公告 in the site's language (it is a published record, whoever's screen approved it)."""
    serial = next_serial(issued_on.year)
    with translation.override(settings.LANGUAGE_CODE):
        location = place_location(place)
    return Announcement.objects.create(
        proposal=proposal,
        place=place,
        action=proposal.action,
        standard_name=place.name,
        old_name=old_name if proposal.action == ProposalAction.RENAME else "",
        pinyin=place.pinyin,
        division_name=division_path(place.division),
        location=location,
        authority=proposal.authority,
        approved_on=proposal.decided_on,
        document_number=proposal.document_number,
        year=issued_on.year,
        serial=serial,
        number=announcement_number(issued_on.year, serial),
        issuing_authority=getattr(settings, "REGISTRY_ANNOUNCING_AUTHORITY", ""),
        issued_on=issued_on,
    )


def division_path(division: Division | None) -> str:
    """合肥市包河区: the division with its parents from the city down (the province is understood)."""
    parts = []
    while division is not None and division.level != "province":
        parts.append(division.name)
        division = division.parent
    return "".join(reversed(parts))


def place_location(place: Place | None) -> str:
    """Where the place lies, beyond its division (which the 公告 gives in its own row)."""
    if place is None:
        return ""
    details = place.details or {}
    parts = []
    if details.get("start") and details.get("end"):
        parts.append(_("from %(start)s to %(end)s") % {"start": details["start"], "end": details["end"]})
    if place.longitude is not None:
        parts.append(_("centre at %(lon)s° E, %(lat)s° N") % {"lon": place.longitude, "lat": place.latitude})
    return ("；" if (translation.get_language() or "").startswith("zh") else "; ").join(parts)
