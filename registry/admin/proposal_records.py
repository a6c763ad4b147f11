"""The workflow's records, read-only: announcements (公告), the events of every proposal, objections.

Each is written by the services as a step is taken (``services.steps``), never by hand:
the admins list and search them, and nothing more (``guards.ReadOnlyMixin``).
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from registry.admin.guards import NoDeleteAdminMixin, ReadOnlyMixin
from registry.models import Announcement, Objection, ProposalEvent


@admin.register(Announcement)
class AnnouncementAdmin(ReadOnlyMixin, NoDeleteAdminMixin, admin.ModelAdmin):
    list_display = (
        "number",
        "action",
        "standard_name",
        "old_name",
        "pinyin",
        "division_name",
        "authority",
        "approved_on",
        "document_number",
        "issued_on",
    )
    search_fields = ("standard_name", "old_name", "number", "document_number")


@admin.register(ProposalEvent)
class ProposalEventAdmin(ReadOnlyMixin, NoDeleteAdminMixin, admin.ModelAdmin):
    list_display = ("at", "proposal", "transition", "from_state", "to_state", "actor")
    list_filter = ("transition",)
    list_select_related = ("proposal", "actor")


class AnsweredFilter(admin.SimpleListFilter):
    title = _("response")
    parameter_name = "answered"

    def lookups(self, request, model_admin):
        return [("no", _("No response yet")), ("yes", _("Answered"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(response="")
        if self.value() == "yes":
            return queryset.exclude(response="")
        return queryset


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyMixin, NoDeleteAdminMixin, admin.ModelAdmin):
    list_display = ("received_on", "proposal", "item", "channel", "objector", "text", "response", "responded_by")
    list_filter = (AnsweredFilter, "channel")
    list_select_related = ("proposal", "item__round", "recorded_by", "responded_by")
