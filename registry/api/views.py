"""API views: read-only lookups (DRF generics + django-filter), search and the name check.

Reads go through querysets built here with their joins declared (a bounded number of
queries per request whatever the page size); the name check calls the one checker.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from django.http import StreamingHttpResponse
from rest_framework import generics, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from registry.api import serializers as s
from registry.api.authentication import TokenChallengeMixin
from registry.api.caching import cached
from registry.api.filters import (
    AS_OF_HELP,
    BBOX_HELP,
    NEAR_HELP,
    SPATIAL_PARAMETERS,
    DivisionFilter,
    HeritageFilter,
    PlaceFilter,
    as_of_key,
    parse_updated_since,
)
from registry.api.pagination import RegistryPagination
from registry.api.params import StrictQueryParametersMixin
from registry.api.renderers import CSVRenderer, GeoJSONRenderer, LinkedPlacesRenderer, geojson_chunks
from registry.api.schema import FEATURE_COLLECTION, place_responses
from registry.boundaries import suggested_division
from registry.choices import Category
from registry.models import Division, HeritageListing, Place, PlaceName
from registry.models.places import NAME_ORDER
from registry.search import search
from registry.timetravel import places_as_of
from registry.validation import check_name
from registry.validation.nearby import location_of


class PlaceGeoSerializer(s.PlaceSerializer):
    """A list row for GeoJSON: with the line or area geometry, so a list shows what the detail shows."""

    geometry = serializers.JSONField(read_only=True, allow_null=True)


class PlaceLinkedPlacesSerializer(s.PlaceDetailSerializer):
    """A place for Linked Places: the detail plus the day it was recorded (LPF's fallback ``when``)."""

    recorded = serializers.DateTimeField(source="created_at", read_only=True)


# What ``PlaceSerializer`` reads of a place (its annotations come on top).
LIST_COLUMNS = (
    "code",
    "name",
    "pinyin",
    "category",
    "generic",
    "division",
    "division__name",
    "status",
    "longitude",
    "latitude",
)


def _heritage_prefetch(listed: bool = True) -> Prefetch:
    listings = HeritageListing.objects.select_related("place") if listed else HeritageListing.objects.none()
    return Prefetch("heritage_listings", queryset=listings)


PLACE_RENDERERS = [JSONRenderer, BrowsableAPIRenderer, GeoJSONRenderer, LinkedPlacesRenderer, CSVRenderer]
AS_OF = OpenApiParameter("as_of", OpenApiTypes.STR, description=AS_OF_HELP)


def _with_heritage(queryset):
    return queryset.annotate(has_heritage=Exists(HeritageListing.objects.filter(place=OuterRef("pk"))))


def _as_of(request) -> int | None:
    raw = request.query_params.get("as_of")
    return as_of_key(raw) if raw else None


@extend_schema_view(list=extend_schema(responses=place_responses(s.PlaceSerializer(many=True), many=True)))
class PlaceViewSet(TokenChallengeMixin, StrictQueryParametersMixin, viewsets.ReadOnlyModelViewSet):
    """Places: list with filters and search; detail with names history and heritage listings."""

    extra_query_parameters = {"retrieve": frozenset({"as_of"}), "names": frozenset({"updated_since"})}
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    filterset_class = PlaceFilter
    pagination_class = RegistryPagination
    renderer_classes = PLACE_RENDERERS
    permission_classes = [AllowAny]

    def _detailed(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None) if self.request else None
        return self.action == "retrieve" or getattr(renderer, "format", "") == "lpf"

    def get_queryset(self):
        queryset = _with_heritage(Place.objects.select_related("division")).order_by("code")
        renderer = getattr(self.request, "accepted_renderer", None) if self.request else None
        if self.action == "list" and not self._detailed():
            # Only the columns a list row shows: a place's text, details and geometry (its
            # JSON parsed per row) would be read and thrown away on every page.
            queryset = queryset.only(
                *LIST_COLUMNS, *(["geometry"] if getattr(renderer, "format", "") == "geojson" else [])
            )
        if self._detailed():
            queryset = queryset.prefetch_related(Prefetch("names", queryset=PlaceName.objects.order_by(*NAME_ORDER)))
            if self.action != "retrieve":  # one place: its listings are read only if it has any (retrieve)
                queryset = queryset.prefetch_related(_heritage_prefetch())
        return queryset

    def get_serializer_class(self):
        renderer = getattr(self.request, "accepted_renderer", None) if self.request else None
        fmt = getattr(renderer, "format", "")
        if fmt == "lpf":
            return PlaceLinkedPlacesSerializer
        if self._detailed():
            return s.PlaceDetailSerializer
        return PlaceGeoSerializer if fmt == "geojson" else s.PlaceSerializer

    @cached
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[AS_OF], responses=place_responses(s.PlaceDetailSerializer, many=False))
    @cached
    def retrieve(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        day = _as_of(request)
        if day is not None:
            queryset = places_as_of(queryset, day)
        code = kwargs["code"].upper()
        place = queryset.filter(code=code).first()
        if place is None:
            if day is not None and Place.objects.filter(code=code).exists():
                raise NotFound(_("No name of this place is recorded for that day (as_of)."))
            raise NotFound()
        # Most places are on no heritage list, and the place's row says so (has_heritage):
        # their empty list costs no query.
        prefetch_related_objects([place], _heritage_prefetch(listed=place.has_heritage))
        return Response(self.get_serializer(place).data)

    @extend_schema(
        responses=s.PlaceNameSerializer(many=True),
        filters=False,
        parameters=[
            OpenApiParameter(
                "updated_since",
                OpenApiTypes.STR,
                description="Only names changed at or after this time (ISO 8601, as on the place list).",
            )
        ],
    )
    @action(
        detail=True,
        methods=["get"],
        filterset_class=None,
        pagination_class=RegistryPagination,
        renderer_classes=[JSONRenderer, BrowsableAPIRenderer],
    )
    @cached
    def names(self, request, code=None):
        """The place's name history, oldest first."""
        place = get_object_or_404(Place, code=(code or "").upper())
        names = PlaceName.objects.filter(place=place).order_by(*NAME_ORDER)
        since = request.query_params.get("updated_since")
        if since:
            names = names.filter(updated_at__gte=parse_updated_since(since))
        page = self.paginate_queryset(names)
        return self.get_paginated_response(s.PlaceNameSerializer(page, many=True).data)


class PlaceExportView(TokenChallengeMixin, StrictQueryParametersMixin, APIView):
    """The whole registry as one GeoJSON file, streamed (for GIS clients: OGR/QGIS read one request).

    Every place, ordered by code, with the properties and geometry of the GeoJSON list;
    features are written a chunk at a time, so the file is never held in memory.
    """

    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer, GeoJSONRenderer]

    @extend_schema(
        operation_id="places_export_geojson",
        filters=False,
        responses={(200, "application/geo+json"): OpenApiResponse(FEATURE_COLLECTION)},
    )
    def get(self, request):
        places = _with_heritage(Place.objects.select_related("division")).order_by("code")
        response = StreamingHttpResponse(
            geojson_chunks(places, PlaceGeoSerializer), content_type="application/geo+json; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="places.geojson"'
        return response


class DivisionViewSet(TokenChallengeMixin, StrictQueryParametersMixin, viewsets.ReadOnlyModelViewSet):
    """The administrative division tree (GB/T 2260 and 12-digit statistical codes)."""

    queryset = Division.objects.order_by("code")
    lookup_field = "code"
    filterset_class = DivisionFilter
    pagination_class = RegistryPagination
    permission_classes = [AllowAny]

    def get_serializer_class(self):
        return s.DivisionDetailSerializer if self.action == "retrieve" else s.DivisionSerializer


class HeritageViewSet(TokenChallengeMixin, StrictQueryParametersMixin, viewsets.ReadOnlyModelViewSet):
    """The heritage catalogue (千年古镇, 千年古村落, 红色地名 …)."""

    queryset = HeritageListing.objects.select_related("place").order_by("place__code", "scheme", "pk")
    serializer_class = s.HeritageListingSerializer
    filterset_class = HeritageFilter
    pagination_class = RegistryPagination
    permission_classes = [AllowAny]

    @cached
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @cached
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


class SearchView(TokenChallengeMixin, StrictQueryParametersMixin, generics.GenericAPIView):
    """Ranked lookup across all names, current and former."""

    extra_query_parameters = {"get": frozenset({"q", "category", "as_of", *SPATIAL_PARAMETERS})}
    pagination_class = RegistryPagination
    serializer_class = s.SearchHitSerializer
    permission_classes = [AllowAny]
    filter_backends = []

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                required=True,
                description="Hanzi, pinyin (changjiang, Jinzhai Lu), initials (cjzl) or a place code.",
            ),
            OpenApiParameter("category", OpenApiTypes.STR, enum=Category.values),
            AS_OF,
            OpenApiParameter("bbox", OpenApiTypes.STR, description=BBOX_HELP),
            OpenApiParameter("near", OpenApiTypes.STR, description=NEAR_HELP + " Hits keep their rank order."),
            OpenApiParameter(
                "radius", OpenApiTypes.STR, description="Metres around ``near`` (default 1000, at most 100000)."
            ),
            OpenApiParameter("page", OpenApiTypes.INT, description="A page number within the results."),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="Hits per page (at most 200)."),
        ],
        responses=s.SearchPageSerializer,
    )
    @cached
    def get(self, request):
        q = (request.query_params.get("q") or "").strip()
        if not q:
            raise ValidationError({"q": ["Give a search term (q)."]})
        if len(q) > 200:
            raise ValidationError({"q": ["A search term has at most 200 characters."]})
        category = request.query_params.get("category") or None
        if category and category not in Category.values:
            raise ValidationError({"category": [f"Unknown category “{category[:30]}”."]})
        spatial = {k: request.query_params[k] for k in SPATIAL_PARAMETERS if k in request.query_params}
        hits = search(
            q, limit=500 if spatial else 100, as_of=_as_of(request), categories=[category] if category else None
        )
        page = self.paginate_queryset(_search_rows(hits, spatial))
        return self.get_paginated_response(page)


def _search_rows(hits, spatial: dict) -> list[dict]:
    """The hits as rows, in rank order; with ``bbox``/``near``, only the places the place list's rules keep."""
    located = Place.objects.filter(pk__in=[h.place_id for h in hits])
    if spatial:  # the place list's own bbox / near rules and messages
        located = PlaceFilter(data=spatial, queryset=located).qs
    places = {p.pk: p for p in located}
    rows = []
    for hit in hits:
        place = places.get(hit.place_id)
        if place is None:
            continue
        rows.append(
            {
                "code": place.code,
                "name": place.name,
                "category": place.category,
                "division": place.division_id,
                "status": place.status,
                "matched_name": hit.matched,
                "matched_kind": hit.kind,
                "match": hit.how,
                "score": round(hit.score, 1),
            }
        )
        distance = getattr(place, "distance_m", None)  # absent when ``near`` was sent empty
        if distance is not None:
            rows[-1]["distance"] = round(distance, 1)
    return rows


class NameCheckView(TokenChallengeMixin, StrictQueryParametersMixin, APIView):
    """Run the name checker, exactly as the admin and the approval workflow do."""

    permission_classes = [AllowAny]

    @extend_schema(
        request=s.NameCheckInputSerializer, responses={200: s.NameCheckOutputSerializer, 400: OpenApiTypes.OBJECT}
    )
    def post(self, request):
        given = s.NameCheckInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        location = location_of(data.get("longitude"), data.get("latitude"))
        result = check_name(
            data["name"],
            data["category"],
            division=data.get("division") or None,
            place=data.get("place") or None,
            pinyin=data.get("pinyin") or "",
            location=location,
        )
        body = result.as_dict()
        if location is not None:  # a point suggests its division where boundaries are loaded
            body["suggested_division"] = suggested_division(*location)
        return Response(body)
