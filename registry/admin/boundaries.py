"""Division boundaries in the admin: shown, never edited by hand (``manage.py import_boundaries`` loads them)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from registry.admin.guards import HistoryAdmin, NoDeleteAdminMixin, ReadOnlyMixin
from registry.models import DivisionBoundary


@admin.register(DivisionBoundary)
class DivisionBoundaryAdmin(ReadOnlyMixin, NoDeleteAdminMixin, HistoryAdmin):
    list_display = ("division", "bounding_box", "source", "imported_at")
    search_fields = ("division__code", "division__name")
    list_select_related = ("division",)
    fields = ("division", "bounding_box", "source", "imported_at", "geometry")
    readonly_fields = fields

    @admin.display(description=_("bounding box (W, S, E, N)"))
    def bounding_box(self, obj) -> str:
        return f"{obj.west:.4f}, {obj.south:.4f}, {obj.east:.4f}, {obj.north:.4f}"
