"""Admin for the naming workflow: a queue per role, buttons for the steps the user may
take, the checker's findings, the timeline of events, a decision page, the answers to
objections and a printable 公告.

Every write goes through ``services.proposals`` (the API uses the same), so the admin
and the API never disagree about what is allowed: a draft is corrected by its drafter
through ``proposal_update``, a step is taken through ``proposal_transition``, an
objection is answered through ``objection_respond``. Nothing else changes a proposal:
restoring an old version from the history page is not offered.

The forms are ``proposal_forms``, what the pages show ``proposal_pages``, and the
workflow's read-only records (announcements, events, objections) ``proposal_records``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from registry.admin import maps
from registry.admin.filing import FilingActionMixin
from registry.admin.maps import LEAFLET_MEDIA
from registry.admin.guards import HistoryAdmin, NoDeleteAdminMixin, NoDeleteInlineMixin, ReadOnlyMixin
from registry.admin.proposal_forms import (
    HERITAGE_FORM_FIELDS,
    MAIN_FIELDS,
    RECORD_FIELDS,
    ProposalForm,
    RespondForm,
)
from registry.admin.proposal_pages import answer_html, heritage_rows, labelled, returned, summary
from registry.admin.service_saves import adopt
from registry.admin.step_forms import STEP_FORMS
from registry.choices import ProposalState, ProposalStep
from registry.exceptions import RegistryError
from registry.models import Announcement, Objection, Proposal, ProposalEvent
from registry.services.proposals import (
    allowed_transitions,
    can_update,
    objection_respond,
    proposal_create,
    proposal_transition,
    proposal_update,
)
from registry.workflow import STEPS


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
                waiting |= Q(state=ProposalState.PUBLIC_NOTICE, notice_ends_at__lte=timezone.now()) & ~Q(
                    drafted_by=user
                )
            return queryset.filter(waiting)
        return queryset


class ProposalEventInline(ReadOnlyMixin, NoDeleteInlineMixin, admin.TabularInline):
    """The timeline: each step and state by its Chinese label (the codes stay in the API)."""

    model = ProposalEvent
    fields = ("at", "transition", "from_state", "to_state", "actor", "note")
    readonly_fields = fields
    extra = 0
    verbose_name_plural = _("timeline")


class ObjectionInline(ReadOnlyMixin, NoDeleteInlineMixin, admin.TabularInline):
    model = Objection
    fields = ("received_on", "channel", "objector", "contact", "text", "answer")
    readonly_fields = fields
    extra = 0

    @admin.display(description=_("response"))
    def answer(self, objection):
        return answer_html(objection)


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
        return format_html_join("", "<div>{}：{}</div>", heritage_rows(obj.heritage)) or "—"

    def _editable(self, request, obj) -> bool:
        return obj is None or can_update(obj, request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self._editable(request, obj):
            kwargs["form"] = ProposalForm
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    @property
    def media(self):
        return super().media + LEAFLET_MEDIA

    @admin.display(description=_("location and neighbours"))
    def location_map(self, obj):
        """The place a rename, retirement or listing is about, among its neighbours (a naming
        proposal carries no location: its item in a naming round does)."""
        place = obj.place if obj.place_id else None
        shown = place and maps.location_map(
            name=place.name,
            longitude=place.longitude,
            latitude=place.latitude,
            geometry=place.geometry,
            leave_out=place.pk,
        )
        return shown or _("No location given.")

    def get_fieldsets(self, request, obj=None):
        if not self._editable(request, obj):
            return [
                (None, {"fields": ("action", "state", *MAIN_FIELDS[1:], "heritage_summary", *RECORD_FIELDS)}),
                (_("location and neighbours"), {"fields": ("location_map",)}),
            ]
        heritage = (
            _("For “list as heritage” only"),
            {
                "fields": HERITAGE_FORM_FIELDS,
                "classes": ("heritage-fields",),
                "description": _("Fill these in only when the action is “list as heritage”."),
            },
        )
        if obj is None:
            return [(None, {"fields": MAIN_FIELDS}), heritage]
        located = (_("location and neighbours"), {"fields": ("location_map",)})
        return [(None, {"fields": ("state", "check_level", *MAIN_FIELDS, "drafted_by")}), heritage, located]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if self._editable(request, obj):
            return ("state", "check_level", "drafted_by", "location_map")
        return ("action", "state", *MAIN_FIELDS[1:], "heritage_summary", *RECORD_FIELDS, "location_map")

    def has_add_permission(self, request):
        return request.user.has_perm("registry.submit_proposal")

    def has_change_permission(self, request, obj=None):
        """A proposal's form changes only while it is a draft, and only for its drafter;
        everyone else sees it read-only (the workflow's steps are buttons above it)."""
        if obj is not None and not can_update(obj, request.user):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # The check the form's trial made: kept by the service if still current (judged once).
        if change:
            saved = proposal_update(
                proposal=obj,
                acting_user=request.user,
                check=getattr(form, "name_check", None),
                **form.service_arguments(),
            )
        else:
            saved = proposal_create(
                drafted_by=request.user, check=getattr(form, "name_check", None), **form.service_arguments()
            )
        adopt(obj, saved)

    def save_related(self, request, form, formsets, change):
        """Nothing related is saved from the form: events and objections come from the services."""

    def construct_change_message(self, request, form, formsets, add=False):
        return super().construct_change_message(request, form, [], add)

    def get_urls(self):
        extra = [
            path(
                "<int:object_id>/transition/<str:name>/",
                self.admin_site.admin_view(self.transition_view),
                name="registry_proposal_transition",
            ),
            path(
                "<int:object_id>/objections/<int:objection_id>/respond/",
                self.admin_site.admin_view(self.respond_view),
                name="registry_proposal_respond",
            ),
            path(
                "<int:object_id>/announcement/",
                self.admin_site.admin_view(self.announcement_view),
                name="registry_proposal_announcement",
            ),
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
            "findings": labelled(proposal.check_findings),
            "returned": returned(proposal),
            "has_announcement": Announcement.objects.filter(proposal=proposal).exists(),
            # A proposal changes by workflow steps, and a draft by its drafter's corrections.
            "show_save": editable,
            "show_save_and_continue": editable,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _page(self, request, proposal, **context):
        """Context for the workflow's own pages: the proposal's summary, findings and objections."""
        objections = list(proposal.objections.select_related("responded_by", "proposal"))
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": proposal,
            "summary": summary(proposal),
            "findings": labelled(proposal.check_findings),
            "objections": [(o, answer_html(o)) for o in objections],
            "unanswered": sum(1 for o in objections if not o.response),
            **context,
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
                proposal_transition(
                    proposal=proposal,
                    transition=name,
                    acting_user=request.user,
                    **{k: v for k, v in form.cleaned_data.items() if v not in (None, "")},
                )
            except ValidationError as exc:
                for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                    form.add_error(field if field in form.fields else None, errors)
            except RegistryError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Done: %(step)s.") % {"step": step.label})
                return HttpResponseRedirect(reverse("admin:registry_proposal_change", args=[proposal.pk]))
        context = self._page(
            request, proposal, form=form, step=step.label, step_name=name, title=step.label, decision=step.decision
        )
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
        context = self._page(
            request,
            proposal,
            form=form,
            objection=objection,
            step=ProposalStep.RESPOND.label,
            title=ProposalStep.RESPOND.label,
        )
        return TemplateResponse(request, "admin/registry/proposal/respond.html", context)

    def announcement_view(self, request, object_id):
        """The 公告 as the bureau prints it, in the site's language whatever the screen's."""
        announcement = get_object_or_404(
            Announcement.objects.select_related("proposal", "place"), proposal_id=object_id
        )
        return TemplateResponse(
            request,
            "registry/announcement.html",
            {
                "a": announcement,
                "lang": settings.LANGUAGE_CODE,
                "action": announcement.action or announcement.proposal.action,
                # Announcements from before numbering carried no issuer: the configured one.
                "issuer": announcement.issuing_authority or getattr(settings, "REGISTRY_ANNOUNCING_AUTHORITY", ""),
                "issued_on": announcement.issued_on or timezone.localtime(announcement.created_at).date(),
            },
        )
