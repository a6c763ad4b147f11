"""Partial dates in the admin as people read them: 前484年 for the stored "-0484".

The registry stores partial dates as ISO text ("-0484", "1956-03") and a heritage
name's start as a signed year (-484); the API and exports print those. On the admin's
lists and read-only fields ``PartialDateDisplayMixin`` shows them through
``registry.partial_dates.display`` instead (a column still sorts by the stored key).
Editable inputs keep the stored form, which is what the form accepts back.

The name check's findings are shown by their Chinese rule labels, the codes kept in
the tooltips (``rule_tag``, ``finding_html``).
"""

from __future__ import annotations

from functools import lru_cache

from django.contrib import admin
from django.utils.html import format_html

from registry import partial_dates
from registry.admin.history import PARTIAL_DATE_FIELDS
from registry.validation.findings import rule_label

# Columns sort by the integer key where there is one (text "-0484" sorts after "1956").
_ORDERING = {"valid_from": "valid_from_key", "valid_to": "valid_to_key"}


@lru_cache(maxsize=None)
def partial_date_column(model, name: str):
    """A list/read-only column for partial-date field ``name`` of ``model``."""
    model_field = model._meta.get_field(name)

    @admin.display(description=model_field.verbose_name, ordering=_ORDERING.get(name, name))
    def column(obj):
        return partial_dates.display(getattr(obj, name)) or admin.site.empty_value_display

    column.__name__ = f"{name}_display"
    return column


class PartialDateDisplayMixin:
    """For a ModelAdmin or an inline: partial-date fields shown as 前484年 where they are not edited."""

    def _date_fields(self) -> set[str]:
        opts = self.model._meta
        return PARTIAL_DATE_FIELDS.get((opts.app_label, opts.model_name), set())

    def _shown(self, names):
        dates = self._date_fields()

        def one(name):
            if isinstance(name, (list, tuple)):
                return type(name)(one(n) for n in name)
            return partial_date_column(self.model, name) if isinstance(name, str) and name in dates else name

        return [one(name) for name in names]

    def _read_only(self, request, obj) -> bool:
        return not self.has_change_permission(request, obj)

    def get_list_display(self, request):
        return self._shown(super().get_list_display(request))

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and self._read_only(request, obj):
            # Django's get_fields appends the read-only fields, our columns among them: once each.
            return list(dict.fromkeys(self._shown(fields)))
        return fields

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None and self._read_only(request, obj):
            # Every column get_fields may show instead of a date is read-only: forms built from
            # these fields (the change form, simple_history's past-version form) leave them out.
            columns = [partial_date_column(self.model, name) for name in sorted(self._date_fields())]
            return [*self._shown(readonly), *(c for c in columns if c not in readonly)]
        return readonly


def rule_tag(code: str):
    """A rule as a Chinese reader sees it (外语词（洋）), its code kept in the tooltip."""
    return format_html('<span class="rule" title="{}">{}</span>', code, rule_label(code))


def finding_html(f):
    """One finding: its Chinese rule label (code in the tooltip), then the message."""
    return format_html("{}：{}", rule_tag(f.rule), f.message)
