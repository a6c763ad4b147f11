"""Admin for the naming workflow: a queue per role, buttons for the steps the user may
take, the checker's findings, the timeline of events, a decision page, the answers to
objections and a printable 公告.

Every write goes through ``services.proposals`` (the API uses the same), so the admin
and the API never disagree about what is allowed: a draft is corrected by its drafter
through ``proposal_update``, a step is taken through ``proposal_transition``, an
objection is answered through ``objection_respond``. Nothing else changes a proposal:
restoring an old version from the history page is not offered.
"""
from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, gettext_lazy as _

from registry.admin.filing import FilingActionMixin
from registry.admin.guards import HistoryAdmin, NoDeleteAdminMixin, NoDeleteInlineMixin
from registry.admin.step_forms import STEP_FORMS
from registry.choices import (
    HeritageLevel,
    HeritageScheme,
    ObjectionOutcome,
    ProposalAction,
    ProposalState,
    ProposalStep,
)
from registry.exceptions import RegistryError
from registry.models import Announcement, Objection, Proposal, ProposalEvent
from registry.services.proposals import (
    EDITABLE_FIELDS,
    allowed_transitions,
    can_update,
    objection_respond,
    proposal_create,
    proposal_transition,
    proposal_update,
)
from registry.romanization import romanize
from registry.validation.findings import rule_label, severity_label
from registry.workflow import STEPS

MAIN_FIELDS = ("action", "place", "name", "category", "division", "pinyin", "reason", "origin")
RECORD_FIELDS = ("drafted_by", "notice_starts_at", "notice_ends_at", "check_level", "authority", "document_number",
                 "decided_on", "decided_by", "override_reason", "rejection_reason", "filed_on", "filed_by")
# The listing's text fields on the form, each as ``heritage_<field>``.
HERITAGE_TEXT_FIELDS = ("batch", "first_recorded_name", "first_recorded_source", "evidence", "preserved_features",
                        "protection_measures", "description")
HERITAGE_FORM_FIELDS = ("heritage_scheme", "heritage_level", "heritage_batch", "heritage_era", "heritage_year",
                        "heritage_first_recorded_name", "heritage_first_recorded_source", "heritage_evidence",
                        "heritage_preserved_features", "heritage_protection_measures", "heritage_description")
BLANK = [("", "---------")]
BCE, CE = "bce", "ce"


class QueueFilter(admin.SimpleListFilter):
    """待我处理: what waits for this user's role; and the user's own drafts."""

    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("mine", _("Waiting for me")), ("drafted", _("Drafted by me"))]

    def queryset(self, request, queryset):
        user = request.user
        if self.value() == "drafted":
            return queryset.filter(drafted_by=user)
        if self.value() == "mine":
            waiting = Q(pk__in=[])
            if user.has_perm("registry.submit_proposal"):
                waiting |= Q(state=ProposalState.DRAFT, drafted_by=user)
            if user.has_perm("registry.review_proposal"):
                unanswered = Objection.objects.filter(proposal=OuterRef("pk"), response="")
                waiting |= Q(state__in=(ProposalState.SUBMITTED, ProposalState.IN_REVIEW))
                waiting |= Q(Exists(unanswered), state=ProposalState.PUBLIC_NOTICE)
            if user.has_perm("registry.decide_proposal"):
                waiting |= Q(state=ProposalState.PUBLIC_NOTICE, notice_ends_at__lte=timezone.now()) & ~Q(drafted_by=user)
            return queryset.filter(waiting)
        return queryset


class ProposalEventInline(NoDeleteInlineMixin, admin.TabularInline):
    """The timeline: each step and state by its Chinese label (the codes stay in the API)."""

    model = ProposalEvent
    fields = ("at", "transition", "from_state", "to_state", "actor", "note")
    readonly_fields = fields
    extra = 0
    verbose_name_plural = _("timeline")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ObjectionInline(NoDeleteInlineMixin, admin.TabularInline):
    model = Objection
    fields = ("received_on", "channel", "objector", "contact", "text", "answer")
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("response"))
    def answer(self, objection):
        return _answer_html(objection)


def _answer_html(objection):
    """The response with who gave it, or a link to answer (答复) while it is missing."""
    if objection.response:
        return format_html("{}<br><small>{}{}</small>", objection.response,
                           f"{objection.get_outcome_display()} · " if objection.outcome else "",
                           f"{objection.responded_by} {timezone.localtime(objection.responded_at):%Y-%m-%d %H:%M}")
    if objection.proposal.state != ProposalState.PUBLIC_NOTICE:
        return gettext("No response")
    url = reverse("admin:registry_proposal_respond", args=[objection.proposal_id, objection.pk])
    return format_html('<b style="color:#c62828">{}</b> <a class="respond-link" href="{}">{}</a>',
                       gettext("No response yet"), url, gettext("Answer"))


class ProposalForm(forms.ModelForm):
    """Drafting and correcting a proposal. A heritage listing is entered field by field
    (scheme and level as choices, the start year with 公元前 for BCE), not as JSON."""

    heritage_scheme = forms.ChoiceField(label=_("scheme"), required=False, choices=BLANK + HeritageScheme.choices)
    heritage_level = forms.ChoiceField(label=_("level"), required=False, choices=BLANK + HeritageLevel.choices)
    heritage_batch = forms.CharField(label=_("batch"), required=False, max_length=20)
    heritage_era = forms.ChoiceField(label=_("era"), required=False, initial=CE,
                                     choices=[(CE, _("CE (公元)")), (BCE, _("BCE (公元前)"))])
    heritage_year = forms.IntegerField(
        label=_("name in use since (year)"), required=False, min_value=1, max_value=9999,
        help_text=_("The year as a positive number; for a year before the common era choose BCE "
                    "(橐皋, first recorded in 484 BCE: BCE and 484). Leave empty when the sources give no year."),
        error_messages={"invalid": _("Give the year as a whole number, e.g. 484."),
                        "min_value": _("Give the year as a positive number; choose BCE for years before the common era."),
                        "max_value": _("The year cannot be later than %(limit_value)s.")},
    )
    heritage_first_recorded_name = forms.CharField(label=_("first recorded name"), required=False, max_length=100)
    heritage_first_recorded_source = forms.CharField(label=_("source of the first record"), required=False,
                                                     widget=forms.Textarea(attrs={"rows": 2}))
    heritage_evidence = forms.CharField(label=_("evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    heritage_preserved_features = forms.CharField(label=_("preserved features"), required=False,
                                                  widget=forms.Textarea(attrs={"rows": 2}))
    heritage_protection_measures = forms.CharField(label=_("protection measures"), required=False,
                                                   widget=forms.Textarea(attrs={"rows": 2}))
    heritage_description = forms.CharField(label=_("description"), required=False,
                                           widget=forms.Textarea(attrs={"rows": 2}))

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
        value = {field: data[f"heritage_{field}"].strip() for field in ("scheme", "level", *HERITAGE_TEXT_FIELDS)
                 if (data.get(f"heritage_{field}") or "").strip()}
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
        savepoint = transaction.savepoint()
        try:
            if self.instance.pk:
                proposal_update(proposal=self.instance, acting_user=self.user, **self.service_arguments())
            else:
                proposal_create(drafted_by=self.user, **self.service_arguments())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(self._form_field(field), errors)
        except RegistryError as exc:
            self.add_error(None, str(exc))
        finally:
            transaction.savepoint_rollback(savepoint)
        return cleaned

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
        arguments = {k: data.get(k) or ("" if k not in ("place", "division") else None)
                     for k in EDITABLE_FIELDS if k != "heritage"}
        arguments["heritage"] = self.heritage_value()
        return arguments


@admin.register(Proposal)
class ProposalAdmin(FilingActionMixin, NoDeleteAdminMixin, HistoryAdmin):
    list_display = ("id", "action", "subject", "state", "check_level", "drafted_by", "notice_ends_at", "created_at")
    list_filter = (QueueFilter, "state", "action")
    list_select_related = ("place", "drafted_by")
    search_fields = ("name", "place__name", "place__code", "reason", "document_number")
    autocomplete_fields = ("place", "division")
    change_form_template = "admin/registry/proposal/change_form.html"
    # The history page lists versions without links to restore them (see history_form_view).

    def get_inlines(self, request, obj):
        return [ProposalEventInline, ObjectionInline] if obj is not None else []

    @admin.display(description=_("subject"))
    def subject(self, obj) -> str:
        current = obj.place.name if obj.place_id else ""
        return f"{current} → {obj.name}" if current and obj.name and current != obj.name else (obj.name or current)

    @admin.display(description=_("heritage listing"))
    def heritage_summary(self, obj) -> str:
        return format_html_join("", "<div>{}：{}</div>", _heritage_rows(obj.heritage)) or "—"

    def _editable(self, request, obj) -> bool:
        return obj is None or can_update(obj, request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self._editable(request, obj):
            kwargs["form"] = ProposalForm
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def get_fieldsets(self, request, obj=None):
        if not self._editable(request, obj):
            return [(None, {"fields": ("action", "state", *MAIN_FIELDS[1:], "heritage_summary", *RECORD_FIELDS)})]
        heritage = (_("For “list as heritage” only"), {
            "fields": HERITAGE_FORM_FIELDS, "classes": ("heritage-fields",),
            "description": _("Fill these in only when the action is “list as heritage”."),
        })
        if obj is None:
            return [(None, {"fields": MAIN_FIELDS}), heritage]
        return [(None, {"fields": ("state", "check_level", *MAIN_FIELDS, "drafted_by")}), heritage]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if self._editable(request, obj):
            return ("state", "check_level", "drafted_by")
        return ("action", "state", *MAIN_FIELDS[1:], "heritage_summary", *RECORD_FIELDS)

    def has_add_permission(self, request):
        return request.user.has_perm("registry.submit_proposal")

    def has_change_permission(self, request, obj=None):
        """A proposal's form changes only while it is a draft, and only for its drafter;
        everyone else sees it read-only (the workflow's steps are buttons above it)."""
        if obj is not None and not can_update(obj, request.user):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            saved = proposal_update(proposal=obj, acting_user=request.user, **form.service_arguments())
        else:
            saved = proposal_create(drafted_by=request.user, **form.service_arguments())
        obj.__dict__.update({k: v for k, v in saved.__dict__.items() if not k.startswith("_")})
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        """Nothing related is saved from the form: events and objections come from the services."""

    def construct_change_message(self, request, form, formsets, add=False):
        return super().construct_change_message(request, form, [], add)

    def get_urls(self):
        extra = [
            path("<int:object_id>/transition/<str:name>/", self.admin_site.admin_view(self.transition_view),
                 name="registry_proposal_transition"),
            path("<int:object_id>/objections/<int:objection_id>/respond/",
                 self.admin_site.admin_view(self.respond_view), name="registry_proposal_respond"),
            path("<int:object_id>/announcement/", self.admin_site.admin_view(self.announcement_view),
                 name="registry_proposal_announcement"),
        ]
        return extra + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not str(object_id).isdigit():  # an id typed by hand: not found, not an error page
            raise Http404
        proposal = get_object_or_404(Proposal, pk=object_id)
        editable = self._editable(request, proposal)
        extra_context = {
            **(extra_context or {}),
            "transitions": [(name, STEPS[name].label) for name in allowed_transitions(proposal, request.user)],
            "findings": _labelled(proposal.check_findings),
            "returned": _returned(proposal),
            "has_announcement": Announcement.objects.filter(proposal=proposal).exists(),
            # A proposal changes by workflow steps, and a draft by its drafter's corrections.
            "show_save": editable, "show_save_and_continue": editable, "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _page(self, request, proposal, **context):
        """Context for the workflow's own pages: the proposal's summary, findings and objections."""
        objections = list(proposal.objections.select_related("responded_by", "proposal"))
        return {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": proposal,
            "summary": _summary(proposal), "findings": _labelled(proposal.check_findings),
            "objections": [(o, _answer_html(o)) for o in objections],
            "unanswered": sum(1 for o in objections if not o.response), **context,
        }

    def transition_view(self, request, object_id, name):
        proposal = get_object_or_404(Proposal.objects.select_related("place", "division", "drafted_by"), pk=object_id)
        step = STEPS.get(name)
        if step is None:
            messages.error(request, _("Unknown step."))
            return HttpResponseRedirect(reverse("admin:registry_proposal_change", args=[proposal.pk]))
        form = STEP_FORMS[name](request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                proposal_transition(proposal=proposal, transition=name, acting_user=request.user,
                                    **{k: v for k, v in form.cleaned_data.items() if v not in (None, "")})
            except ValidationError as exc:
                for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                    form.add_error(field if field in form.fields else None, errors)
            except RegistryError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Done: %(step)s.") % {"step": step.label})
                return HttpResponseRedirect(reverse("admin:registry_proposal_change", args=[proposal.pk]))
        context = self._page(request, proposal, form=form, step=step.label, step_name=name,
                             title=step.label, decision=step.decision)
        return TemplateResponse(request, "admin/registry/proposal/transition.html", context)

    def respond_view(self, request, object_id, objection_id):
        """答复: a reviewer's response to one objection, through ``objection_respond``."""
        proposal = get_object_or_404(Proposal.objects.select_related("place", "division"), pk=object_id)
        objection = get_object_or_404(Objection, pk=objection_id, proposal=proposal)
        initial = {"response": objection.response, "outcome": objection.outcome}
        form = RespondForm(request.POST if request.method == "POST" else None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                objection_respond(objection=objection, acting_user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except RegistryError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Done: %(step)s.") % {"step": ProposalStep.RESPOND.label})
                return HttpResponseRedirect(reverse("admin:registry_proposal_change", args=[proposal.pk]))
        context = self._page(request, proposal, form=form, objection=objection, step=ProposalStep.RESPOND.label,
                             title=ProposalStep.RESPOND.label)
        return TemplateResponse(request, "admin/registry/proposal/respond.html", context)

    def announcement_view(self, request, object_id):
        """The 公告 as the bureau prints it, in the site's language whatever the screen's."""
        announcement = get_object_or_404(Announcement.objects.select_related("proposal", "place"), proposal_id=object_id)
        return TemplateResponse(request, "registry/announcement.html", {
            "a": announcement, "lang": settings.LANGUAGE_CODE,
            "action": announcement.action or announcement.proposal.action,
            # Announcements from before numbering carried no issuer: the configured one.
            "issuer": announcement.issuing_authority or getattr(settings, "REGISTRY_ANNOUNCING_AUTHORITY", ""),
            "issued_on": announcement.issued_on or timezone.localtime(announcement.created_at).date(),
        })


def _heritage_rows(listing: dict) -> list[tuple[str, str]]:
    """The listing's fields by their Chinese labels, the year with 公元前 for BCE."""
    if not listing:
        return []
    from registry.models import HeritageListing

    rows = []
    for field, value in listing.items():
        if value in (None, ""):
            continue
        model_field = HeritageListing._meta.get_field(field)
        if field == "in_use_since":
            value = (gettext("%(year)s BCE") if value < 0 else gettext("%(year)s CE")) % {"year": abs(value)}
        elif model_field.choices:
            value = dict(model_field.flatchoices).get(value, value)
        rows.append((str(model_field.verbose_name), value))
    return rows


def _labelled(findings: list[dict]) -> list[dict]:
    """Stored findings with their rule and severity in the user's language (the code as a tooltip)."""
    return [{**f, "label": rule_label(f.get("rule", "")), "severity_label": severity_label(f.get("severity", ""))}
            for f in findings or []]


def _returned(proposal: Proposal) -> ProposalEvent | None:
    """The return for revision a draft is waiting on, if that is why it is a draft."""
    if proposal.state != ProposalState.DRAFT:
        return None
    last = proposal.events.exclude(transition=ProposalStep.UPDATE).order_by("-at", "-id").select_related("actor").first()
    return last if last and last.transition == "return_for_revision" else None


def _pinyin(proposal: Proposal) -> str:
    """The pinyin the decision gives the name: the one proposed, else the standard romanization."""
    if proposal.pinyin:
        return proposal.pinyin
    if proposal.name:
        return romanize(proposal.name, proposal.category or None).pinyin
    return proposal.place.pinyin if proposal.place_id else ""


def _summary(proposal: Proposal) -> list[tuple[str, str]]:
    """What a decision is about: action, place, current → proposed name, pinyin, reason, origin, division."""
    current = proposal.place.name if proposal.place_id else ""
    rows = [(gettext("action"), proposal.get_action_display())]
    if proposal.place_id:
        rows.append((gettext("place"), f"{proposal.place.name}（{proposal.place.code}）"))
    if proposal.action == ProposalAction.RENAME:
        rows.append((gettext("name"), f"{current} → {proposal.name}"))
    elif proposal.name:
        rows.append((gettext("proposed name"), proposal.name))
    rows += [
        (gettext("pinyin"), _pinyin(proposal)),
        (gettext("category"), proposal.get_category_display()),
        (gettext("division"), str(proposal.division.name) if proposal.division_id else ""),
        (gettext("reason"), proposal.reason),
        (gettext("origin and meaning"), proposal.origin or "—"),
        (gettext("drafted by"), str(proposal.drafted_by)),
        (gettext("check result"), proposal.get_check_level_display() or "—"),
    ]
    if proposal.notice_ends_at:
        rows.append((gettext("public notice"), "%s — %s" % (
            timezone.localtime(proposal.notice_starts_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(proposal.notice_ends_at).strftime("%Y-%m-%d %H:%M"))))
    rows += [(label, value) for label, value in _heritage_rows(proposal.heritage)]
    return rows


class RespondForm(forms.Form):
    response = forms.CharField(label=_("response"), widget=forms.Textarea(attrs={"rows": 4}))
    outcome = forms.ChoiceField(label=_("outcome"), required=False, choices=BLANK + ObjectionOutcome.choices)


@admin.register(Announcement)
class AnnouncementAdmin(NoDeleteAdminMixin, admin.ModelAdmin):
    list_display = ("number", "action", "standard_name", "old_name", "pinyin", "division_name", "authority",
                    "approved_on", "document_number", "issued_on")
    search_fields = ("standard_name", "old_name", "number", "document_number")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class _ReadOnlyAdmin(NoDeleteAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ProposalEvent)
class ProposalEventAdmin(_ReadOnlyAdmin):
    list_display = ("at", "proposal", "transition", "from_state", "to_state", "actor")
    list_filter = ("transition",)
    list_select_related = ("proposal", "actor")


class AnsweredFilter(admin.SimpleListFilter):
    title = _("response")
    parameter_name = "answered"

    def lookups(self, request, model_admin):
        return [("no", _("No response yet")), ("yes", _("Answered"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(response="")
        if self.value() == "yes":
            return queryset.exclude(response="")
        return queryset


@admin.register(Objection)
class ObjectionAdmin(_ReadOnlyAdmin):
    list_display = ("received_on", "proposal", "channel", "objector", "text", "response", "responded_by")
    list_filter = (AnsweredFilter, "channel")
    list_select_related = ("proposal", "recorded_by", "responded_by")
