"""The project's URLs plus two bare views to compare with.

``/bare/``: the same 20 rows as the place list, straight from ``.values()``.
``/bare/place/<code>/``: one place read by code, as a two-line HTML page (the public
place page's baseline in ``benchmarks/public_pages.py``).
"""

from django.http import Http404, HttpResponse, JsonResponse
from django.utils.html import escape
from django.urls import include, path

from registry.models import Place


def bare(request):
    rows = list(
        Place.objects.filter(category="road")
        .order_by("code")
        .values("code", "name", "pinyin", "category", "generic", "division_id", "status")[:20]
    )
    return JsonResponse({"results": rows})


def bare_place(request, code):
    row = Place.objects.filter(code=code).values("name", "pinyin").first()
    if row is None:
        raise Http404(code)
    return HttpResponse(
        f"<!doctype html><title>{escape(row['name'])}</title>\n<h1>{escape(row['name'])}</h1>"
        f"<p>{escape(row['pinyin'])}</p>"
    )


urlpatterns = [path("bare/", bare), path("bare/place/<str:code>/", bare_place), path("", include("config.urls"))]
