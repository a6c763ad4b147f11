"""``/heritage/`` and ``/red/``: the place-name heritage catalogue (名录), as the records hold it.

Every count on the page is counted from the listings themselves, and each listing
says how it is attested: listed or only a candidate (``status``), and whether a
primary source, only a secondary one, or none yet confirms it (``verification``).
For the 千年 schemes the page also gives the number Hefei reported (19 towns and 8
villages, the 2022 ten-year report as quoted in HEFEI_FACTS.md §0) beside the number
recorded, so a reader sees what is still missing instead of a list that looks
complete. Nothing is added that the records do not hold.
"""

from __future__ import annotations

from collections import Counter

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from registry.choices import HeritageScheme, HeritageStatus, Verification
from registry.models import HeritageListing, Place
from registry.public.common import with_date_texts
from registry.services.announcements import division_path

# What Hefei reported for the 千年 schemes (HEFEI_FACTS.md §0 and §1.2: 15 towns and 5
# villages by the end of 2017, 19 and 8 in the 2022 ten-year report).
REPORTED = {
    HeritageScheme.ANCIENT_TOWN: (19, _("the 2022 ten-year report of Hefei's place-name work")),
    HeritageScheme.ANCIENT_VILLAGE: (8, _("the 2022 ten-year report of Hefei's place-name work")),
}
SCHEME_ORDER = [
    HeritageScheme.ANCIENT_COUNTY,
    HeritageScheme.ANCIENT_TOWN,
    HeritageScheme.ANCIENT_VILLAGE,
    HeritageScheme.RED,
    HeritageScheme.OTHER,
]


def _listings(scheme: str | None = None):
    listings = HeritageListing.objects.exclude(status=HeritageStatus.REMOVED).select_related("place__division__parent")
    if scheme:
        listings = listings.filter(scheme=scheme)
    found = list(listings.order_by("scheme", "place__division_id", "place__code"))
    for listing in found:
        listing.attestation = attestation(listing)
    return found


def attestation(listing: HeritageListing) -> str:
    """One short phrase a reader can trust: listed or candidate, and by what kind of source."""
    if listing.status == HeritageStatus.CANDIDATE:
        return "candidate"
    return (
        "confirmed"
        if listing.verification == Verification.CONFIRMED
        else ("secondary" if listing.verification == Verification.SECONDARY else "unverified")
    )


def _section(scheme: str, listings: list[HeritageListing]) -> dict:
    counts = Counter(attestation(listing) for listing in listings)
    reported = REPORTED.get(scheme)
    listed = sum(1 for listing in listings if listing.status == HeritageStatus.LISTED)
    return {
        "scheme": scheme,
        "label": HeritageScheme(scheme).label,
        "listings": listings,
        "total": len(listings),
        "listed": listed,
        "candidates": counts["candidate"],
        "confirmed": counts["confirmed"],
        "secondary": counts["secondary"],
        "unverified": counts["unverified"],
        "reported": reported[0] if reported else None,
        "reported_source": reported[1] if reported else "",
        "missing": max(0, reported[0] - listed) if reported else None,
    }


def catalogue(request):
    listings = _listings()
    sections = [_section(s, [x for x in listings if x.scheme == s]) for s in SCHEME_ORDER]
    return render(
        request,
        "public/heritage.html",
        {
            "nav": "heritage",
            "sections": [s for s in sections if s["total"] or s["reported"]],
            "total": len(listings),
        },
    )


def listing_detail(request, pk: int):
    listing = (
        HeritageListing.objects.exclude(status=HeritageStatus.REMOVED)
        .select_related("place__division__parent")
        .filter(pk=pk)
        .first()
    )
    if listing is None:
        raise Http404(pk)
    return render(
        request,
        "public/heritage_detail.html",
        {
            "nav": "heritage",
            "listing": listing,
            "attestation": attestation(listing),
            "division": division_path(listing.place.division),
            "names": with_date_texts(listing.place.names.all()),
        },
    )


# The documented tag for a name its sources call red (红色道路 …) without any listing:
# the note starts with it. Such names are shown apart from the listed ones, never as listed.
RED_TAG = "〔红色地名〕"


def red_places():
    """Places tagged ``RED_TAG`` that carry no ``red`` listing, in code order."""
    places = (
        Place.objects.filter(note__startswith=RED_TAG)
        .exclude(heritage_listings__scheme=HeritageScheme.RED)
        .select_related("division")
        .order_by("division_id", "code")
    )
    found = list(places)
    for place in found:
        place.red_note = place.note[len(RED_TAG) :]
    return found


def red(request):
    """红色地名: the ``red`` listings, then the names only their sources call red, each with story and sources."""
    listings = _listings(HeritageScheme.RED)
    tagged = red_places()
    return render(
        request,
        "public/red.html",
        {"nav": "red", "listings": listings, "tagged": tagged, "total": len(listings) + len(tagged)},
    )
