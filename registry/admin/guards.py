"""Admin behaviour shared by every registry model: nothing is deleted, nothing is restored.

The delete buttons and the bulk-delete action are hidden; a delete URL typed by hand
answers with a clear message instead of a bare 403. Records that only services write are read-only (``ReadOnlyMixin``). History is shown but never
restored from an old version (``HistoryAdmin``): a rename, a retirement or a
decision changes the registry only through the services and the naming workflow,
which keep the place's name and its names table in step; a restore would not.
The workflow's roles (the clerk, reviewer and approver groups) cannot be deleted or
renamed in the admin, since the workflow finds them by name.
"""

from django.contrib import messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import quote, unquote
from django.contrib.auth.admin import GroupAdmin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from registry.models.base import DELETION_REFUSED_MESSAGE

REVERT_REFUSED_MESSAGE = _(
    "Old versions are kept for reading and are never restored: a restore would change the name outside the "
    "naming workflow. Rename (更名) or retire (销名) through a naming proposal; correct other fields on the "
    "record's page."
)
# The roles of the naming workflow (registry/migrations/0007_workflow_groups.py); code looks them up by name.
WORKFLOW_GROUPS = ("clerk", "reviewer", "approver")


def _admin_url(opts, view: str, *args) -> str | None:
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)
    except NoReverseMatch:
        return None


class NoDeleteAdminMixin:
    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        """Say why nothing is deleted, on the record's page (or the list if there is none)."""
        self.message_user(request, DELETION_REFUSED_MESSAGE, level=messages.ERROR)
        opts = self.model._meta
        obj = self.get_object(request, unquote(object_id))
        target = None
        if obj is not None and self.has_view_or_change_permission(request, obj):
            target = _admin_url(opts, "change", quote(obj.pk))
        elif self.has_view_or_change_permission(request):
            target = _admin_url(opts, "changelist")
        return HttpResponseRedirect(target or reverse("admin:index"))


class ReadOnlyMixin:
    """Shown, never added to or changed by hand: what a service or the workflow writes (events,
    counters, the names history). For a model admin and an inline alike (``obj`` is optional)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class NoDeleteInlineMixin:
    can_delete = False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class _HistoryValues(HistoricalRecordContextHelper):
    """Changes between versions as a reader wants them: choice labels, "—" for empty, never "None"."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        if value in (None, ""):
            return "—"
        try:
            field = self.model._meta.get_field(change.field)
        except Exception:  # noqa: BLE001 - a field no longer on the model: show the stored value
            return value
        if getattr(field, "choices", None) and not isinstance(value, list):
            return dict(field.flatchoices).get(value, value)
        return value


class HistoryAdmin(SimpleHistoryAdmin):
    """The audit trail ("历史") of a model: every version listed, none restored.

    django-simple-history's version page (``<id>/history/<version>/``) is a form that
    reverts the record when posted, and it asks only for the right to *view*: a user who
    may only read could rewrite a record past the services (a name would change in place,
    the place's name and its names table would disagree, with no audit entry of its own).
    Here the versions are listed without that link, and the URL answers, for GET and POST
    alike, with a redirect to the history page and a message saying why; nothing changes.
    An id typed by hand that is not one is a 404, not an error page.
    """

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def get_historical_record_context_helper(self, request, historical_record):
        return _HistoryValues(self.model, historical_record)

    def history_view(self, request, object_id, extra_context=None):
        self._valid_id(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._valid_id(object_id)
        if not str(version_id).isdigit() or self.get_object(request, unquote(object_id)) is None:
            raise Http404
        self.message_user(request, REVERT_REFUSED_MESSAGE, level=messages.ERROR)
        opts = self.model._meta
        return HttpResponseRedirect(_admin_url(opts, "history", quote(unquote(object_id))) or reverse("admin:index"))

    def _valid_id(self, object_id) -> None:
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None


class WorkflowGroupAdmin(GroupAdmin):
    """Django's group admin, with the workflow's three roles kept: not deleted, not renamed.

    Registered (with Chinese labels) by ``registry.admin.auth.GroupAdmin``."""

    @staticmethod
    def _is_role(obj) -> bool:
        return obj is not None and obj.name in WORKFLOW_GROUPS

    def _refuse(self, request, names) -> None:
        self.message_user(
            request,
            _(
                "%(names)s: the roles of the naming workflow (clerk, reviewer, approver) cannot be deleted; change "
                "their permissions or members instead."
            )
            % {"names": "、".join(sorted(names))},
            level=messages.ERROR,
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return not self._is_role(obj) and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + ("name",) if self._is_role(obj) else fields

    def delete_view(self, request, object_id, extra_context=None):
        group = self.get_object(request, unquote(object_id))
        if self._is_role(group):
            self._refuse(request, [group.name])
            return HttpResponseRedirect(reverse("admin:auth_group_change", args=[quote(group.pk)]))
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            actions["delete_selected"] = (self._delete_selected, "delete_selected", delete_selected.short_description)
        return actions

    @staticmethod
    def _delete_selected(modeladmin, request, queryset):
        roles = list(queryset.filter(name__in=WORKFLOW_GROUPS).values_list("name", flat=True))
        if roles:
            modeladmin._refuse(request, roles)
            return None
        return delete_selected(modeladmin, request, queryset)
