"""The place form remembers the version it was opened at; a save based on an older one is refused.

Two clerks with the same place open: the first saves; the second's save used to write
back, silently, every value the first had changed (the form compares what is posted with
the place as it is at the time of the save, so the second clerk's unchanged boxes looked
like changes). The form now carries ``seen_version`` (``registry.services.place_versions``)
in a hidden field; when the place or its names changed since, the form comes back with
who changed what and when, the clerk's entries kept and nothing saved. The refusal
carries the current version, so saving again (after comparing) goes through. The service
checks the same version again under its lock (``place_update(expected_version=…)``), for
a save that lands between the form's check and the write.
"""

from __future__ import annotations

from django import forms

from registry.services.place_versions import StaleVersion, check_version, version_of

FIELD = "seen_version"


class SeenVersionFormMixin(forms.Form):
    """Adds the hidden version field to a change form of a place, and its check to ``clean``."""

    seen_version = forms.CharField(widget=forms.HiddenInput, required=False)
    stale_version: StaleVersion | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields.pop(FIELD, None)
        elif not self.is_bound:
            self.initial[FIELD] = version_of(self.instance)

    def check_seen_version(self) -> None:
        """Refuse the save if the place changed since the form was opened (see the module docstring)."""
        if not self.instance.pk or FIELD not in self.fields:
            return
        try:
            check_version(self.instance, self.data.get(self.add_prefix(FIELD)))
        except StaleVersion as stale:
            self.stale_version = stale
            self.add_error(None, stale.messages)
            data = self.data.copy()
            data[self.add_prefix(FIELD)] = stale.current
            self.data = data

    @property
    def expected_version(self) -> str | None:
        return (self.cleaned_data.get(FIELD) or None) if FIELD in self.fields else None
