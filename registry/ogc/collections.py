"""What the registry offers a GIS client: one collection per place category, one for heritage listings.

Each collection says how to read its features (``features``: a queryset of places,
heritage listings with their place) and how to make one feature (``feature``). Both
come from the API's own serializers, so a feature's properties are the REST API's
(``registry.api.serializers``) and a client sees the same record whichever door it
uses. Features are identified by the place code (heritage: the listing id).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, Max, Min, OuterRef
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from registry.api.renderers import _geometry
from registry.api.serializers import HeritageListingSerializer, PlaceSerializer
from registry.choices import Category, HeritageStatus
from registry.models import HeritageListing, Place

HERITAGE = "heritage"


class OgcPlaceSerializer(PlaceSerializer):
    """A place as a feature's properties: the API list row, plus its line or area geometry."""

    geometry = serializers.JSONField(read_only=True, allow_null=True)


@dataclass(frozen=True)
class Collection:
    id: str
    title: object  # lazy translations: rendered in the request's language
    description: object

    @property
    def is_heritage(self) -> bool:
        return self.id == HERITAGE

    def places(self):
        """The collection's places (heritage: the places of current listings), each with ``has_heritage``."""
        places = Place.objects.select_related("division").annotate(
            has_heritage=Exists(HeritageListing.objects.filter(place=OuterRef("pk")))
        )
        if self.is_heritage:
            return places.filter(heritage_listings__status__in=LISTED).distinct()
        return places.filter(category=self.id)

    def extent(self) -> list[float] | None:
        box = self.places().aggregate(w=Min("longitude"), s=Min("latitude"), e=Max("longitude"), n=Max("latitude"))
        if box["w"] is None:
            return None
        return [float(box["w"]), float(box["s"]), float(box["e"]), float(box["n"])]

    def feature(self, place) -> dict:
        properties = OgcPlaceSerializer(place).data
        geometry = _geometry(properties)
        properties = {k: v for k, v in properties.items() if k not in ("geometry", "longitude", "latitude")}
        if self.is_heritage:
            properties["listings"] = HeritageListingSerializer(
                place.heritage_listings.filter(status__in=LISTED), many=True
            ).data
        return {"type": "Feature", "id": place.code, "geometry": geometry, "properties": properties}


LISTED = [s for s in HeritageStatus.values if s != HeritageStatus.REMOVED]
COLLECTIONS = {
    c.id: c
    for c in (
        *(
            Collection(
                value,
                label,
                format_lazy(_("Every place of the category {category}, with its standard name."), category=label),
            )
            for value, label in Category.choices
        ),
        Collection(
            HERITAGE,
            _("Place-name heritage"),
            _("Places on a place-name heritage list (千年古镇, 千年古村落, red place names), with their listings."),
        ),
    )
}
