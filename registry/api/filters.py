"""FilterSets for the API (django-filter): the contract's filters, validated, as query parameters."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django_filters import rest_framework as filters
from rest_framework.exceptions import ValidationError

from registry.choices import Category, DivisionLevel, HeritageLevel, HeritageScheme, HeritageStatus, PlaceStatus
from registry.models import Division, HeritageListing, Place, PlaceName
from registry.models.divisions import division_prefix
from registry.search import search
from registry.spatial import MAX_RADIUS_M, SpatialQueryError, in_box, near, parse_bbox, parse_near
from registry.timetravel import parse_as_of, places_as_of

SEARCH_LIMIT = 500
AS_OF_HELP = (
    "The day to travel to: YYYY-MM-DD (or YYYY-MM, YYYY: the first day), negative years for BCE "
    "(-0483-01-01). Each place answers the name it bore that day; places with no name known then are left out."
)


def _division_prefix(value: str) -> str:
    code = (value or "").strip()
    if not Division.objects.filter(code=code).exists():
        raise ValidationError({"division": [f"Unknown division code “{code[:20]}”."]})
    return division_prefix(code)


def under_division(field: str, prefix: str) -> Q:
    """Rows whose division code (``field``) starts with ``prefix``, as an index range.

    ``LIKE 'prefix%'`` uses no index on SQLite (its LIKE ignores case) nor on PostgreSQL
    outside the C collation: a county's places were found by reading every place (or every
    place of the category) in code order. Codes are digits, so ``startswith`` equals the
    range [prefix, the next prefix); the ``startswith`` stays as well, so a code that is not
    all digits is still matched exactly as before.
    """
    starts = Q(**{f"{field}__startswith": prefix})
    if not (prefix.isascii() and prefix.isdigit()):
        return starts
    head = prefix.rstrip("9")  # 3401 → [3401, 3402); 34019 → [34019, 3402)
    if not head:
        return starts & Q(**{f"{field}__gte": prefix})
    following = head[:-1] + chr(ord(head[-1]) + 1)
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": following}) & starts


BBOX_HELP = (
    "Places that meet the box minlon,minlat,maxlon,maxlat (WGS-84 decimal degrees, e.g. "
    "117.2,31.8,117.3,31.9): by their line or area where they have one, else by their point."
)
SPATIAL_PARAMETERS = ("bbox", "near", "radius")
NEAR_HELP = "Places within ``radius`` metres of lon,lat (WGS-84), nearest first, each with ``distance`` in metres."

UPDATED_SINCE_HELP = (
    "Change feed: only places whose record, names or heritage listings changed at or after this time "
    "(ISO 8601: 2026-03-01T08:00:00+08:00, 2026-03-01T00:00:00Z, or a day, 2026-03-01; without an offset "
    "the registry's time zone, Asia/Shanghai). Rows are stamped when written and visible when committed: "
    "poll with an overlap of a few minutes and de-duplicate by code."
)


def parse_updated_since(raw: str):
    """An aware datetime from ``updated_since``; 400 naming the field if it is not one."""
    import datetime as dt

    from django.utils import timezone
    from django.utils.dateparse import parse_date, parse_datetime
    from django.utils.translation import gettext as _

    text = (raw or "").strip()
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            moment = dt.datetime.combine(day, dt.time()) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationError(
            {
                "updated_since": [
                    _("“%(value)s” is not a date and time: use ISO 8601, e.g. 2026-03-01T08:00:00+08:00 or 2026-03-01.")
                    % {"value": text[:40]}
                ]
            }
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def as_of_key(raw):
    """The day key of an ``as_of`` query value (BCE and partial dates allowed); 400 naming the field if bad."""
    try:
        return parse_as_of(raw)
    except DjangoValidationError as exc:
        raise ValidationError({"as_of": exc.messages}) from None


class PlaceFilter(filters.FilterSet):
    category = filters.ChoiceFilter(choices=Category.choices)
    status = filters.ChoiceFilter(choices=PlaceStatus.choices)
    division = filters.CharFilter(method="filter_division", help_text="Division code; includes sub-divisions.")
    heritage = filters.ChoiceFilter(
        method="filter_heritage",
        choices=[("true", "true"), ("false", "false")],
        help_text="On a heritage list (true/false).",
    )
    q = filters.CharFilter(
        method="filter_q",
        max_length=200,
        help_text="Search: Hanzi, pinyin, initials, homophones, one-character typos, former names.",
    )
    as_of = filters.CharFilter(method="filter_as_of", max_length=20, help_text=AS_OF_HELP)
    updated_since = filters.CharFilter(method="filter_updated_since", max_length=40, help_text=UPDATED_SINCE_HELP)
    bbox = filters.CharFilter(method="filter_bbox", max_length=200, help_text=BBOX_HELP)
    near = filters.CharFilter(method="filter_near", max_length=100, help_text=NEAR_HELP)
    radius = filters.CharFilter(
        method="filter_radius",
        max_length=30,
        help_text=f"Metres around ``near`` (default 1000, at most {MAX_RADIUS_M}).",
    )
    ordering = filters.OrderingFilter(fields=("code", "name", "pinyin", "category", "division", "status"))

    class Meta:
        model = Place
        fields = ["category", "status", "division", "heritage", "q", "as_of", "updated_since", "bbox", "near", "radius"]

    def filter_bbox(self, queryset, name, value):
        if not value:
            return queryset
        try:
            return in_box(queryset, parse_bbox(value))
        except SpatialQueryError as exc:
            raise ValidationError({"bbox": [str(exc)]}) from None

    def filter_near(self, queryset, name, value):
        if not value:
            return queryset
        try:
            lon, lat, radius = parse_near(value, self.data.get("radius"))
        except SpatialQueryError as exc:
            raise ValidationError({"near": [str(exc)]}) from None
        return near(queryset, lon, lat, radius)  # nearest first; an explicit ``ordering`` (applied after) wins

    def filter_radius(self, queryset, name, value):
        if value and not self.data.get("near"):
            from django.utils.translation import gettext as _

            raise ValidationError({"radius": [_("radius needs near=lon,lat.")]})
        return queryset  # read by filter_near

    def filter_updated_since(self, queryset, name, value):
        if not value:
            return queryset
        since = parse_updated_since(value)
        return queryset.filter(
            Q(updated_at__gte=since)
            | Exists(PlaceName.objects.filter(place=OuterRef("pk"), updated_at__gte=since))
            | Exists(HeritageListing.objects.filter(place=OuterRef("pk"), updated_at__gte=since))
        )

    def filter_division(self, queryset, name, value):
        return queryset.filter(under_division("division__code", _division_prefix(value))) if value else queryset

    def filter_heritage(self, queryset, name, value):
        return queryset.filter(has_heritage=value == "true") if value else queryset

    def filter_as_of(self, queryset, name, value):
        return places_as_of(queryset, as_of_key(value)) if value else queryset

    def filter_q(self, queryset, name, value):
        if not (value or "").strip():
            return queryset
        as_of = self.form.cleaned_data.get("as_of")
        hits = search(value, limit=SEARCH_LIMIT, as_of=as_of_key(as_of) if as_of else None)
        ranks = [When(pk=hit.place_id, then=Value(i)) for i, hit in enumerate(hits)]
        queryset = queryset.filter(pk__in=[h.place_id for h in hits])
        if ranks and not self.data.get("ordering"):
            queryset = queryset.annotate(search_rank=Case(*ranks, output_field=IntegerField())).order_by("search_rank")
        return queryset


class HeritageFilter(filters.FilterSet):
    scheme = filters.ChoiceFilter(choices=HeritageScheme.choices)
    level = filters.ChoiceFilter(choices=HeritageLevel.choices)
    status = filters.ChoiceFilter(choices=HeritageStatus.choices)
    division = filters.CharFilter(method="filter_division", help_text="Division code; includes sub-divisions.")

    class Meta:
        model = HeritageListing
        fields = ["scheme", "level", "status", "division"]

    def filter_division(self, queryset, name, value):
        return queryset.filter(under_division("place__division__code", _division_prefix(value))) if value else queryset


class DivisionFilter(filters.FilterSet):
    level = filters.ChoiceFilter(choices=DivisionLevel.choices)
    parent = filters.CharFilter(field_name="parent_id", max_length=12)

    class Meta:
        model = Division
        fields = ["level", "parent"]
