"""Admin for the naming workflow: a queue per role, buttons for the steps the user may
take, the checker's findings, the timeline of events and a printable 公告.

Every step goes through ``services.proposals`` (the API uses the same), so the admin
and the API never disagree about what is allowed.
"""
from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from registry.admin.guards import NoDeleteAdminMixin, NoDeleteInlineMixin
from registry.choices import TRANSITION_LABELS, TRANSITIONS, ProposalState
from registry.exceptions import RegistryError
from registry.models import Announcement, Objection, Proposal, ProposalEvent
from registry.services.proposals import allowed_transitions, proposal_create, proposal_transition


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
                waiting |= Q(state__in=(ProposalState.SUBMITTED, ProposalState.IN_REVIEW))
            if user.has_perm("registry.decide_proposal"):
                waiting |= Q(state=ProposalState.PUBLIC_NOTICE, notice_ends_at__lte=timezone.now()) & ~Q(drafted_by=user)
            return queryset.filter(waiting)
        return queryset


class ProposalEventInline(NoDeleteInlineMixin, admin.TabularInline):
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
    fields = ("at", "text", "recorded_by")
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ProposalAddForm(forms.ModelForm):
    heritage = forms.CharField(
        label=_("heritage listing"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('For “list as heritage” only, as JSON: {"scheme": "ancient_town", "level": "provincial", '
                    '"in_use_since": -483, "first_recorded_name": "橐皋"}'),
    )

    class Meta:
        model = Proposal
        fields = ("action", "place", "name", "category", "division", "pinyin", "reason", "origin")

    def clean_heritage(self):
        raw = (self.cleaned_data.get("heritage") or "").strip()
        if not raw:
            return {}
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValidationError(_("Not valid JSON: %(error)s") % {"error": exc}) from None
        if not isinstance(value, dict):
            raise ValidationError(_("Give an object of fields."))
        return value

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        # Validate through the service itself (then roll back): the rules live in one place.
        savepoint = transaction.savepoint()
        try:
            proposal_create(drafted_by=self.user, **self.service_arguments())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        finally:
            transaction.savepoint_rollback(savepoint)
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {k: data.get(k) or ("" if k not in ("place", "division", "heritage") else None)
                for k in ("action", "place", "name", "category", "division", "pinyin", "reason", "origin", "heritage")}


@admin.register(Proposal)
class ProposalAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ("id", "action", "subject", "state", "check_level", "drafted_by", "notice_ends_at", "created_at")
    list_filter = (QueueFilter, "state", "action")
    list_select_related = ("place", "drafted_by")
    search_fields = ("name", "place__name", "place__code", "reason", "document_number")
    autocomplete_fields = ("place", "division")

    def get_inlines(self, request, obj):
        return [ProposalEventInline, ObjectionInline] if obj is not None else []
    change_form_template = "admin/registry/proposal/change_form.html"

    @admin.display(description=_("subject"))
    def subject(self, obj) -> str:
        current = obj.place.name if obj.place_id else ""
        return f"{current} → {obj.name}" if current and obj.name and current != obj.name else (obj.name or current)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ProposalAddForm
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("action", "place", "name", "category", "division", "pinyin", "reason", "origin", "heritage")
        return ("action", "state", "place", "name", "category", "division", "pinyin", "reason", "origin", "heritage",
                "drafted_by", "notice_starts_at", "notice_ends_at", "check_level", "authority", "document_number",
                "decided_on", "decided_by", "override_reason", "rejection_reason")

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj) if obj is not None else ()

    def has_add_permission(self, request):
        return request.user.has_perm("registry.submit_proposal")

    def save_model(self, request, obj, form, change):
        if change:
            return
        created = proposal_create(drafted_by=request.user, **form.service_arguments())
        obj.__dict__.update({k: v for k, v in created.__dict__.items() if not k.startswith("_")})
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def get_urls(self):
        extra = [
            path("<int:object_id>/transition/<str:name>/", self.admin_site.admin_view(self.transition_view),
                 name="registry_proposal_transition"),
            path("<int:object_id>/announcement/", self.admin_site.admin_view(self.announcement_view),
                 name="registry_proposal_announcement"),
        ]
        return extra + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        proposal = get_object_or_404(Proposal, pk=object_id)
        extra_context = {
            **(extra_context or {}),
            "transitions": [(name, TRANSITION_LABELS[name]) for name in allowed_transitions(proposal, request.user)],
            "findings": proposal.check_findings,
            "has_announcement": Announcement.objects.filter(proposal=proposal).exists(),
            # A proposal changes only by workflow steps, never by saving the form.
            "show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_view(self, request, object_id, name):
        proposal = get_object_or_404(Proposal, pk=object_id)
        if name not in TRANSITIONS:
            messages.error(request, _("Unknown step."))
            return HttpResponseRedirect(reverse("admin:registry_proposal_change", args=[proposal.pk]))
        form = TRANSITION_FORMS.get(name, forms.Form)(request.POST if request.method == "POST" else None)
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
                messages.success(request, _("Done: %(step)s.") % {"step": TRANSITION_LABELS[name]})
                return HttpResponseRedirect(reverse("admin:registry_proposal_change", args=[proposal.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "original": proposal,
                   "form": form, "step": TRANSITION_LABELS[name], "title": TRANSITION_LABELS[name]}
        return TemplateResponse(request, "admin/registry/proposal/transition.html", context)

    def announcement_view(self, request, object_id):
        announcement = get_object_or_404(Announcement, proposal_id=object_id)
        return TemplateResponse(request, "registry/announcement.html", {"a": announcement})


class NoticeForm(forms.Form):
    days = forms.IntegerField(label=_("notice days"), required=False, min_value=0, max_value=365,
                              help_text=_("Empty: the configured default (REGISTRY_NOTICE_DAYS)."))


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("objection"), widget=forms.Textarea(attrs={"rows": 4}))


class ApproveForm(forms.Form):
    authority = forms.CharField(label=_("approving authority"), initial="合肥市人民政府")
    document_number = forms.CharField(label=_("document number"))
    decided_on = forms.DateField(label=_("decided on"), initial=timezone.localdate,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    override_reason = forms.CharField(label=_("override reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                      help_text=_("Needed when the name check has errors."))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


TRANSITION_FORMS = {"start_notice": NoticeForm, "object": ObjectionForm, "approve": ApproveForm, "reject": ReasonForm}


@admin.register(Announcement)
class AnnouncementAdmin(NoDeleteAdminMixin, admin.ModelAdmin):
    list_display = ("standard_name", "pinyin", "division_name", "authority", "approved_on", "document_number")
    search_fields = ("standard_name", "document_number")

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


@admin.register(Objection)
class ObjectionAdmin(_ReadOnlyAdmin):
    list_display = ("at", "proposal", "text", "recorded_by")
    list_select_related = ("proposal", "recorded_by")
