"""The project's URLs plus ``/bare/``: the same 20 rows as the place list, straight from ``.values()``."""
from django.http import JsonResponse
from django.urls import include, path

from registry.models import Place


def bare(request):
    rows = list(Place.objects.filter(category="road").order_by("code").values(
        "code", "name", "pinyin", "category", "generic", "division_id", "status")[:20])
    return JsonResponse({"results": rows})


urlpatterns = [path("bare/", bare), path("", include("config.urls"))]
