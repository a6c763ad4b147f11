"""Admin for places and their names: search by Hanzi, pinyin and initials; history inline.

Writes go through ``registry.services`` (the same path as the API and imports), so
the admin cannot bypass romanization, code assignment or the names-history rules.
Names are read-only once saved; the name of a place changes by renaming, which
keeps the old name in the history.

The add form records a name that already exists on the ground (legacy data), with
the source that attests it; a new name goes through a naming proposal. Every save is
checked in the forms first, so that a refusal shows on the form and nothing is saved;
a service that still refuses (a rule the form does not know, a race) rolls the whole
save back and the form is shown again with its reason.
"""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.views.main import ORDER_VAR, SEARCH_VAR, ChangeList
from django.core.exceptions import ValidationError
from django.db.models import Case, Exists, FloatField, OuterRef, Prefetch, Q, Value, When
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


from registry.admin import transfer
from registry.admin.display import PartialDateDisplayMixin
from registry.admin.guards import NoDeleteAdminMixin, NoDeleteInlineMixin, HistoryAdmin
from registry.admin.place_versions import SeenVersionFormMixin
from registry.services.place_versions import StaleVersion
from registry.importers import export as exporting
from registry.choices import DivisionLevel, NameKind, PlaceStatus
from registry.details import detail_fields
from registry.models import Division, HeritageListing, Place, PlaceName
from registry.models.divisions import division_prefix
from registry.models.places import NAME_ORDER
from registry.search import Hit as SearchHit
from registry.search import search as registry_search
from registry.services import heritage as heritage_services
from registry.services import places as place_services
from registry.text import clean_name
from registry.validation import check_name
from registry.validation.findings import rule_label, severity_label

DETAIL_PREFIX = "detail_"


class DivisionFilter(admin.SimpleListFilter):
    """County-level divisions of the city; choosing one includes its townships."""

    title = _("division")
    parameter_name = "division"

    def lookups(self, request, model_admin):
        counties = Division.objects.filter(level=DivisionLevel.COUNTY, code__startswith="3401").order_by("code")
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
        return [("any", _("has findings")), ("error", _("has errors")), ("warning", _("warnings only")),
                ("none", _("no findings"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "any":
            return queryset.exclude(finding_level="")
        if value in ("error", "warning"):
            return queryset.filter(finding_level=value)
        if value == "none":
            return queryset.filter(finding_level="")
        return queryset


class ServiceRefused(Exception):
    """A service refused a write the forms let through; the admin view rolls back and shows the form again."""

    def __init__(self, error: ValidationError, where: str = ""):
        super().__init__(error)
        self.error, self.where = error, where


def cleaned_name(value) -> str:
    """``registry.text.clean_name`` for a form field: its refusal as the field's own error."""
    try:
        return clean_name(value)
    except ValidationError as exc:
        raise ValidationError(exc.messages) from None


def rule_tag(code: str):
    """A rule as a Chinese reader sees it (外语词（洋）), its code kept in the tooltip."""
    return format_html('<span class="rule" title="{}">{}</span>', code, rule_label(code))


def finding_html(f):
    """One finding: its Chinese rule label (code in the tooltip), then the message."""
    return format_html("{}：{}", rule_tag(f.rule), f.message)


class PlaceNameHistoryInline(PartialDateDisplayMixin, NoDeleteInlineMixin, admin.TabularInline):
    """Every name the place has carried: read-only, shown right after the main fieldset."""

    model = PlaceName
    verbose_name_plural = _("names history")
    fields = ("name", "pinyin", "kind", "valid_from", "valid_to", "decision_document", "decision_date", "source")
    readonly_fields = fields
    extra = 0
    ordering = NAME_ORDER
    near_top = True  # read by admin/registry/place/change_form.html
    empty_value_display = "—"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class PlaceNameAddForm(forms.ModelForm):
    class Meta:
        model = PlaceName
        fields = ("name", "kind", "valid_from", "valid_to", "pinyin", "decision_document", "decision_date", "source")

    def clean_name(self):
        return cleaned_name(self.cleaned_data.get("name"))

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        if kind == "official" and not self.data.get(self.add_prefix("valid_to")):
            raise ValidationError(_("The current official name changes only by renaming the place."))
        return kind


class PlaceNameAddInline(admin.TabularInline):
    """Record a former name, alias or historical name (never the current one).

    Each row is validated like the model (dates, a name ending before it begins) while
    the form is checked, so a bad row shows its error and nothing at all is saved.
    """

    model = PlaceName
    form = PlaceNameAddForm
    verbose_name = _("name to add")
    verbose_name_plural = _("record a former name, alias or historical name")
    extra = 0
    can_delete = False
    near_top = True

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_change_permission(self, request, obj=None) -> bool:
        return True

    def has_add_permission(self, request, obj=None) -> bool:
        return obj is not None and super().has_add_permission(request, obj)


class HeritageListingInline(NoDeleteInlineMixin, admin.StackedInline):
    model = HeritageListing
    extra = 0
    empty_value_display = "—"
    fieldsets = (
        (None, {"fields": (("scheme", "level", "status"), ("batch", "listed_on", "notice_start", "notice_end"),
                           ("authority", "document_number"))}),
        (_("Evidence"), {"fields": (("first_recorded_name", "in_use_since"), "first_recorded_source", "evidence",
                                    "preserved_features", "protection_measures", "description",
                                    ("verification", "source"))}),
    )


class GeometryField(forms.JSONField):
    """GeoJSON in a text box: an empty box for no geometry, not the literal ``null``.

    Surrounding white space is not part of the value (as for every other text field): a
    box holding only a line break, as a client that keeps the newline after ``<textarea>``
    posts it, is an empty box, not invalid JSON."""

    def to_python(self, value):
        return super().to_python(value.strip() if isinstance(value, str) else value)

    def bound_data(self, data, initial):
        return super().bound_data(data.strip() if isinstance(data, str) else data, initial)

    def prepare_value(self, value):
        if value is None:
            return ""
        return super().prepare_value(value)


class PlaceAdminForm(SeenVersionFormMixin, forms.ModelForm):
    """The place form, with one typed field per category detail (road width, bridge span …).

    On the add form (recording an existing name) a written source is required, and a
    name the check finds errors in is saved only once the clerk confirms it exists as
    written (SPEC: rules block new names, not the recording of the past).
    """

    # Set by PlaceAdmin.get_form when a service refused the previous attempt.
    service_refusal: ServiceRefused | None = None

    class Meta:
        model = Place
        exclude = ("details",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        adding = not self.instance.pk
        if "code" in self.fields:
            self.fields["code"].required = False
            self.fields["code"].help_text = _("Leave empty to assign the next code automatically.")
        if "name" in self.fields and adding:
            self.fields["name"].widget.attrs["autofocus"] = True
        if not adding:
            self.fields.pop("record_existing", None)
            self.fields.pop("reason", None)
        category = self.instance.category if self.instance.pk else None
        for field in detail_fields(category) if category else ():
            form_field = {int: forms.IntegerField, float: forms.FloatField}.get(field.kind, forms.CharField)
            kwargs_ = {"label": field.label, "required": False}
            if field.choices:
                form_field = forms.ChoiceField
                kwargs_["choices"] = [("", "---------")] + [(c, c) for c in field.choices]
            self.fields[DETAIL_PREFIX + field.key] = form_field(**kwargs_)
            self.initial.setdefault(DETAIL_PREFIX + field.key, (self.instance.details or {}).get(field.key))

    reason = forms.CharField(
        label=_("basis for recording (录入依据)"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say what attests that this name exists (the source), e.g. the census record "
                                      "or the approval document.")},
        help_text=_("Required: the source that attests this name exists on the ground, e.g. the second national "
                    "place-name census, a road sign, an approval document and its number, a local gazetteer. It is "
                    "kept as the official name's source and in the history."),
    )
    record_existing = forms.BooleanField(
        label=_("confirm: record as it exists"), required=False,
        help_text=_("Tick only if the name check finds errors (a duplicate, a foreign word …) and the name really is "
                    "in use on the ground as written: it is then recorded as it exists, the errors kept as warnings "
                    "with the place. New names go through a naming proposal."),
    )

    def clean_name(self):
        return cleaned_name(self.cleaned_data.get("name"))

    def clean_reason(self):
        return " ".join((self.cleaned_data.get("reason") or "").split())

    def clean_status(self):
        status = self.cleaned_data.get("status")
        before = self.instance.status if self.instance.pk else None
        if before is None or status == before:
            return status
        if status == PlaceStatus.RETIRED:
            raise ValidationError(_("A place is retired (销名) through a naming proposal with the action “retire”: "
                                    "its approval closes the current name. The status cannot be set to retired here."))
        if before == PlaceStatus.RETIRED:
            raise ValidationError(_("A retired place is not brought back here; a name for it goes through a naming "
                                    "proposal."))
        return status

    def clean(self):
        cleaned = super().clean()
        self.check_seen_version()
        if self.instance.pk:
            details = {k[len(DETAIL_PREFIX):]: v for k, v in cleaned.items() if k.startswith(DETAIL_PREFIX)}
            self.instance.details = details
            before = self.instance.status
            if (cleaned.get("status") == PlaceStatus.ACTIVE and before == PlaceStatus.PROPOSED
                    and not (cleaned.get("approval_document") or "").strip()):
                self.add_error("approval_document", _("A proposed place becomes active by its naming decision: give "
                                                      "the approval document number (批准文号)."))
        elif cleaned.get("name"):
            # The name is valid as text: keep it on the instance even if the checks below
            # reject it, or the model's own check would add a false "the name is empty".
            self.instance.name = cleaned["name"]
        self.check_result = None
        if not self.errors and ("name" in self.changed_data or "pinyin" in self.changed_data):
            self.check_result = self._check(cleaned)
            errors = [f for f in self.check_result.findings if f.is_error]
            confirmed = not self.instance.pk and cleaned.get("record_existing")
            if errors and not confirmed:
                field = "pinyin" if all(f.rule == "ROMANIZATION" for f in errors) else "name"
                for f in errors:
                    self.add_error("pinyin" if f.rule == "ROMANIZATION" else field, finding_html(f))
                if not self.instance.pk and any(f.rule != "ROMANIZATION" for f in errors):
                    self.add_error("record_existing", _("If the name is in use on the ground exactly as written, "
                                                        "tick this box to record it as it exists."))
        self._add_service_refusal()
        return cleaned

    def _add_service_refusal(self) -> None:
        refusal = self.service_refusal
        if refusal is None:
            return
        error = refusal.error
        if isinstance(error, StaleVersion) and self.stale_version is not None:
            return  # the form's own check has said what changed
        if hasattr(error, "error_dict") and not refusal.where:
            for field, errors in error.error_dict.items():
                messages_ = [m for e in errors for m in e.messages]
                self.add_error(field if field in self.fields else None, messages_)
        else:
            text = "；".join(error.messages)
            self.add_error(None, f"{refusal.where}：{text}" if refusal.where else text)

    def _check(self, cleaned):
        instance = self.instance
        name = cleaned.get("name") or instance.name
        category = cleaned.get("category") or instance.category
        division = cleaned.get("division") or (instance.division if instance.division_id else None)
        return check_name(
            name, category, division=division, place=instance if instance.pk else None,
            pinyin=cleaned.get("pinyin") or "", details=instance.details if instance.pk else None,
        )


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


@admin.register(Place)
class PlaceAdmin(NoDeleteAdminMixin, HistoryAdmin):
    form = PlaceAdminForm
    change_form_template = "admin/registry/place/change_form.html"
    change_list_template = "admin/registry/place/change_list.html"
    list_display = ("code", "name", "pinyin", "category", "division_column", "status", "heritage_flag",
                    "findings_column", "updated_column")
    list_display_links = ("code", "name")
    list_filter = ("category", DivisionFilter, "status", HeritageFilter, FindingsFilter, "verification")
    list_select_related = ("division",)
    search_fields = ("name", "code")
    search_help_text = _("Search by name (current or former), code, pinyin (changjiang, Jinzhai Lu) or initials (cjzl); "
                         "a one-character typo finds the name too.")
    autocomplete_fields = ("division", "category_code")
    list_per_page = 50
    show_full_result_count = False
    history_list_display = ("name", "status")
    empty_value_display = "—"
    actions = ("export_selected_xlsx", "export_selected_csv")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            has_heritage=Exists(HeritageListing.objects.filter(place=OuterRef("pk")))
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
        return format_html('<span title="{}">{}</span> {}', severity_label(obj.finding_level), icon,
                           format_html_join("、", "{}", ((rule_tag(r),) for r in rules)))

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

    @admin.display(description=_("category details"))
    def details_display(self, obj) -> str:
        values = obj.details or {}
        rows = [(f.label, values[f.key]) for f in detail_fields(obj.category) if values.get(f.key) not in (None, "")]
        if not rows:
            return "—"
        return format_html_join("", "<div>{}：{}</div>", ((str(label), value) for label, value in rows))

    @admin.display(description=_("name check"))
    def findings_panel(self, obj) -> str:
        """The validator's findings on the current name, computed now, in Chinese (codes in the tooltips)."""
        if obj is None or not obj.pk:
            return "—"
        result = check_name(obj.name, obj.category, place=obj, pinyin=obj.pinyin)
        if not result.findings:
            return format_html('<span style="color:#2e7d32">✓ {}</span>', _("No findings."))
        items = format_html_join(
            "", '<li style="color:{}"><b>{}</b> {}{}</li>',
            (("#c62828" if f.is_error else "#b26a00", severity_label(f.severity), finding_html(f),
              " — " + "、".join(f"{m.name}（{m.code}，{m.score:.0f}）" for m in f.matches) if f.matches else "")
             for f in result.findings),
        )
        return format_html("<ul class='findings-panel' style='margin:0;padding-left:1.2em'>{}</ul>", items)

    def _proposal_add_url(self, request) -> str | None:
        """Where a new name is proposed (the naming workflow), for the add form's and the list's link."""
        if not request.user.has_perm("registry.add_proposal"):
            return None
        try:
            return reverse("admin:registry_proposal_add") + "?action=name"
        except NoReverseMatch:
            return None

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "proposal_add_url": self._proposal_add_url(request)}
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "proposal_add_url": self._proposal_add_url(request)}
        if object_id is None:
            extra_context.setdefault("title", _("Record an existing name"))
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refusal:
            # The view's transaction has rolled back: nothing of this save is kept. Show the
            # posted form again, with the service's reason on it.
            request._service_refusal = refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        extra = [
            path("import/", self.admin_site.admin_view(self.import_view), name="registry_place_import"),
            path("export/<str:fmt>/", self.admin_site.admin_view(self.export_view), name="registry_place_export"),
        ]
        return extra + super().get_urls()

    def import_view(self, request):
        return transfer.import_view(self, request)

    def export_view(self, request, fmt):
        return transfer.export_view(self, request, fmt)

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
        rank = Case(*[When(pk__in=ids, then=Value(score)) for score, ids in by_score.items()],
                    default=Value(40.0), output_field=FloatField())
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

    @admin.action(description=_("Export the selected places (XLSX)"), permissions=["export"])
    def export_selected_xlsx(self, request, queryset):
        return self._export_selected(queryset, "xlsx")

    @admin.action(description=_("Export the selected places (CSV)"), permissions=["export"])
    def export_selected_csv(self, request, queryset):
        return self._export_selected(queryset, "csv")

    def has_export_permission(self, request) -> bool:
        """Exporting rows is copying the registry: the same permission as the full export."""
        return request.user.has_perm("registry.export_registry") and request.user.has_perm("registry.view_place")

    def _export_selected(self, queryset, fmt: str):
        """The selected rows in the whole-registry export's columns (registry.importers.export)."""
        places = queryset.select_related("division").prefetch_related(
            Prefetch("names", queryset=PlaceName.objects.order_by(*NAME_ORDER)), "heritage_listings"
        ).order_by("code")
        return transfer.download(
            lambda path: exporting.export_places(path, fmt, chinese=True, places=places.iterator(chunk_size=2000)),
            fmt, f"地名（所选）.{fmt}")

    def get_inlines(self, request, obj):
        return [PlaceNameHistoryInline, PlaceNameAddInline, HeritageListingInline] if obj else []

    def get_readonly_fields(self, request, obj=None):
        computed = ("specific", "generic", "pinyin_key", "initials", "created_at", "updated_at", "findings_panel",
                    "details_display")
        if obj is None:
            return computed
        # Code and name are fixed once saved: the code forever, the name until a rename.
        return ("code", "name", "category") + computed

    def get_fieldsets(self, request, obj=None):
        approval = (_("Approval"), {"fields": (("approval_authority", "approval_document"),
                                               ("approval_date", "announcement_date"), "category_code")})
        origin = (_("Origin and history"), {"fields": ("origin", "history_text")})
        location = (_("Location"), {"fields": (("longitude", "latitude"), "geometry")})
        if obj is None:
            # Recording an existing name: the name first (the focus lands there), the code
            # last (clerks leave it empty); no status, the place is active; the source required.
            main = ("name", "category", "division", "pinyin", "reason", "record_existing", "code")
            return [(None, {"fields": main}), approval, origin, location,
                    (_("Source"), {"fields": ("verification", "source", "note")})]
        main = ("code", "name", "category", "division", "status", "pinyin", ("specific", "generic"),
                ("pinyin_key", "initials"), "findings_panel")
        if self.has_change_permission(request, obj):
            main += ("seen_version",)  # hidden: the version the form was opened at (place_versions)
        fieldsets = [(None, {"fields": main}), approval, origin, location]
        if detail_fields(obj.category):
            if self.has_change_permission(request, obj):
                keys = tuple(DETAIL_PREFIX + f.key for f in detail_fields(obj.category))
            else:
                keys = ("details_display",)
            fieldsets.append((_("Category details"), {"fields": keys}))
        fieldsets.append((_("Source"), {"fields": ("verification", "source", "note", ("created_at", "updated_at"))}))
        return fieldsets

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "geometry":
            kwargs["form_class"] = GeometryField
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The detail fields and the add form's own fields are added by PlaceAdminForm itself, not by the model.
        fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        own = ("record_existing", "reason", "seen_version")
        kwargs["fields"] = [f for f in fields if not f.startswith(DETAIL_PREFIX) and f not in own]
        form = super().get_form(request, obj, change=change, **kwargs)
        form.service_refusal = getattr(request, "_service_refusal", None)
        return form

    def save_model(self, request, obj, form, change):
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith(DETAIL_PREFIX)}
        result = getattr(form, "check_result", None)
        request._place_findings = list(result.findings) if result else []
        try:
            if change:
                fields = {k: data[k] for k in form.changed_data if k in place_services.UPDATABLE_FIELDS}
                if any(k.startswith(DETAIL_PREFIX) for k in form.changed_data):
                    fields["details"] = obj.details
                if fields:
                    place_services.place_update(place=obj, acting_user=request.user, reason="admin",
                                                expected_version=form.expected_version, **fields)
            else:
                created = self._record_existing(request, data, result)
                obj.__dict__.update({k: v for k, v in created.__dict__.items() if not k.startswith("_")})
                obj._state.adding = False
        except ValidationError as exc:
            raise ServiceRefused(exc) from exc

    @staticmethod
    def _record_existing(request, data, result) -> Place:
        """Create the place of an existing name: active, its source kept on the name and in the history."""
        reason = data["reason"]
        errors = sorted({f.rule for f in result.findings if f.is_error}) if result else []
        note = ""
        if errors:
            note = gettext("Recorded as it exists although the name check found: %(rules)s.") % {
                "rules": "、".join(rule_label(r) for r in errors)}
        attrs = {k: v for k, v in data.items() if k in place_services.UPDATABLE_FIELDS - {"status", "division", "pinyin"}}
        return place_services.place_create(
            name=data["name"], category=data["category"], division=data["division"], code=data.get("code") or "",
            pinyin=data.get("pinyin") or "", status=PlaceStatus.ACTIVE, acting_user=request.user,
            name_source=reason, name_note=note,
            reason=gettext("Recorded as existing: %(reason)s") % {"reason": reason}, **attrs,
        )

    def _report_findings(self, request) -> None:
        for f in getattr(request, "_place_findings", ()):
            self.message_user(request, finding_html(f), level=messages.ERROR if f.is_error else messages.WARNING)

    def response_add(self, request, obj, post_url_continue=None):
        self._report_findings(request)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self._report_findings(request)
        return super().response_change(request, obj)

    def save_formset(self, request, form, formset, change):
        # The admin's change message reads these three lists from every formset.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is PlaceName:
            if not issubclass(formset.form, PlaceNameAddForm):
                return  # the read-only names history
            for name_form in formset.forms:
                if not name_form.has_changed() or not name_form.cleaned_data:
                    continue
                data = name_form.cleaned_data
                try:
                    record = place_services.name_record(
                        place=form.instance, acting_user=request.user, name=data["name"], kind=data["kind"],
                        valid_from=data.get("valid_from") or "", valid_to=data.get("valid_to") or "",
                        pinyin=data.get("pinyin") or "", decision_document=data.get("decision_document") or "",
                        decision_date=data.get("decision_date"), source=data.get("source") or "",
                    )
                except ValidationError as exc:
                    raise ServiceRefused(exc, where=gettext("name %(name)s") % {"name": data.get("name")}) from exc
                formset.new_objects.append(record)
            return
        if formset.model is HeritageListing:
            for listing in formset.save(commit=False):
                try:
                    heritage_services.heritage_listing_save(listing=listing, acting_user=request.user)
                except ValidationError as exc:
                    raise ServiceRefused(exc, where=gettext("heritage listing")) from exc
            return
        super().save_formset(request, form, formset, change)


@admin.register(PlaceName)
class PlaceNameAdmin(PartialDateDisplayMixin, NoDeleteAdminMixin, HistoryAdmin):
    """All names across the registry, for search; each row read-only."""

    list_display = ("name", "pinyin", "kind", "place", "valid_from", "valid_to", "decision_document")
    list_filter = ("kind", "place__category")
    list_select_related = ("place",)
    search_fields = ("name", "pinyin_key", "place__code")
    show_full_result_count = False
    empty_value_display = "—"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
