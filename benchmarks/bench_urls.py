"""The project's URLs plus bare views to compare with.

``/bare/``: the same 20 rows as the place list, straight from ``.values()``. It takes the
list's ``category``, ``division`` and ``page`` (and nothing else), so that the API benchmark
can request distinct URLs of both (``benchmarks/api.py``); without them it is the first
20 roads by code.
``/bare/detail/<code>/``: one place's list columns and its names, two ``.values()`` queries.
``/bare/place/<code>/``: one place read by code, as a two-line HTML page (the public
place page's baseline in ``benchmarks/public_pages.py``).
"""

from django.http import Http404, HttpResponse, JsonResponse
from django.utils.html import escape
from django.urls import include, path

from registry.models import Place, PlaceName

COLUMNS = ("code", "name", "pinyin", "category", "generic", "division_id", "status")


def bare(request):
    places = Place.objects.filter(category=request.GET.get("category", "road"))
    division = request.GET.get("division")
    if division:  # a county's own code: the places of it and of its townships (a range on the code)
        places = places.filter(division_id__gte=division, division_id__lt=division[:-1] + chr(ord(division[-1]) + 1))
    start = (int(request.GET.get("page", 1)) - 1) * 20
    rows = list(places.order_by("code").values(*COLUMNS, "division__name")[start : start + 20])
    return JsonResponse({"results": rows})


def bare_detail(request, code):
    row = Place.objects.filter(code=code).values("id", *COLUMNS, "division__name").first()
    if row is None:
        raise Http404(code)
    row["names"] = list(PlaceName.objects.filter(place_id=row.pop("id")).values("name", "pinyin", "kind"))
    return JsonResponse(row)


def bare_place(request, code):
    row = Place.objects.filter(code=code).values("name", "pinyin").first()
    if row is None:
        raise Http404(code)
    return HttpResponse(
        f"<!doctype html><title>{escape(row['name'])}</title>\n<h1>{escape(row['name'])}</h1>"
        f"<p>{escape(row['pinyin'])}</p>"
    )


urlpatterns = [
    path("bare/", bare),
    path("bare/detail/<str:code>/", bare_detail),
    path("bare/place/<str:code>/", bare_place),
    path("", include("config.urls")),
]
