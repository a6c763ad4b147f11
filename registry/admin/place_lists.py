"""The place list: its filters, its columns, and its search (Hanzi, pinyin, initials, typos).

``PlaceListMixin`` is the list half of ``PlaceAdmin``: the columns a clerk scans (the
worst finding, the division, the day of the last change), the ranked search shared with
the API (``registry.search``), and the 匹配 column saying which name matched and how.
The division filter lists the counties of the configured city (``REGISTRY_CITY_CODE``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR, SEARCH_VAR, ChangeList
from django.db.models import Case, Exists, FloatField, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from registry.admin.display import rule_tag
from registry.choices import DivisionLevel, NameKind
from registry.models import Division, HeritageListing, PlaceName
from registry.models.divisions import division_prefix
from registry.search import Hit as SearchHit
from registry.search import search as registry_search
from registry.validation.findings import severity_label


class DivisionFilter(admin.SimpleListFilter):
    """County-level divisions of the city; choosing one includes its townships."""

    title = _("division")
    parameter_name = "division"

    def lookups(self, request, model_admin):
        city = division_prefix(settings.REGISTRY_CITY_CODE)
        counties = Division.objects.filter(level=DivisionLevel.COUNTY, code__startswith=city).order_by("code")
        return [(d.code, d.name) for d in counties]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(division__code__startswith=division_prefix(self.value()))
        return queryset


class HeritageFilter(admin.SimpleListFilter):
    title = _("heritage listing")
    parameter_name = "heritage"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(has_heritage=True)
        if self.value() == "no":
            return queryset.filter(has_heritage=False)
        return queryset


class FindingsFilter(admin.SimpleListFilter):
    """Places whose name has findings, by the worst one (from the last check or audit)."""

    title = _("name check")
    parameter_name = "findings"

    def lookups(self, request, model_admin):
        return [
            ("any", _("has findings")),
            ("error", _("has errors")),
            ("warning", _("warnings only")),
            ("none", _("no findings")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "any":
            return queryset.exclude(finding_level="")
        if value in ("error", "warning"):
            return queryset.filter(finding_level=value)
        if value == "none":
            return queryset.filter(finding_level="")
        return queryset


class PlaceChangeList(ChangeList):
    """While searching, and unless the clerk sorts by a column, the best match comes first."""

    def get_ordering(self, request, queryset):
        if ORDER_VAR not in self.params and "search_rank" in queryset.query.annotations:
            return ["-search_rank", "code"]
        return super().get_ordering(request, queryset)

    def get_ordering_field_columns(self):
        # Ranked by relevance: no column heading claims the order.
        if ORDER_VAR not in self.params and self.query:
            return {}
        return super().get_ordering_field_columns()


# How a search hit matched, as the list's 匹配 column says it (registry.search's ``how``).
MATCH_HOW = {
    "exact": "",
    "prefix": _("beginning"),
    "homophone": _("same sound"),
    "fuzzy": _("near spelling"),
    "pinyin": _("pinyin"),
    "pinyin-prefix": _("pinyin beginning"),
    "initials": _("initials"),
    "initials-prefix": _("initials beginning"),
    "code": _("code"),
    "contains": _("contains"),
}
SEARCH_LIMIT = 200


class PlaceListMixin:
    """The list of places: annotated with its heritage flag, its columns, its ranked search."""

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(has_heritage=Exists(HeritageListing.objects.filter(place=OuterRef("pk"))))
        )

    def get_changelist(self, request, **kwargs):
        return PlaceChangeList

    @admin.display(description=_("heritage"), ordering="has_heritage")
    def heritage_flag(self, obj) -> str:
        """A mark for the few places on a heritage list; nothing (not a red cross) for the many others."""
        return "✓" if getattr(obj, "has_heritage", False) else ""

    @admin.display(description=_("name check"), ordering="finding_level")
    def findings_column(self, obj) -> str:
        """The worst finding's sign and the rules in Chinese; the codes in the tooltips."""
        if not obj.finding_level:
            return "✓"
        icon = "✖" if obj.finding_level == "error" else "⚠"
        rules = [r for r in obj.finding_rules.split(",") if r]
        return format_html(
            '<span title="{}">{}</span> {}',
            severity_label(obj.finding_level),
            icon,
            format_html_join("、", "{}", ((rule_tag(r),) for r in rules)),
        )

    @admin.display(description=_("division"), ordering="division__code")
    def division_column(self, obj) -> str:
        """The division's name; its code in the tooltip (one line at 1366 px)."""
        return format_html('<span title="{}">{}</span>', obj.division_id, obj.division.name)

    @admin.display(description=_("updated at"), ordering="updated_at")
    def updated_column(self, obj) -> str:
        """The day of the last change (the time in the tooltip); the column sorts by the exact time."""
        if not obj.updated_at:
            return "—"
        when = timezone.localtime(obj.updated_at)
        return format_html('<span title="{}">{}</span>', when.strftime("%Y-%m-%d %H:%M:%S"), when.strftime("%Y-%m-%d"))

    def get_search_results(self, request, queryset, search_term):
        """The API's ranked search (registry.search: Hanzi, every former name, pinyin, initials,
        homophones, one-character typos), plus plain substrings of any name (中路 → 长江中路).

        The places found are annotated with their rank (the changelist shows the best
        first); each place's matching name is kept on the request for the 匹配 column.
        """
        term = " ".join((search_term or "").split())
        if not term:
            return queryset, False
        hits = {hit.place_id: hit for hit in registry_search(term, limit=SEARCH_LIMIT)}
        contains = PlaceName.objects.filter(name__icontains=term).values_list("place_id", "pk", "name", "kind")
        for place_id, pk, name, kind in contains[:SEARCH_LIMIT]:
            hits.setdefault(place_id, SearchHit(place_id, pk, name, kind, 50.0, "contains"))
        by_score: dict[float, list[int]] = {}
        for hit in hits.values():
            by_score.setdefault(hit.score, []).append(hit.place_id)
        rank = Case(
            *[When(pk__in=ids, then=Value(score)) for score, ids in by_score.items()],
            default=Value(40.0),
            output_field=FloatField(),
        )
        if request is not None:
            request._place_hits = hits
        condition = Q(pk__in=list(hits)) | Q(name__icontains=term) | Q(code__iexact=term)
        return queryset.filter(condition).annotate(search_rank=rank).order_by("-search_rank", "code"), False

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        if request.GET.get(SEARCH_VAR, "").strip():
            columns.insert(columns.index("name") + 1, self._match_column(request))
        return columns

    def _match_column(self, request):
        @admin.display(description=_("match"))
        def search_match(obj) -> str:
            return self.match_text(obj, getattr(request, "_place_hits", {}).get(obj.pk))

        return search_match

    @staticmethod
    def match_text(place, hit) -> str:
        """Which name matched, and how: 曾用名：和平路（汉语拼音）; for the current name only how (近似, 同音)."""
        if hit is None:
            return "—"
        kind = hit.kind
        if kind == NameKind.OFFICIAL and hit.matched != place.name:
            kind = NameKind.FORMER  # a closed official name
        label = str(NameKind(kind).label) if kind in NameKind.values else kind
        how = str(MATCH_HOW.get(hit.how) or "")
        if hit.matched == place.name and kind == NameKind.OFFICIAL:
            return how or label  # the current name itself: say only how it matched
        text = f"{label}：{hit.matched}"
        return f"{text}（{how}）" if how else text
