"""Admin for places and their names: search by Hanzi, pinyin and initials; history inline.

Writes go through ``registry.services`` (the same path as the API and imports), so
the admin cannot bypass romanization, code assignment or the names-history rules.
Names are read-only once saved; the name of a place changes by renaming, which
keeps the old name in the history.
"""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

import tempfile
from pathlib import Path

from registry.admin.display import PartialDateDisplayMixin
from registry.admin.guards import NoDeleteAdminMixin, NoDeleteInlineMixin
from registry.importers.export import export_heritage, export_places
from registry.importers.heritage import import_heritage
from registry.importers.places import import_places
from registry.choices import DivisionLevel
from registry.details import detail_fields
from registry.models import Division, HeritageListing, Place, PlaceName
from registry.models.divisions import division_prefix
from registry.models.places import NAME_ORDER
from registry.romanization import normalize_pinyin
from registry.services import heritage as heritage_services
from registry.services import places as place_services
from registry.text import clean_name
from registry.validation import check_name

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


class PlaceNameHistoryInline(PartialDateDisplayMixin, NoDeleteInlineMixin, admin.TabularInline):
    """Every name the place has carried: read-only."""

    model = PlaceName
    verbose_name_plural = _("names history")
    fields = ("name", "pinyin", "kind", "valid_from", "valid_to", "decision_document", "decision_date", "source")
    readonly_fields = fields
    extra = 0
    ordering = NAME_ORDER

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class PlaceNameAddForm(forms.ModelForm):
    class Meta:
        model = PlaceName
        fields = ("name", "kind", "valid_from", "valid_to", "pinyin", "decision_document", "decision_date", "source")

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        if kind == "official" and not self.data.get(self.add_prefix("valid_to")):
            raise ValidationError(_("The current official name changes only by renaming the place."))
        return kind


class PlaceNameAddInline(admin.TabularInline):
    """Record a former name, alias or historical name (never the current one)."""

    model = PlaceName
    form = PlaceNameAddForm
    verbose_name = _("name to add")
    verbose_name_plural = _("record a former name, alias or historical name")
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_change_permission(self, request, obj=None) -> bool:
        return True

    def has_add_permission(self, request, obj=None) -> bool:
        return obj is not None and super().has_add_permission(request, obj)


class HeritageListingInline(NoDeleteInlineMixin, admin.StackedInline):
    model = HeritageListing
    extra = 0
    fieldsets = (
        (None, {"fields": (("scheme", "level", "status"), ("batch", "listed_on", "notice_start", "notice_end"),
                           ("authority", "document_number"))}),
        (_("Evidence"), {"fields": (("first_recorded_name", "in_use_since"), "first_recorded_source", "evidence",
                                    "preserved_features", "protection_measures", "description",
                                    ("verification", "source"))}),
    )


class PlaceAdminForm(forms.ModelForm):
    """The place form, with one typed field per category detail (road width, bridge span …)."""

    class Meta:
        model = Place
        exclude = ("details",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "code" in self.fields:
            self.fields["code"].required = False
            self.fields["code"].help_text = _("Leave empty to assign the next code automatically.")
        category = self.instance.category if self.instance.pk else None
        for field in detail_fields(category) if category else ():
            form_field = {int: forms.IntegerField, float: forms.FloatField}.get(field.kind, forms.CharField)
            kwargs_ = {"label": field.label, "required": False}
            if field.choices:
                form_field = forms.ChoiceField
                kwargs_["choices"] = [("", "---------")] + [(c, c) for c in field.choices]
            self.fields[DETAIL_PREFIX + field.key] = form_field(**kwargs_)
            self.initial.setdefault(DETAIL_PREFIX + field.key, (self.instance.details or {}).get(field.key))

    record_existing = forms.BooleanField(
        label=_("record an existing name"), required=False,
        help_text=_("Tick when entering a name that already exists on the ground (legacy data): the naming rules' "
                    "errors are then shown as warnings and do not block saving. New names go through proposals."),
    )

    def clean_name(self):
        return clean_name(self.cleaned_data.get("name"))

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            details = {k[len(DETAIL_PREFIX):]: v for k, v in cleaned.items() if k.startswith(DETAIL_PREFIX)}
            self.instance.details = details
        self.check_result = None
        if not self.errors and ("name" in self.changed_data or "pinyin" in self.changed_data):
            self.check_result = self._check(cleaned)
            errors = [f for f in self.check_result.findings if f.is_error]
            if errors and not cleaned.get("record_existing"):
                field = "pinyin" if all(f.rule == "ROMANIZATION" for f in errors) else "name"
                for f in errors:
                    self.add_error("pinyin" if f.rule == "ROMANIZATION" else field, f"[{f.rule}] {f.message}")
        return cleaned

    def _check(self, cleaned):
        instance = self.instance
        name = cleaned.get("name") or instance.name
        category = cleaned.get("category") or instance.category
        division = cleaned.get("division") or (instance.division if instance.division_id else None)
        return check_name(
            name, category, division=division, place=instance if instance.pk else None,
            pinyin=cleaned.get("pinyin") or "", details=instance.details if instance.pk else None,
        )


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("records"), choices=[("places", _("places")), ("heritage", _("heritage listings"))],
                             initial="places", required=False)
    file = forms.FileField(label=_("file"), help_text=_("CSV (UTF-8 or GBK), XLSX, JSON or GeoJSON, with a header row."))
    dry_run = forms.BooleanField(label=_("check only (dry run)"), required=False, initial=True)
    update = forms.BooleanField(label=_("update places whose code exists (listings: the place's listing in that scheme)"),
                                required=False)
    ignore_unknown = forms.BooleanField(label=_("skip unknown columns"), required=False)


@admin.register(Place)
class PlaceAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    form = PlaceAdminForm
    change_list_template = "admin/registry/place/change_list.html"
    list_display = ("code", "name", "pinyin", "category", "division", "status", "heritage_flag", "findings_column")
    list_display_links = ("code", "name")
    list_filter = ("category", DivisionFilter, "status", HeritageFilter, FindingsFilter, "verification")
    list_select_related = ("division",)
    search_fields = ("name", "code")
    search_help_text = _("Search by name (current or former), code, pinyin (changjiang, Jinzhai Lu) or initials (cjzl).")
    autocomplete_fields = ("division", "category_code")
    list_per_page = 50
    show_full_result_count = False
    history_list_display = ("name", "status")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            has_heritage=Exists(HeritageListing.objects.filter(place=OuterRef("pk")))
        )

    @admin.display(boolean=True, description=_("heritage"), ordering="has_heritage")
    def heritage_flag(self, obj) -> bool:
        return bool(getattr(obj, "has_heritage", False))

    @admin.display(description=_("name check"), ordering="finding_level")
    def findings_column(self, obj) -> str:
        if not obj.finding_level:
            return "✓"
        icon = "✖" if obj.finding_level == "error" else "⚠"
        return f"{icon} {obj.finding_rules.replace(',', ', ')}"

    @admin.display(description=_("category details"))
    def details_display(self, obj) -> str:
        values = obj.details or {}
        rows = [(f.label, values[f.key]) for f in detail_fields(obj.category) if values.get(f.key) not in (None, "")]
        if not rows:
            return "-"
        return format_html_join("", "<div>{}：{}</div>", ((str(label), value) for label, value in rows))

    @admin.display(description=_("name check"))
    def findings_panel(self, obj) -> str:
        """The validator's findings on the current name, computed now."""
        if obj is None or not obj.pk:
            return "-"
        result = check_name(obj.name, obj.category, place=obj, pinyin=obj.pinyin)
        if not result.findings:
            return format_html('<span style="color:#2e7d32">✓ {}</span>', _("No findings."))
        items = format_html_join(
            "", '<li style="color:{}"><b>{}</b> [{}] {}{}</li>',
            (("#c62828" if f.is_error else "#b26a00", f.severity, f.rule, f.message,
              " — " + "、".join(f"{m.name}（{m.code}，{m.score:.0f}）" for m in f.matches) if f.matches else "")
             for f in result.findings),
        )
        return format_html("<ul style='margin:0;padding-left:1.2em'>{}</ul>", items)

    def get_urls(self):
        extra = [
            path("import/", self.admin_site.admin_view(self.import_view), name="registry_place_import"),
            path("export/<str:fmt>/", self.admin_site.admin_view(self.export_view), name="registry_place_export"),
        ]
        return extra + super().get_urls()

    def import_view(self, request):
        """The importer behind a form: the same checks and writes as ``manage.py import_places``."""
        if not request.user.has_perm("registry.add_place"):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            heritage = form.cleaned_data["kind"] == "heritage"
            if heritage and not request.user.has_perm("registry.add_heritagelisting"):
                raise PermissionDenied
            upload = form.cleaned_data["file"]
            suffix = Path(upload.name).suffix.lower()[:10]
            with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
                handle.flush()
                importer = import_heritage if heritage else import_places
                result = importer(handle.name, dry_run=form.cleaned_data["dry_run"], update=form.cleaned_data["update"],
                                  ignore_unknown=form.cleaned_data["ignore_unknown"], acting_user=request.user)
            if result.ok and result.written:
                self.message_user(request, _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
                                  % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged})
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form, "result": result,
                   "title": _("Import places")}
        return TemplateResponse(request, "admin/registry/place/import.html", context)

    def export_view(self, request, fmt):
        if fmt not in ("csv", "xlsx", "json", "geojson"):
            raise Http404
        heritage = request.GET.get("kind") == "heritage"
        if heritage and fmt == "geojson":
            raise Http404
        handle = tempfile.NamedTemporaryFile(suffix=f".{fmt}")
        (export_heritage if heritage else export_places)(handle.name, fmt)
        handle.seek(0)
        return FileResponse(handle, as_attachment=True, filename=f"{'heritage' if heritage else 'places'}.{fmt}")

    def get_search_results(self, request, queryset, search_term):
        term = (search_term or "").strip()
        if not term:
            return queryset, False
        condition = Q(name__icontains=term) | Q(code__iexact=term) | Q(
            Exists(PlaceName.objects.filter(place=OuterRef("pk"), name__icontains=term))
        )
        key = normalize_pinyin(term)
        if key and term.isascii():
            condition |= Q(pinyin_key__contains=key) | Q(initials__startswith=key)
        return queryset.filter(condition), False

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
        main = ("code", "name", "category", "division", "status", "pinyin", ("specific", "generic"),
                ("pinyin_key", "initials"))
        if obj is None:
            main += ("record_existing",)
        else:
            main += ("findings_panel",)
        fieldsets = [
            (None, {"fields": main}),
            (_("Approval"), {"fields": (("approval_authority", "approval_document"), ("approval_date", "announcement_date"),
                                        "category_code")}),
            (_("Origin and history"), {"fields": ("origin", "history_text")}),
            (_("Location"), {"fields": (("longitude", "latitude"), "geometry")}),
        ]
        if obj is not None and detail_fields(obj.category):
            if self.has_change_permission(request, obj):
                keys = tuple(DETAIL_PREFIX + f.key for f in detail_fields(obj.category))
            else:
                keys = ("details_display",)
            fieldsets.append((_("Category details"), {"fields": keys}))
        fieldsets.append((_("Source"), {"fields": ("verification", "source", "note", ("created_at", "updated_at"))}))
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The detail fields are added by PlaceAdminForm itself, not by the model.
        fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = [f for f in fields if not f.startswith(DETAIL_PREFIX) and f != "record_existing"]
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith(DETAIL_PREFIX)}
        if change:
            fields = {k: data[k] for k in form.changed_data if k in place_services.UPDATABLE_FIELDS}
            if any(k.startswith(DETAIL_PREFIX) for k in form.changed_data):
                fields["details"] = obj.details
            place_services.place_update(place=obj, acting_user=request.user, reason="admin", **fields)
        else:
            attrs = {k: v for k, v in data.items() if k in place_services.UPDATABLE_FIELDS - {"status", "division", "pinyin"}}
            created = place_services.place_create(
                name=data["name"], category=data["category"], division=data["division"], code=data.get("code") or "",
                pinyin=data.get("pinyin") or "", status=data.get("status") or "active",
                acting_user=request.user, **attrs,
            )
            obj.__dict__.update({k: v for k, v in created.__dict__.items() if not k.startswith("_")})
            obj._state.adding = False
        result = getattr(form, "check_result", None)
        for f in result.findings if result else ():
            self.message_user(request, f"[{f.rule}] {f.message}", level=messages.WARNING)

    def save_formset(self, request, form, formset, change):
        if formset.model is PlaceName:
            for name_form in formset.forms:
                if not name_form.has_changed() or not name_form.cleaned_data:
                    continue
                data = name_form.cleaned_data
                try:
                    place_services.name_record(
                        place=form.instance, acting_user=request.user, name=data["name"], kind=data["kind"],
                        valid_from=data.get("valid_from") or "", valid_to=data.get("valid_to") or "",
                        pinyin=data.get("pinyin") or "", decision_document=data.get("decision_document") or "",
                        decision_date=data.get("decision_date"), source=data.get("source") or "",
                    )
                except ValidationError as exc:
                    self.message_user(request, "; ".join(exc.messages), level=messages.ERROR)
            return
        if formset.model is HeritageListing:
            for listing in formset.save(commit=False):
                heritage_services.heritage_listing_save(listing=listing, acting_user=request.user)
            return
        super().save_formset(request, form, formset, change)


@admin.register(PlaceName)
class PlaceNameAdmin(PartialDateDisplayMixin, NoDeleteAdminMixin, SimpleHistoryAdmin):
    """All names across the registry, for search; each row read-only."""

    list_display = ("name", "pinyin", "kind", "place", "valid_from", "valid_to", "decision_document")
    list_filter = ("kind", "place__category")
    list_select_related = ("place",)
    search_fields = ("name", "pinyin_key", "place__code")
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
