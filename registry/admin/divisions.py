"""Admin for administrative divisions (reference data) and GB/T 18521 category codes."""

from django.contrib import admin

from registry.admin.guards import NoDeleteAdminMixin, ReadOnlyMixin
from registry.models import CategoryCode, CodeCounter, Division
from registry.services.divisions import division_save


@admin.register(Division)
class DivisionAdmin(NoDeleteAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "verification")
    list_filter = ("level", "verification")
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    list_per_page = 100

    def get_readonly_fields(self, request, obj=None):
        # A division's code is its identity: once saved it never changes.
        return ("code",) if obj else ()

    def save_model(self, request, obj, form, change):
        """Through the service, so that cached answers showing the division see the edit."""
        division_save(division=obj)


@admin.register(CategoryCode)
class CategoryCodeAdmin(NoDeleteAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()


@admin.register(CodeCounter)
class CodeCounterAdmin(ReadOnlyMixin, NoDeleteAdminMixin, admin.ModelAdmin):
    """The code allocator's counters: shown for transparency, never edited by hand."""

    list_display = ("prefix", "last")
