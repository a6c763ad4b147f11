"""Admin for the heritage catalogue (千年古镇, 千年古村落, 红色地名 …)."""

from django.contrib import admin

from registry.admin.display import PartialDateDisplayMixin
from registry.admin.guards import HistoryAdmin, NoDeleteAdminMixin
from registry.models import HeritageListing
from registry.services.heritage import heritage_listing_save


@admin.register(HeritageListing)
class HeritageListingAdmin(PartialDateDisplayMixin, NoDeleteAdminMixin, HistoryAdmin):
    # listed_on and in_use_since read 2016年, 前484年 in the list (PartialDateDisplayMixin).
    list_display = ("place", "scheme", "level", "status", "batch", "listed_on", "in_use_since", "verification")
    list_filter = ("scheme", "level", "status", "verification")
    list_select_related = ("place",)
    search_fields = ("place__name", "place__code", "first_recorded_name")
    autocomplete_fields = ("place",)

    def save_model(self, request, obj, form, change):
        heritage_listing_save(listing=obj, acting_user=request.user)
