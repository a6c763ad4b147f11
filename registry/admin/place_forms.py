"""The place forms: the place itself (with one field per category detail), a name to add, a listing.

Each form checks in its ``clean`` what the services will check, so that a refusal shows
on the form and nothing is saved: the place form runs the name check and the status
rules; the name and listing formsets try each row through its service
(``service_saves.ServiceCheckedFormSet``). The add form records a name that already
exists on the ground (legacy data), with the source that attests it; a new name goes
through a naming proposal.
"""

from __future__ import annotations

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from registry.admin.display import finding_html
from registry.admin.place_versions import SeenVersionFormMixin
from registry.admin.service_saves import ServiceCheckedFormSet, ServiceRefused
from registry.choices import PlaceStatus
from registry.details import detail_fields
from registry.models import Place
from registry.models import PlaceName
from registry.services import heritage as heritage_services
from registry.services import places as place_services
from registry.services.place_versions import StaleVersion
from registry.text import clean_name
from registry.validation import check_name

DETAIL_PREFIX = "detail_"


def cleaned_name(value) -> str:
    """``registry.text.clean_name`` for a form field: its refusal as the field's own error."""
    try:
        return clean_name(value)
    except ValidationError as exc:
        raise ValidationError(exc.messages) from None


class PlaceNameAddForm(forms.ModelForm):
    class Meta:
        model = PlaceName
        fields = ("name", "kind", "valid_from", "valid_to", "pinyin", "decision_document", "decision_date", "source")

    def clean_name(self):
        return cleaned_name(self.cleaned_data.get("name"))

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        if kind == "official" and not self.data.get(self.add_prefix("valid_to")):
            raise ValidationError(_("The current official name changes only by renaming the place."))
        return kind


class PlaceNameAddFormSet(ServiceCheckedFormSet):
    """The names to add: each row tried through ``place_services.name_record``, as it will be saved."""

    def try_row(self, form) -> None:
        place_services.name_record(place=self.instance, **name_record_arguments(form.cleaned_data))


def name_record_arguments(data: dict) -> dict:
    """A name row's cleaned data as ``place_services.name_record`` takes it."""
    return {
        "name": data["name"],
        "kind": data["kind"],
        "valid_from": data.get("valid_from") or "",
        "valid_to": data.get("valid_to") or "",
        "pinyin": data.get("pinyin") or "",
        "decision_document": data.get("decision_document") or "",
        "decision_date": data.get("decision_date"),
        "source": data.get("source") or "",
    }


class HeritageListingFormSet(ServiceCheckedFormSet):
    """The place's listings: each new or changed one tried through ``heritage_listing_save``.

    The trial saves a copy, so the form's own instance keeps no key from a rolled-back row."""

    def try_row(self, form) -> None:
        heritage_services.heritage_listing_save(listing=copy.copy(form.instance))


class GeometryField(forms.JSONField):
    """GeoJSON in a text box: an empty box for no geometry, not the literal ``null``.

    Surrounding white space is not part of the value (as for every other text field): a
    box holding only a line break, as a client that keeps the newline after ``<textarea>``
    posts it, is an empty box, not invalid JSON."""

    def to_python(self, value):
        return super().to_python(value.strip() if isinstance(value, str) else value)

    def bound_data(self, data, initial):
        return super().bound_data(data.strip() if isinstance(data, str) else data, initial)

    def prepare_value(self, value):
        if value is None:
            return ""
        return super().prepare_value(value)


class PlaceAdminForm(SeenVersionFormMixin, forms.ModelForm):
    """The place form, with one typed field per category detail (road width, bridge span …).

    On the add form (recording an existing name) a written source is required, and a
    name the check finds errors in is saved only once the clerk confirms it exists as
    written (SPEC: rules block new names, not the recording of the past).
    """

    # Set by PlaceAdmin.get_form when a service refused the previous attempt.
    service_refusal: ServiceRefused | None = None

    class Meta:
        model = Place
        exclude = ("details",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        adding = not self.instance.pk
        if "code" in self.fields:
            self.fields["code"].required = False
            self.fields["code"].help_text = _("Leave empty to assign the next code automatically.")
        if "name" in self.fields and adding:
            self.fields["name"].widget.attrs["autofocus"] = True
        if not adding:
            self.fields.pop("record_existing", None)
            self.fields.pop("reason", None)
        category = self.instance.category if self.instance.pk else None
        for field in detail_fields(category) if category else ():
            form_field = {int: forms.IntegerField, float: forms.FloatField}.get(field.kind, forms.CharField)
            kwargs_ = {"label": field.label, "required": False}
            if field.choices:
                form_field = forms.ChoiceField
                kwargs_["choices"] = [("", "---------")] + [(c, c) for c in field.choices]
            self.fields[DETAIL_PREFIX + field.key] = form_field(**kwargs_)
            self.initial.setdefault(DETAIL_PREFIX + field.key, (self.instance.details or {}).get(field.key))

    reason = forms.CharField(
        label=_("basis for recording (录入依据)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _(
                "Say what attests that this name exists (the source), e.g. the census record or the approval document."
            )
        },
        help_text=_(
            "Required: the source that attests this name exists on the ground, e.g. the second national "
            "place-name census, a road sign, an approval document and its number, a local gazetteer. It is "
            "kept as the official name's source and in the history."
        ),
    )
    record_existing = forms.BooleanField(
        label=_("confirm: record as it exists"),
        required=False,
        help_text=_(
            "Tick only if the name check finds errors (a duplicate, a foreign word …) and the name really is "
            "in use on the ground as written: it is then recorded as it exists, the errors kept as warnings "
            "with the place. New names go through a naming proposal."
        ),
    )

    def clean_name(self):
        return cleaned_name(self.cleaned_data.get("name"))

    def clean_reason(self):
        return " ".join((self.cleaned_data.get("reason") or "").split())

    def clean_status(self):
        status = self.cleaned_data.get("status")
        before = self.instance.status if self.instance.pk else None
        if before is None or status == before:
            return status
        if status == PlaceStatus.RETIRED:
            raise ValidationError(
                _(
                    "A place is retired (销名) through a naming proposal with the action “retire”: "
                    "its approval closes the current name. The status cannot be set to retired here."
                )
            )
        if before == PlaceStatus.RETIRED:
            raise ValidationError(
                _("A retired place is not brought back here; a name for it goes through a naming proposal.")
            )
        return status

    def clean(self):
        cleaned = super().clean()
        self.check_seen_version()
        for check in self.CHANGE_CHECKS if self.instance.pk else self.ADD_CHECKS:
            getattr(self, check)(cleaned)
        self.check_result = None
        if not self.errors and ("name" in self.changed_data or "pinyin" in self.changed_data):
            self._check_the_name(cleaned)
        self._add_service_refusal()
        return cleaned

    # What ``clean`` checks besides the name, by whether the place is being changed or recorded.
    CHANGE_CHECKS = ("_keep_details", "_require_approval_document")
    ADD_CHECKS = ("_keep_name",)

    def _keep_details(self, cleaned) -> None:
        """The category details, from their typed fields, onto the place (the name check reads them)."""
        self.instance.details = {k[len(DETAIL_PREFIX) :]: v for k, v in cleaned.items() if k.startswith(DETAIL_PREFIX)}

    def _require_approval_document(self, cleaned) -> None:
        if (
            cleaned.get("status") == PlaceStatus.ACTIVE
            and self.instance.status == PlaceStatus.PROPOSED
            and not (cleaned.get("approval_document") or "").strip()
        ):
            self.add_error(
                "approval_document",
                _(
                    "A proposed place becomes active by its naming decision: give "
                    "the approval document number (批准文号)."
                ),
            )

    def _keep_name(self, cleaned) -> None:
        """The name is valid as text: kept on the instance even if the checks reject it, or
        the model's own check would add a false "the name is empty"."""
        if cleaned.get("name"):
            self.instance.name = cleaned["name"]

    def _check_the_name(self, cleaned) -> None:
        """The name check's errors on the name (or pinyin) field, unless the clerk confirms
        that the name being recorded exists as written."""
        self.check_result = self._check(cleaned)
        errors = [f for f in self.check_result.findings if f.is_error]
        confirmed = not self.instance.pk and cleaned.get("record_existing")
        if not errors or confirmed:
            return
        field = "pinyin" if all(f.rule == "ROMANIZATION" for f in errors) else "name"
        for f in errors:
            self.add_error("pinyin" if f.rule == "ROMANIZATION" else field, finding_html(f))
        if not self.instance.pk and any(f.rule != "ROMANIZATION" for f in errors):
            self.add_error(
                "record_existing",
                _("If the name is in use on the ground exactly as written, tick this box to record it as it exists."),
            )

    def _add_service_refusal(self) -> None:
        refusal = self.service_refusal
        if refusal is None:
            return
        error = refusal.error
        if isinstance(error, StaleVersion) and self.stale_version is not None:
            return  # the form's own check has said what changed
        if hasattr(error, "error_dict") and not refusal.where:
            for field, errors in error.error_dict.items():
                messages_ = [m for e in errors for m in e.messages]
                self.add_error(field if field in self.fields else None, messages_)
        else:
            text = "；".join(error.messages)
            self.add_error(None, f"{refusal.where}：{text}" if refusal.where else text)

    def _check(self, cleaned):
        instance = self.instance
        name = cleaned.get("name") or instance.name
        category = cleaned.get("category") or instance.category
        division = cleaned.get("division") or (instance.division if instance.division_id else None)
        return check_name(
            name,
            category,
            division=division,
            place=instance if instance.pk else None,
            pinyin=cleaned.get("pinyin") or "",
            details=instance.details if instance.pk else None,
        )
