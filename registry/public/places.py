"""Search and the place page: a visitor types any name, former ones included, and
lands on the place as it is today, with every name it has had.

A former name that only one place ever bore leads straight to that place (宿州路's
old 映典路 lands on 宿州路, with a line saying so); a name several places share lists
them. The place page shows what a 公告 would (standard name, pinyin, category,
division, location, approval) and the names history with dates and decisions, but
none of the staff's notes, check results or bookkeeping.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from registry.choices import HeritageStatus, NameKind
from registry.models import HeritageListing, Place, PlaceName
from registry.public.common import visitor_text, with_date_texts
from registry.services.announcements import division_path, place_location
from registry.search import search

RESULTS = 20


def home(request):
    """``/``: the search box, and the results of ``?q=``."""
    q = visitor_text(request.GET.get("q"))
    hits = search(q, limit=RESULTS) if q else []
    places = Place.objects.in_bulk([h.place_id for h in hits])
    results = [{"hit": h, "place": places[h.place_id]} for h in hits if h.place_id in places]
    exact = [r for r in results if r["hit"].score >= 100]
    if len(exact) == 1 and len(results) >= 1 and exact[0] is results[0]:
        url = reverse("public:place", args=[exact[0]["place"].code])
        if exact[0]["hit"].matched != exact[0]["place"].name:
            url += "?" + urlencode({"from": exact[0]["hit"].matched})
        return HttpResponseRedirect(url)
    return render(request, "public/home.html", {"nav": "home", "q": q, "results": results})


def _names(place: Place) -> list[PlaceName]:
    return with_date_texts(place.names.all())


def place_detail(request, code: str):
    """``/places/{code}/``: the place, its names history and its heritage listings."""
    code = visitor_text(code, limit=40).upper()
    listings = HeritageListing.objects.exclude(status=HeritageStatus.REMOVED)
    place = (
        Place.objects.select_related("division__parent__parent")
        .prefetch_related(Prefetch("heritage_listings", queryset=listings))
        .filter(code=code)
        .first()
    )
    if place is None:
        raise Http404(code)
    names = _names(place)
    came_from = visitor_text(request.GET.get("from"))
    if came_from and not any(n.name == came_from for n in names):
        came_from = ""  # only a name this place really bore is echoed back
    return render(
        request,
        "public/place.html",
        {
            "nav": "home",
            "place": place,
            "names": names,
            "division": division_path(place.division),
            "location": place_location(place),
            "listings": list(place.heritage_listings.all()),
            "announcements": list(place.announcements.order_by("-approved_on", "-id")[:10]),
            "came_from": came_from,
            "official": NameKind.OFFICIAL,
        },
    )
