"""Admin for places and their names: the place's page, its inlines, and how a save is written.

Writes go through ``registry.services`` (the same path as the API and imports), so
the admin cannot bypass romanization, code assignment or the names-history rules.
Names are read-only once saved; the name of a place changes by renaming, which
keeps the old name in the history. The list and its search are ``place_lists``; the
forms, which check in their ``clean`` what the services will refuse, are ``place_forms``.

A service that still refuses at save time (a race: another save landed between the
check and the write) raises ``ServiceRefused``: the whole save is rolled back and the
form is shown again with its reason (``service_saves``).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registry.admin import transfer
from registry.admin.display import PartialDateDisplayMixin, finding_html
from registry.admin.maps import GeometryMapWidget, list_map_view, point_division_note
from registry.admin.guards import HistoryAdmin, NoDeleteAdminMixin, ReadOnlyMixin
from registry.admin.place_inlines import HeritageListingInline, PlaceNameAddInline, PlaceNameHistoryInline
from registry.admin.place_forms import (
    DETAIL_PREFIX,
    GeometryField,
    PlaceAdminForm,
    PlaceNameAddForm,
    name_record_arguments,
)
from registry.admin.place_lists import DivisionFilter, FindingsFilter, HeritageFilter, PlaceListMixin
from registry.admin.service_saves import ServiceRefused, adopt
from registry.choices import PlaceStatus
from registry.details import detail_fields
from registry.importers import export as exporting
from registry.models import DivisionBoundary, HeritageListing, Place, PlaceName
from registry.models.places import NAME_ORDER
from registry.services import heritage as heritage_services
from registry.services import places as place_services
from registry.validation import check_name
from registry.validation.findings import rule_label, severity_label


@admin.register(Place)
class PlaceAdmin(PlaceListMixin, NoDeleteAdminMixin, HistoryAdmin):
    form = PlaceAdminForm
    change_form_template = "admin/registry/place/change_form.html"
    change_list_template = "admin/registry/place/change_list.html"
    list_display = (
        "code",
        "name",
        "pinyin",
        "category",
        "division_column",
        "status",
        "heritage_flag",
        "findings_column",
        "updated_column",
    )
    list_display_links = ("code", "name")
    list_filter = ("category", DivisionFilter, "status", HeritageFilter, FindingsFilter, "verification")
    list_select_related = ("division",)
    search_fields = ("name", "code")
    search_help_text = _(
        "Search by name (current or former), code, pinyin (changjiang, Jinzhai Lu) or initials (cjzl); "
        "a one-character typo finds the name too."
    )
    autocomplete_fields = ("division", "category_code")
    list_per_page = 50
    show_full_result_count = False
    history_list_display = ("name", "status")
    empty_value_display = "—"
    actions = ("export_selected_xlsx", "export_selected_csv")

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
            "",
            '<li style="color:{}"><b>{}</b> {}{}</li>',
            (
                (
                    "#c62828" if f.is_error else "#b26a00",
                    severity_label(f.severity),
                    finding_html(f),
                    " — " + "、".join(f"{m.name}（{m.code}，{m.score:.0f}）" for m in f.matches) if f.matches else "",
                )
                for f in result.findings
            ),
        )
        return format_html("<ul class='findings-panel' style='margin:0;padding-left:1.2em'>{}</ul>", items)

    @admin.display(description=_("division at the point"))
    def point_division(self, obj) -> str:
        return point_division_note(obj)

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
            path("map/", self.admin_site.admin_view(self.map_view), name="registry_place_map"),
        ]
        return extra + super().get_urls()

    def import_view(self, request):
        return transfer.import_view(self, request)

    def export_view(self, request, fmt):
        return transfer.export_view(self, request, fmt)

    def map_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return list_map_view(self, request)

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
        places = (
            queryset.select_related("division")
            .prefetch_related(Prefetch("names", queryset=PlaceName.objects.order_by(*NAME_ORDER)), "heritage_listings")
            .order_by("code")
        )
        return transfer.download(
            lambda path: exporting.export_places(path, fmt, chinese=True, places=places.iterator(chunk_size=2000)),
            fmt,
            f"地名（所选）.{fmt}",
        )

    def get_inlines(self, request, obj):
        return [PlaceNameHistoryInline, PlaceNameAddInline, HeritageListingInline] if obj else []

    def get_readonly_fields(self, request, obj=None):
        computed = (
            "specific",
            "generic",
            "pinyin_key",
            "initials",
            "created_at",
            "updated_at",
            "findings_panel",
            "details_display",
            "point_division",
        )
        if obj is None:
            return computed
        # Code and name are fixed once saved: the code forever, the name until a rename.
        return ("code", "name", "category") + computed

    def get_fieldsets(self, request, obj=None):
        approval = (
            _("Approval"),
            {
                "fields": (
                    ("approval_authority", "approval_document"),
                    ("approval_date", "announcement_date"),
                    "category_code",
                )
            },
        )
        origin = (_("Origin and history"), {"fields": ("origin", "history_text")})
        location = (_("Location"), {"fields": (("longitude", "latitude"), "geometry")})
        if obj is None:
            # Recording an existing name: the name first (the focus lands there), the code
            # last (clerks leave it empty); no status, the place is active; the source required.
            main = ("name", "category", "division", "pinyin", "reason", "record_existing", "code")
            return [
                (None, {"fields": main}),
                approval,
                origin,
                location,
                (_("Source"), {"fields": ("verification", "source", "note")}),
            ]
        main = (
            "code",
            "name",
            "category",
            "division",
            "status",
            "pinyin",
            ("specific", "generic"),
            ("pinyin_key", "initials"),
            "findings_panel",
        )
        if self.has_change_permission(request, obj):
            main += ("seen_version",)  # hidden: the version the form was opened at (place_versions)
        if obj.longitude is not None and DivisionBoundary.objects.exists():  # the division its boundary suggests
            location = (_("Location"), {"fields": (("longitude", "latitude"), "point_division", "geometry")})
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
            kwargs["widget"] = GeometryMapWidget(attrs={"rows": 3})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The detail fields and the add form's own fields are added by PlaceAdminForm itself, not by the model.
        fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        own = ("record_existing", "reason", "seen_version")
        kwargs["fields"] = [f for f in fields if not f.startswith(DETAIL_PREFIX) and f not in own]
        form = super().get_form(request, obj, change=change, **kwargs)
        form.service_refusal = getattr(request, "_service_refusal", None)
        if obj is not None and "geometry" in form.base_fields:  # the map offers the drawing tools of the category
            form.base_fields["geometry"].widget.attrs["data-category"] = obj.category
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
                    place_services.place_update(
                        place=obj,
                        acting_user=request.user,
                        reason="admin",
                        expected_version=form.expected_version,
                        **fields,
                    )
            else:
                adopt(obj, self._record_existing(request, data, result))
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
                "rules": "、".join(rule_label(r) for r in errors)
            }
        attrs = {
            k: v for k, v in data.items() if k in place_services.UPDATABLE_FIELDS - {"status", "division", "pinyin"}
        }
        return place_services.place_create(
            name=data["name"],
            category=data["category"],
            division=data["division"],
            code=data.get("code") or "",
            pinyin=data.get("pinyin") or "",
            status=PlaceStatus.ACTIVE,
            acting_user=request.user,
            name_source=reason,
            name_note=note,
            reason=gettext("Recorded as existing: %(reason)s") % {"reason": reason},
            **attrs,
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
                        place=form.instance, acting_user=request.user, **name_record_arguments(data)
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
class PlaceNameAdmin(PartialDateDisplayMixin, ReadOnlyMixin, NoDeleteAdminMixin, HistoryAdmin):
    """All names across the registry, for search; each row read-only."""

    list_display = ("name", "pinyin", "kind", "place", "valid_from", "valid_to", "decision_document")
    list_filter = ("kind", "place__category")
    list_select_related = ("place",)
    search_fields = ("name", "pinyin_key", "place__code")
    show_full_result_count = False
    empty_value_display = "—"
