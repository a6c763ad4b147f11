"""How the admin saves through ``registry.services`` and shows a service's refusal.

Django accepts a form once its ``clean`` passes and only then calls ``save_model`` and
``save_formset``; a refusal raised there would come too late to show on the form. So
the refusals are found while the forms are cleaned:

- a row of an inline formset is tried through its service in a transaction that is
  always rolled back (``ServiceCheckedFormSet``), and the service's reason lands on the
  row's own fields;
- the place form checks what the services check (the name check, the status rules,
  the version it was opened at) in its own ``clean``.

What still refuses at save time (another clerk's save landing between the check and
the write) raises ``ServiceRefused``: the admin view's transaction rolls the whole save
back and the posted form is shown again with the reason (``PlaceAdmin.changeform_view``).
The object a service returns replaces the admin's unsaved one through ``adopt``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet


class ServiceRefused(Exception):
    """A service refused a write the forms let through; the admin view rolls back and shows the form again."""

    def __init__(self, error: ValidationError, where: str = ""):
        super().__init__(error)
        self.error, self.where = error, where


class _Rollback(Exception):
    """Raised to leave a trial's transaction, so that nothing of it is kept."""


def tried(call) -> None:
    """Run ``call()`` in a transaction rolled back whatever happens; its ValidationError propagates."""
    try:
        with transaction.atomic():
            call()
            raise _Rollback
    except _Rollback:
        pass


def adopt(obj, saved) -> None:
    """Make the admin's unsaved ``obj`` the row the service saved (its key, then the stored values).

    Django logs, links and redirects with the object it passed to ``save_model``; a
    service creates its own. Reloading through ``refresh_from_db`` keeps what the admin
    shows exactly what was stored."""
    obj.pk = saved.pk
    obj.refresh_from_db()
    obj._state.adding = False


def add_service_error(form, error: ValidationError) -> None:
    """A service's refusal on ``form``: each message on its field when the form has it, else on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, [m for e in errors for m in e.messages])
    else:
        form.add_error(None, error.messages)


class ServiceCheckedFormSet(BaseInlineFormSet):
    """An inline formset whose new or changed rows are tried through their service while it is cleaned.

    ``try_row(form)`` calls the service as ``save_formset`` will; it runs in a rolled-back
    transaction, so a refusal shows on the row before Django accepts the formset and
    nothing is written. A row with its own errors is not tried."""

    def try_row(self, form) -> None:  # pragma: no cover - each formset says how its rows are saved
        raise NotImplementedError

    def clean(self):
        super().clean()
        for form in self.forms:
            if form.errors or not form.has_changed() or not getattr(form, "cleaned_data", None):
                continue
            try:
                tried(lambda form=form: self.try_row(form))
            except ValidationError as exc:
                add_service_error(form, exc)
