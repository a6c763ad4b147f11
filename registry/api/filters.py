"""FilterSets for the API (django-filter): the contract's filters, validated, as query parameters."""
from __future__ import annotations

from django.db.models import Case, IntegerField, OuterRef, Subquery, Value, When
from django_filters import rest_framework as filters
from rest_framework.exceptions import ValidationError

from registry.choices import Category, DivisionLevel, HeritageLevel, HeritageScheme, HeritageStatus, NameKind, PlaceStatus
from registry.models import Division, HeritageListing, Place, PlaceName
from registry.models.divisions import division_prefix
from registry.search import _names_valid_on, search

SEARCH_LIMIT = 500


def _division_prefix(value: str) -> str:
    code = (value or "").strip()
    if not Division.objects.filter(code=code).exists():
        raise ValidationError({"division": [f"Unknown division code “{code[:20]}”."]})
    return division_prefix(code)


def names_as_of(queryset, day):
    """Annotate each place with the official name it bore on ``day``; drop places with none then."""
    valid = PlaceName.objects.filter(
        _names_valid_on(day), place=OuterRef("pk"), kind__in=(NameKind.OFFICIAL, NameKind.FORMER)
    ).order_by("-valid_from_key", "-pk")
    return queryset.annotate(
        as_of_name=Subquery(valid.values("name")[:1]), as_of_pinyin=Subquery(valid.values("pinyin")[:1])
    ).filter(as_of_name__isnull=False)


class PlaceFilter(filters.FilterSet):
    category = filters.ChoiceFilter(choices=Category.choices)
    status = filters.ChoiceFilter(choices=PlaceStatus.choices)
    division = filters.CharFilter(method="filter_division", help_text="Division code; includes sub-divisions.")
    heritage = filters.ChoiceFilter(method="filter_heritage", choices=[("true", "true"), ("false", "false")],
                                    help_text="On a heritage list (true/false).")
    q = filters.CharFilter(method="filter_q", max_length=200,
                           help_text="Search: Hanzi, pinyin, initials, homophones, one-character typos, former names.")
    as_of = filters.DateFilter(method="filter_as_of", help_text="YYYY-MM-DD: places and names as they were that day.")
    ordering = filters.OrderingFilter(fields=("code", "name", "pinyin", "category", "division", "status"))

    class Meta:
        model = Place
        fields = ["category", "status", "division", "heritage", "q", "as_of"]

    def filter_division(self, queryset, name, value):
        return queryset.filter(division__code__startswith=_division_prefix(value)) if value else queryset

    def filter_heritage(self, queryset, name, value):
        return queryset.filter(has_heritage=value == "true") if value else queryset

    def filter_as_of(self, queryset, name, value):
        return names_as_of(queryset, value) if value else queryset

    def filter_q(self, queryset, name, value):
        if not (value or "").strip():
            return queryset
        hits = search(value, limit=SEARCH_LIMIT, as_of=self.form.cleaned_data.get("as_of"))
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
        return queryset.filter(place__division__code__startswith=_division_prefix(value)) if value else queryset


class DivisionFilter(filters.FilterSet):
    level = filters.ChoiceFilter(choices=DivisionLevel.choices)
    parent = filters.CharFilter(field_name="parent_id", max_length=12)

    class Meta:
        model = Division
        fields = ["level", "parent"]
