"""The forms of the naming workflow: drafting or correcting a proposal, answering an objection.

``ProposalForm`` checks a draft by trying it through the service itself
(``proposal_create`` or ``proposal_update``) in a transaction that is rolled back, so the
rules live in one place and every refusal shows on the form before it is accepted. The
name check that trial made is kept (``name_check``) and handed to the real save as
``check=``: the service keeps it while the registry and the word lists are unchanged, so
a proposed name is judged once per save (``validation.judged``). A heritage listing is
entered field by field, not as JSON.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from registry.admin.service_saves import tried
from registry.choices import HeritageLevel, HeritageScheme, ObjectionOutcome, ProposalAction
from registry.exceptions import RegistryError
from registry.models import Proposal
from registry.services.proposals import EDITABLE_FIELDS, proposal_create, proposal_update

MAIN_FIELDS = ("action", "place", "name", "category", "division", "pinyin", "reason", "origin")
RECORD_FIELDS = (
    "drafted_by",
    "notice_starts_at",
    "notice_ends_at",
    "check_level",
    "authority",
    "document_number",
    "decided_on",
    "decided_by",
    "override_reason",
    "rejection_reason",
    "filed_on",
    "filed_by",
)
# The listing's text fields on the form, each as ``heritage_<field>``.
HERITAGE_TEXT_FIELDS = (
    "batch",
    "first_recorded_name",
    "first_recorded_source",
    "evidence",
    "preserved_features",
    "protection_measures",
    "description",
)
HERITAGE_FORM_FIELDS = (
    "heritage_scheme",
    "heritage_level",
    "heritage_batch",
    "heritage_era",
    "heritage_year",
    "heritage_first_recorded_name",
    "heritage_first_recorded_source",
    "heritage_evidence",
    "heritage_preserved_features",
    "heritage_protection_measures",
    "heritage_description",
)
BLANK = [("", "---------")]
BCE, CE = "bce", "ce"


class ProposalForm(forms.ModelForm):
    """Drafting and correcting a proposal. A heritage listing is entered field by field
    (scheme and level as choices, the start year with 公元前 for BCE), not as JSON."""

    heritage_scheme = forms.ChoiceField(label=_("scheme"), required=False, choices=BLANK + HeritageScheme.choices)
    heritage_level = forms.ChoiceField(label=_("level"), required=False, choices=BLANK + HeritageLevel.choices)
    heritage_batch = forms.CharField(label=_("batch"), required=False, max_length=20)
    heritage_era = forms.ChoiceField(
        label=_("era"), required=False, initial=CE, choices=[(CE, _("CE (公元)")), (BCE, _("BCE (公元前)"))]
    )
    heritage_year = forms.IntegerField(
        label=_("name in use since (year)"),
        required=False,
        min_value=1,
        max_value=9999,
        help_text=_(
            "The year as a positive number; for a year before the common era choose BCE "
            "(橐皋, first recorded in 484 BCE: BCE and 484). Leave empty when the sources give no year."
        ),
        error_messages={
            "invalid": _("Give the year as a whole number, e.g. 484."),
            "min_value": _("Give the year as a positive number; choose BCE for years before the common era."),
            "max_value": _("The year cannot be later than %(limit_value)s."),
        },
    )
    heritage_first_recorded_name = forms.CharField(label=_("first recorded name"), required=False, max_length=100)
    heritage_first_recorded_source = forms.CharField(
        label=_("source of the first record"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    heritage_evidence = forms.CharField(label=_("evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    heritage_preserved_features = forms.CharField(
        label=_("preserved features"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    heritage_protection_measures = forms.CharField(
        label=_("protection measures"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    heritage_description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = Proposal
        fields = MAIN_FIELDS

    class Media:
        js = ("registry/proposal_form.js",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        listing = self.instance.heritage if self.instance.pk else {}
        for field in ("scheme", "level", *HERITAGE_TEXT_FIELDS):
            if f"heritage_{field}" in self.fields and listing.get(field):
                self.initial[f"heritage_{field}"] = listing[field]
        year = listing.get("in_use_since")
        if isinstance(year, int) and year:
            self.initial["heritage_year"], self.initial["heritage_era"] = abs(year), BCE if year < 0 else CE

    def heritage_value(self) -> dict:
        """The listing as the service takes it (only for “list as heritage”)."""
        data = self.cleaned_data
        if data.get("action") != ProposalAction.LIST_HERITAGE:
            return {}
        value = {
            field: data[f"heritage_{field}"].strip()
            for field in ("scheme", "level", *HERITAGE_TEXT_FIELDS)
            if (data.get(f"heritage_{field}") or "").strip()
        }
        if data.get("heritage_year"):
            value["in_use_since"] = -data["heritage_year"] if data.get("heritage_era") == BCE else data["heritage_year"]
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == ProposalAction.LIST_HERITAGE:
            if not cleaned.get("heritage_scheme"):
                self.add_error("heritage_scheme", _("Choose the heritage scheme (e.g. thousand-year town)."))
            if not cleaned.get("heritage_level"):
                self.add_error("heritage_level", _("Choose the heritage level."))
        if self.errors:
            return cleaned
        # Validate through the service itself (then roll back): the rules live in one place.
        try:
            tried(self._try_service)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(self._form_field(field), errors)
        except RegistryError as exc:
            self.add_error(None, str(exc))
        return cleaned

    name_check = None  # the name check the trial made (a CheckResult), for the real save's ``check=``

    def _try_service(self) -> None:
        if self.instance.pk:
            tried_proposal = proposal_update(proposal=self.instance, acting_user=self.user, **self.service_arguments())
        else:
            tried_proposal = proposal_create(drafted_by=self.user, **self.service_arguments())
        self.name_check = getattr(tried_proposal, "name_check", None)

    def _form_field(self, field: str) -> str | None:
        """The form field a service error belongs to (the listing's own fields included)."""
        if field in self.fields:
            return field
        if field == "in_use_since":
            return "heritage_year"
        if f"heritage_{field}" in self.fields:
            return f"heritage_{field}"
        return None

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {
            k: data.get(k) or ("" if k not in ("place", "division") else None)
            for k in EDITABLE_FIELDS
            if k != "heritage"
        }
        arguments["heritage"] = self.heritage_value()
        return arguments


class RespondForm(forms.Form):
    response = forms.CharField(label=_("response"), widget=forms.Textarea(attrs={"rows": 4}))
    outcome = forms.ChoiceField(label=_("outcome"), required=False, choices=BLANK + ObjectionOutcome.choices)
