"""Naming rounds in the admin: the round page with its item table and steps, the item list
(filter by finding and outcome, bulk withdraw and defer), the round's timeline.

Rounds and items are written only by the services: the pages are read-only forms, the
steps are buttons to their own pages (``round_pages``), the objections to the items
(public comments among them) are listed on the round page, each answered on its own
page, and the bulk actions call ``round_item_step`` item by item and say which were
refused and why.
"""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registry.admin import maps, round_item_pages, round_pages
from registry.admin.maps import LEAFLET_MEDIA
from registry.admin.guards import HistoryAdmin, NoDeleteAdminMixin, NoDeleteInlineMixin, ReadOnlyMixin, _HistoryValues
from registry.exceptions import RegistryError
from registry.importers.columns import PLACE_HEADERS
from registry.models import Round, RoundEvent, RoundItem
from registry.services.rounds import allowed_round_transitions, round_item_step
from registry.validation.round_checks import ROUND_RULE_LABELS, finding_label
from registry.validation.findings import RULE_LABELS
from registry.workflow import ITEM_STEPS, ROUND_STEPS


def findings_text(item: RoundItem) -> str:
    """The item's findings by their Chinese rule names (errors first, as the check orders them)."""
    return "、".join(dict.fromkeys(finding_label(f.get("rule", "")) for f in item.findings or [])) or "—"


def _findings_plain(findings) -> str:
    return "；".join(f"[{finding_label(f.get('rule', ''))}] {f.get('message', '')}" for f in findings or []) or "—"


def _details_plain(details) -> str:
    return "、".join(f"{PLACE_HEADERS.get(k, k)}：{v}" for k, v in (details or {}).items()) or "—"


class _ItemHistoryValues(_HistoryValues):
    """An item's findings and details in the history as a reader wants them, not as stored JSON."""

    def prepare_delta_change_value(self, change, value):
        if change.field in ("findings", "details", "announced") and isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return value
        if change.field == "findings" and isinstance(value, list):
            return _findings_plain(value)
        if change.field in ("details", "announced") and isinstance(value, dict):
            return (
                _details_plain(value)
                if change.field == "details"
                else "、".join(str(v) for v in value.values() if v) or "—"
            )
        return super().prepare_delta_change_value(change, value)


class RoundItemInline(ReadOnlyMixin, NoDeleteInlineMixin, admin.TabularInline):
    model = RoundItem
    fields = (
        "position",
        "action",
        "name",
        "place",
        "category",
        "division",
        "outcome",
        "check_level",
        "findings_column",
        "override_reason",
    )
    readonly_fields = fields
    extra = 0
    show_change_link = True

    @admin.display(description=_("check findings"))
    def findings_column(self, item):
        return findings_text(item)


@admin.register(Round)
class RoundAdmin(ReadOnlyMixin, NoDeleteAdminMixin, HistoryAdmin):
    list_display = ("title", "state", "item_count", "error_count", "notice_ends_at", "document_number", "decided_on")
    list_filter = ("state", "drafted_by")
    search_fields = ("title", "document_number", "organisers")
    readonly_fields = (
        "title",
        "organisers",
        "authority",
        "state",
        "drafted_by",
        "notice_starts_at",
        "notice_ends_at",
        "document_number",
        "decided_on",
        "decided_by",
        "rejection_reason",
    )
    inlines = [RoundItemInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_items=Count("items"), n_errors=Count("items", filter=Q(items__check_level="error")))
        )

    @admin.display(description=_("round items"), ordering="n_items")
    def item_count(self, round_):
        return round_.n_items

    @admin.display(description=_("Has errors"), ordering="n_errors")
    def error_count(self, round_):
        return round_.n_errors

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The round's steps the user may take now, as buttons, and its item table and announcement."""
        round_ = self.get_object(request, object_id)
        links = []
        if round_ is not None:
            links = [
                (reverse("admin:registry_round_step", args=[round_.pk, name]), ROUND_STEPS[name].label)
                for name in allowed_round_transitions(round_, request.user)
            ]
            links.append(
                (
                    reverse("admin:registry_rounditem_changelist") + f"?round__id__exact={round_.pk}",
                    gettext("round items"),
                )
            )
            if hasattr(round_, "announcement"):
                links.append((reverse("admin:registry_round_announcement", args=[round_.pk]), gettext("announcement")))
        objections = round_pages.objection_rows(round_) if round_ is not None else []
        context = {**(extra_context or {}), "round_links": links, "round_objections": objections}
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self):
        own = [
            path(
                "import/",
                self.admin_site.admin_view(lambda r: round_pages.import_view(self, r)),
                name="registry_round_import",
            ),
            path(
                "<int:object_id>/step/<str:name>/",
                self.admin_site.admin_view(lambda r, object_id, name: round_pages.step_view(self, r, object_id, name)),
                name="registry_round_step",
            ),
            path(
                "<int:object_id>/announcement/",
                self.admin_site.admin_view(lambda r, object_id: round_pages.announcement_view(self, r, object_id)),
                name="registry_round_announcement",
            ),
            path(
                "<int:object_id>/objections/<int:objection_id>/respond/",
                self.admin_site.admin_view(
                    lambda r, object_id, objection_id: round_pages.respond_view(self, r, object_id, objection_id)
                ),
                name="registry_round_respond",
            ),
        ]
        return own + super().get_urls()


class FindingFilter(admin.SimpleListFilter):
    """Items by a rule their check found (the registry's rules and the round's own)."""

    title = _("check findings")
    parameter_name = "rule"

    def lookups(self, request, model_admin):
        return [(rule, label) for rule, label in {**RULE_LABELS, **ROUND_RULE_LABELS}.items()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(findings__icontains=f'"{self.value()}"')
        return queryset


@admin.register(RoundItem)
class RoundItemAdmin(ReadOnlyMixin, NoDeleteAdminMixin, HistoryAdmin):
    # What the office weighs first (outcome, check, findings) comes before where the item lies.
    list_display = (
        "position",
        "round",
        "action",
        "name",
        "outcome",
        "check_level",
        "findings_column",
        "place",
        "category",
        "division",
        "override_reason",
    )
    list_display_links = ("position", "name")
    list_filter = ("outcome", "check_level", FindingFilter, "action", "round")
    list_select_related = ("round", "place", "division")
    search_fields = ("name", "place__code", "place__name")
    actions = ["withdraw_items", "defer_items"]
    exclude = ("details",)
    readonly_fields = ("findings_list", "details_list", "location_map")

    @property
    def media(self):
        return super().media + LEAFLET_MEDIA

    @admin.display(description=_("location and neighbours"))
    def location_map(self, item):
        """The item's own point (a new feature), or the place it renames or retires, among its neighbours."""
        located = item.place if item.place_id and item.longitude is None else item
        return maps.location_map(
            name=item.name or (item.place.name if item.place_id else ""),
            longitude=located.longitude,
            latitude=located.latitude,
            geometry=located.geometry,
            leave_out=item.place_id,
        ) or _("No location given.")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The links to correct or take out the item while its round is its drafter's draft."""
        item = self.get_object(request, object_id)
        editable = (
            item is not None
            and item.round.state == "draft"
            and item.outcome == "pending"
            and (item.round.drafted_by_id == request.user.pk and request.user.has_perm("registry.submit_proposal"))
        )
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "item_editable": editable})

    def get_urls(self):
        own = [
            path(
                "<int:object_id>/edit/",
                self.admin_site.admin_view(lambda r, object_id: round_item_pages.item_view(self, r, object_id)),
                name="registry_rounditem_edit",
            ),
            path(
                "<int:object_id>/remove/",
                self.admin_site.admin_view(
                    lambda r, object_id: round_item_pages.item_view(self, r, object_id, remove=True)
                ),
                name="registry_rounditem_remove",
            ),
        ]
        return own + super().get_urls()

    def get_list_display(self, request):
        """One round's items (the round page's link) need no round column: the findings stay in view."""
        shown = super().get_list_display(request)
        return [c for c in shown if c != "round"] if "round__id__exact" in request.GET else shown

    @admin.display(description=_("category details"))
    def details_list(self, item):
        return _details_plain(item.details)

    def get_historical_record_context_helper(self, request, historical_record):
        return _ItemHistoryValues(self.model, historical_record)

    @admin.display(description=_("check findings"))
    def findings_column(self, item):
        return findings_text(item)

    @admin.display(description=_("check findings"))
    def findings_list(self, item):
        return (
            format_html(
                "<ul>{}</ul>",
                format_html_join(
                    "",
                    "<li>[{}] {}</li>",
                    ((finding_label(f.get("rule", "")), f.get("message", "")) for f in item.findings or []),
                ),
            )
            if item.findings
            else "—"
        )

    def _bulk(self, request, queryset, step: str) -> None:
        done, refused = 0, []
        for item in queryset.order_by("round_id", "position"):
            try:
                round_item_step(item=item, step=step, acting_user=request.user)
                done += 1
            except RegistryError as exc:
                refused.append(f"{item}：{exc}")
        if done:
            messages.success(request, gettext("Done: %(step)s.") % {"step": f"{ITEM_STEPS[step].label} × {done}"})
        for reason in refused[:20]:
            messages.error(request, reason)

    @admin.action(description=_("Withdraw the item"), permissions=["review"])
    def withdraw_items(self, request, queryset):
        self._bulk(request, queryset, "withdraw")

    @admin.action(description=_("Defer the item to a later round"), permissions=["review"])
    def defer_items(self, request, queryset):
        self._bulk(request, queryset, "defer")

    def has_review_permission(self, request) -> bool:
        # A clerk withdraws or defers the items of their own draft; the service judges each item.
        return request.user.has_perm("registry.review_proposal") or request.user.has_perm("registry.submit_proposal")


@admin.register(RoundEvent)
class RoundEventAdmin(ReadOnlyMixin, NoDeleteAdminMixin, admin.ModelAdmin):
    list_display = ("at", "round", "item", "transition", "from_state", "to_state", "actor", "note")
    list_filter = ("transition",)
    list_select_related = ("round", "item", "actor")
