"""What the history pages (历史) show: change reasons, field values and changes in Chinese.

The audit trail stores each change reason as an English code ("create", "rename:
closed", "import" …): machine data that exports, the API and scripts read, so it stays
as stored. People read a label instead: ``change_reason_label(code)`` gives 新建, 更名（原名
截止）… in the active language; a reason without a label (an old or a new code) is shown
as stored rather than hidden.

``history_rows`` prepares the rows of simple_history's list (the template
``simple_history/object_history_list.html`` in this app calls it through the
``registry_history`` tags): the reason label, the chosen columns and the changes
between one version and the one before, each value as the admin shows it (choice
labels, 前484年 for a BCE date, — for an empty value) rather than the stored code.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from simple_history.models import DeletedObject

from registry import partial_dates
from registry.choices import TRANSITION_LABELS

# Every reason the services, importers and admin write (``_audit(...)``, ``reason=…``,
# ``copy_history(reason=…)``). The workflow writes the transition's name on the proposal
# (``submit``, ``start_review`` …), labelled like its button.
CHANGE_REASON_LABELS = {
    "create": pgettext_lazy("change reason", "create"),
    "update": pgettext_lazy("change reason", "update"),
    "remove": pgettext_lazy("change reason", "remove"),
    "admin": pgettext_lazy("change reason", "admin"),
    "rename": pgettext_lazy("change reason", "rename"),
    "rename: closed": pgettext_lazy("change reason", "rename: closed"),
    "rename: opened": pgettext_lazy("change reason", "rename: opened"),
    "retire": pgettext_lazy("change reason", "retire"),
    "retire: closed": pgettext_lazy("change reason", "retire: closed"),
    "record name": pgettext_lazy("change reason", "record name"),
    "approval": pgettext_lazy("change reason", "approval"),
    "import": pgettext_lazy("change reason", "import"),
    "import --update": pgettext_lazy("change reason", "import --update"),
    "heritage listing": pgettext_lazy("change reason", "heritage listing"),
    "heritage listing: create": pgettext_lazy("change reason", "heritage listing: create"),
    "draft": pgettext_lazy("change reason", "draft"),
    "respond": pgettext_lazy("change reason", "respond"),
    "word list: create": pgettext_lazy("change reason", "word list: create"),
    "word list: update": pgettext_lazy("change reason", "word list: update"),
    "allow-list: create": pgettext_lazy("change reason", "allow-list: create"),
    "allow-list: update": pgettext_lazy("change reason", "allow-list: update"),
    "seed text: Chinese": pgettext_lazy("change reason", "seed text: Chinese"),
    "name bank: create": pgettext_lazy("change reason", "name bank: create"),
    "name bank: update": pgettext_lazy("change reason", "name bank: update"),
    "name bank: take": pgettext_lazy("change reason", "name bank: take"),
    "name bank: expire": pgettext_lazy("change reason", "name bank: expire"),
    "name bank: flag": pgettext_lazy("change reason", "name bank: flag"),
    "name bank: clear": pgettext_lazy("change reason", "name bank: clear"),
    "name bank: re-check": pgettext_lazy("change reason", "name bank: re-check"),
    "name bank: import": pgettext_lazy("change reason", "name bank: import"),
    # A naming round's items (services.round_steps): judged, and closed one by one.
    "check": pgettext_lazy("change reason", "check"),
    "withdrawn": pgettext_lazy("change reason", "withdrawn"),
    "deferred": pgettext_lazy("change reason", "deferred"),
    "rejected": pgettext_lazy("change reason", "rejected"),
    **TRANSITION_LABELS,
}

# Partial dates stored as ISO text or a signed year (see registry.partial_dates).
PARTIAL_DATE_FIELDS = {
    ("registry", "placename"): {"valid_from", "valid_to"},
    ("registry", "historicalplacename"): {"valid_from", "valid_to"},
    ("registry", "heritagelisting"): {"listed_on", "in_use_since"},
    ("registry", "historicalheritagelisting"): {"listed_on", "in_use_since"},
}

# Other fields whose stored codes read better as labels: (app_label, model_name, field) → function.
FIELD_DISPLAYS: dict[tuple[str, str, str], Any] = {}


def register_display(model, name: str, function) -> None:
    """Show field ``name`` of ``model`` through ``function(value)`` on its history pages."""
    FIELD_DISPLAYS[(model._meta.app_label, model._meta.model_name, name)] = function


def change_reason_label(reason: str | None) -> str:
    """The reason in the active language; unknown reasons as stored, none as —."""
    if not reason:
        return empty_value()
    label = CHANGE_REASON_LABELS.get(reason)
    return str(label) if label is not None else reason


def empty_value() -> str:
    return admin.site.empty_value_display


def is_partial_date(model_or_opts, name: str) -> bool:
    opts = getattr(model_or_opts, "_meta", model_or_opts)
    return name in PARTIAL_DATE_FIELDS.get((opts.app_label, opts.model_name), ())


def display_value(model, name: str, value: Any) -> str:
    """``value`` of field ``name`` as a person reads it in the admin."""
    if value is None or value == "":
        return empty_value()
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        model_field = None
    if is_partial_date(model, name):
        return partial_dates.display(value)
    function = FIELD_DISPLAYS.get((model._meta.app_label, model._meta.model_name, name))
    if function is not None:
        return function(value)
    if model_field is not None and getattr(model_field, "flatchoices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return formats.localize(value)
    if isinstance(value, dt.date):
        return formats.date_format(value)
    if isinstance(value, Decimal):
        return formats.localize(value)
    if isinstance(value, (dict, list)):
        if not value:
            return empty_value()
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryRow:
    record: Any
    reason: str
    user: str
    columns: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


def _shown_fields(model) -> dict[str, models.Field]:
    """Fields whose changes people read: editable ones (derived keys and stamps are not)."""
    return {f.name: f for f in model._meta.concrete_fields if f.editable and not f.primary_key}


def history_rows(page, model, columns=()) -> list[HistoryRow]:
    """The rows of one history page, newest first, each with its changes from the version before.

    As in simple_history's own list, the oldest version on a page has no changes shown
    (it is compared on the next page).
    """
    records = list(page)
    shown = _shown_fields(model)
    rows = []
    for index, record in enumerate(records):
        row = HistoryRow(
            record=record,
            reason=change_reason_label(record.history_change_reason),
            user=str(record.history_user) if getattr(record, "history_user_id", None) else empty_value(),
            columns=[_column_value(model, record, column) for column in columns],
        )
        if index + 1 < len(records):
            delta = record.diff_against(records[index + 1], foreign_keys_are_objs=True)
            for change in delta.changes:
                model_field = shown.get(change.field)
                if model_field is None:
                    continue
                row.changes.append(
                    Change(
                        field=capfirst(str(model_field.verbose_name)),
                        old=_change_value(model, model_field, change.old),
                        new=_change_value(model, model_field, change.new),
                    )
                )
        rows.append(row)
    return rows


def column_header(model, column: str) -> str:
    try:
        return capfirst(str(model._meta.get_field(column).verbose_name))
    except FieldDoesNotExist:
        return _(column)


def _column_value(model, record, column: str) -> str:
    value = getattr(record, column, None)
    try:
        model._meta.get_field(column)
    except FieldDoesNotExist:
        return empty_value() if value in (None, "") else str(value)
    return display_value(model, column, value)


def _change_value(model, model_field, value) -> str:
    if isinstance(model_field, models.ForeignKey):
        if value is None or getattr(value, "pk", None) is None:
            return empty_value()
        if isinstance(value, DeletedObject):
            # The related row is gone (simple_history's own text is English).
            return _("%(model)s %(pk)s (deleted)") % {"model": value.model._meta.verbose_name, "pk": value.pk}
        return str(value)
    return display_value(model, model_field.name, value)
