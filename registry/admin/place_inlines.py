"""The inlines of a place's admin page: its names history (read-only), the form to record
a former name, alias or historical name, and its heritage listings.

Names are never changed or deleted here: the history is read-only and a new row only
adds a name the place carried before (the current name changes by renaming).
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from registry.admin.display import PartialDateDisplayMixin
from registry.admin.guards import NoDeleteInlineMixin, ReadOnlyMixin
from registry.admin.place_forms import HeritageListingFormSet, PlaceNameAddForm, PlaceNameAddFormSet
from registry.models import HeritageListing, PlaceName
from registry.models.places import NAME_ORDER


class PlaceNameHistoryInline(PartialDateDisplayMixin, ReadOnlyMixin, NoDeleteInlineMixin, admin.TabularInline):
    """Every name the place has carried: read-only, shown right after the main fieldset."""

    model = PlaceName
    verbose_name_plural = _("names history")
    fields = ("name", "pinyin", "kind", "valid_from", "valid_to", "decision_document", "decision_date", "source")
    readonly_fields = fields
    extra = 0
    ordering = NAME_ORDER
    near_top = True  # read by admin/registry/place/change_form.html
    empty_value_display = "—"


class PlaceNameAddInline(admin.TabularInline):
    """Record a former name, alias or historical name (never the current one).

    Each row is validated like the model (dates, a name ending before it begins) while
    the form is checked, so a bad row shows its error and nothing at all is saved.
    """

    model = PlaceName
    form = PlaceNameAddForm
    formset = PlaceNameAddFormSet
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
    """The place's heritage listings; each new or changed one is tried through its service while checked."""

    model = HeritageListing
    formset = HeritageListingFormSet
    extra = 0
    empty_value_display = "—"
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("scheme", "level", "status"),
                    ("batch", "listed_on", "notice_start", "notice_end"),
                    ("authority", "document_number"),
                )
            },
        ),
        (
            _("Evidence"),
            {
                "fields": (
                    ("first_recorded_name", "in_use_since"),
                    "first_recorded_source",
                    "evidence",
                    "preserved_features",
                    "protection_measures",
                    "description",
                    ("verification", "source"),
                )
            },
        ),
    )
