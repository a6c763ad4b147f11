"""Maps in the admin: a place's geometry drawn and edited on its page, and the place list on a map.

Leaflet and Leaflet.draw are served from this site's static files (the django-leaflet
package bundles them; no CDN), driven by ``registry/static/registry/place-map.js``
under the site's CSP (no inline script: the data travel in ``data-`` attributes and
``json_script`` blocks). The base map is ``REGISTRY_TILE_URL`` (天地图 with the
bureau's key, or the bureau's own tile server); with none configured the map draws the
registry's own features on a plain background, so it works offline.

On a place's page the clerk picks a point (it fills longitude and latitude), draws a
line (roads, waters, bridges) or an area (residential areas, waters, towns, villages),
which fills the GeoJSON box, and sees the located places around it (the API's
``near`` query). Nothing is saved until the form is: the map only fills its fields.
A proposal's and a round item's page show their location read-only beside the located
places within 3 km (``location_map``), for the reviewer who judges the name in its place.
"""

from __future__ import annotations

import json

from django import forms
from django.conf import settings
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, json_script
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from registry.boundaries import division_at, out_of_step
from registry.models import DivisionBoundary

LEAFLET_MEDIA = forms.Media(
    css={"all": ("leaflet/leaflet.css", "leaflet/draw/leaflet.draw.css", "registry/place-map.css")},
    js=("leaflet/leaflet.js", "leaflet/draw/leaflet.draw.js", "registry/place-map.js"),
)
LIST_MAP_LIMIT = 5000
LINE_CATEGORIES = ("road", "water", "bridge")
AREA_CATEGORIES = ("residential", "water", "town", "village")


def map_settings() -> dict:
    return {
        "tiles": getattr(settings, "REGISTRY_TILE_URL", ""),
        "attribution": getattr(settings, "REGISTRY_TILE_ATTRIBUTION", ""),
        "lines": list(LINE_CATEGORIES),
        "areas": list(AREA_CATEGORIES),
    }


class GeometryMapWidget(forms.Textarea):
    """The GeoJSON box with a map above it that draws and edits what the box holds."""

    template_name = "admin/registry/widgets/geometry_map.html"

    @property
    def media(self):
        return LEAFLET_MEDIA

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["map_settings"] = json.dumps(map_settings(), ensure_ascii=False)
        return context


def _feature(place) -> dict:
    geometry = place.geometry or {"type": "Point", "coordinates": [float(place.longitude), float(place.latitude)]}
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {
            "code": place.code,
            "name": place.name,
            "category": place.get_category_display(),
            "url": f"../{place.pk}/change/",
        },
    }


def list_map_view(model_admin, request):
    """``/admin/registry/place/map/?<the list's filters>``: the places the list shows, on a map."""
    changelist = model_admin.get_changelist_instance(request)
    located = changelist.queryset.filter(longitude__isnull=False).select_related("division")
    total = changelist.queryset.count()
    places = list(located[:LIST_MAP_LIMIT])
    query = request.GET.urlencode()
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "cl": changelist,
        "title": _("Places on the map"),
        "features": {"type": "FeatureCollection", "features": [_feature(p) for p in places]},
        "shown": len(places),
        "located": located.count(),
        "total": total,
        "limit": LIST_MAP_LIMIT,
        "list_url": "../" + (f"?{query}" if query else ""),
        "map_settings": json.dumps(map_settings(), ensure_ascii=False),
        "media": LEAFLET_MEDIA,
    }
    return TemplateResponse(request, "admin/registry/place/map.html", context)


NEIGHBOUR_RADIUS_M = 3000
NEIGHBOUR_LIMIT = 200


def location_map(*, name: str, longitude, latitude, geometry=None, leave_out: int | None = None) -> str:
    """A proposal's or a round item's location beside its neighbours, read-only: the subject in
    red, every located place within 3 km in grey (linked to its page), so a reviewer sees at a
    glance what the new name would stand beside. Empty text if the subject has no location."""
    from registry.models import Place
    from registry.choices import PlaceStatus
    from registry.spatial import near

    if longitude is None or latitude is None:  # the neighbours are measured from the point
        return ""
    shape = geometry or {"type": "Point", "coordinates": [float(longitude), float(latitude)]}
    subject = {"type": "Feature", "geometry": shape, "properties": {"name": name, "subject": True}}
    around = near(
        Place.objects.exclude(status=PlaceStatus.RETIRED).exclude(pk=leave_out),
        float(longitude),
        float(latitude),
        NEIGHBOUR_RADIUS_M,
    )[:NEIGHBOUR_LIMIT]
    features = [subject]
    for place in around:
        feature = _feature(place)
        feature["properties"]["url"] = reverse("admin:registry_place_change", args=[place.pk])
        features.append(feature)
    collection = {"type": "FeatureCollection", "features": features}
    return format_html(
        '<div class="place-map location-map" id="location-map" data-features="location-map-data" '
        'data-map-settings="{}" role="img" aria-label="{}"></div>{}<p class="help" id="location-map-summary">{}</p>',
        json.dumps(map_settings(), ensure_ascii=False),
        gettext_now("Map: the location and the places around it"),
        json_script(collection, "location-map-data"),
        gettext_now("Red: this location. Grey: the %(count)s located places within %(km)s km.")
        % {"count": len(features) - 1, "km": NEIGHBOUR_RADIUS_M // 1000},
    )


def point_division_note(place) -> str:
    """The place page's note beside its point, once boundaries are loaded: the division whose
    boundary holds the point, and a warning when that is not the place's (``boundaries.out_of_step``).
    A stored point is not judged again until it or the division changes (``Place._located_anew``)."""
    if place is None or place.longitude is None or not DivisionBoundary.objects.exists():
        return "—"
    found = division_at(place.longitude, place.latitude)
    if found is None:
        note = gettext_now("No loaded division boundary holds this point.")
    else:
        note = gettext_now("The point lies in %(division)s (%(code)s).") % {"division": found.name, "code": found.code}
    if not out_of_step(place.division, place.longitude, place.latitude, found):
        return format_html('<span class="point-division">{}</span>', note)
    if found is None:
        warning = gettext_now(
            "It is not inside the boundary of the place's division, %(division)s: check the coordinates or the division."
        ) % {"division": place.division.name}
    else:
        warning = gettext_now(
            "This is not the place's division, %(division)s: check the coordinates, or change the division to "
            "%(found)s."
        ) % {"division": place.division.name, "found": found.name}
    return format_html(
        '<span class="point-division">{}</span> <strong class="point-division-warning" style="color:#c62828">⚠ {}'
        "</strong>",
        note,
        warning,
    )
