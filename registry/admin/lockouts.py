"""登录锁定: the login lock-outs (django-axes) in the Chinese admin, for superusers only.

django-axes' own admin pages are off (``AXES_ENABLE_ADMIN = False``: English only, and
deleting a row there would lift a lock-out without an audit entry). This page lists
axes' rows of failed logins (``AccessAttempt``, one per user name, address and browser)
with what they mean: whether the row's user name or address is locked, since when and
until when (``AXES_COOLOFF_TIME``, computed in ``services.lockouts``). The action
解除锁定 lifts the lock-outs the selected rows are part of, through
``services.lockouts.lockout_lift`` (axes' reset API, audited). Nothing is added, edited
or deleted here otherwise.

Axes' app has no Chinese name of its own and its rows read "Attempted Access: <time>";
both are given Chinese here (登录安全; "clerk（127.0.0.1）"), so that the admin shows
no English heading or title.
"""

from __future__ import annotations

from axes.models import AccessAttempt
from django.apps import apps
from django.contrib import admin, messages
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from registry.admin.guards import ReadOnlyMixin
from registry.services.lockouts import USERNAME, active_lockouts, lockout_lift, lockouts_of

apps.get_app_config("axes").verbose_name = _("Login security")


def _attempt_str(attempt: AccessAttempt) -> str:
    """A row as the page's title and breadcrumbs name it (axes' own reads "Attempted Access: <time>")."""
    return str(
        _("%(username)s from %(address)s") % {"username": attempt.username or "—", "address": attempt.ip_address or "—"}
    )


AccessAttempt.__str__ = _attempt_str

LOCKED, NOT_LOCKED = "locked", "not_locked"
STATE_LABELS = {
    LOCKED: pgettext_lazy("lock-out state", "locked"),
    NOT_LOCKED: pgettext_lazy("lock-out state", "not locked"),
}


def _entrance(path: str) -> str:
    """Where the failures came from, in words (the stored path stays in the tooltip-free record)."""
    if path.startswith("/api/"):
        return str(_("API token login"))
    if path.startswith("/admin/"):
        return str(_("admin login"))
    return path


def _moment(value) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i:s") if value else admin.site.empty_value_display


class LockoutStateFilter(admin.SimpleListFilter):
    title = _("lock-out")
    parameter_name = "lockout"

    def lookups(self, request, model_admin):
        return list(STATE_LABELS.items())

    def queryset(self, request, queryset):
        if self.value() not in STATE_LABELS:
            return queryset
        locked = active_lockouts()
        q = Q(pk__in=[])
        for kind, value in locked:
            q |= Q(username=value) if kind == USERNAME else Q(ip_address=value)
        return queryset.filter(q) if self.value() == LOCKED else queryset.exclude(q)


@admin.register(AccessAttempt)
class LockoutAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "username_column",
        "address_column",
        "failures_column",
        "last_failure_column",
        "locked_column",
        "since_column",
        "until_column",
    )
    list_filter = (LockoutStateFilter,)
    search_fields = ("username", "ip_address")
    ordering = ("-attempt_time",)
    actions = ["lift_selected"]
    fields = (
        "username_column",
        "address_column",
        "entrance_column",
        "failures_column",
        "last_failure_column",
        "locked_column",
        "since_column",
        "until_column",
    )
    readonly_fields = fields

    # Only superusers see lock-outs (user names and addresses of failed logins) and lift them.
    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_lift_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # lifting goes through the audited action, never a bare delete

    def delete_view(self, request, object_id, extra_context=None):
        """A delete URL typed by hand: say how a lock-out is lifted instead (the records are axes')."""
        self.message_user(
            request,
            _(
                "Rows of failed logins are not deleted by hand: select them in the list and "
                "use the action “Lift the lock-out” (audited)."
            ),
            level=messages.ERROR,
        )
        target = "admin:axes_accessattempt_changelist" if self.has_view_permission(request) else "admin:index"
        return HttpResponseRedirect(reverse(target))

    # The lock-outs are computed once per page and put on the rows shown.
    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        locked = active_lockouts()
        for attempt in changelist.result_list:
            attempt.lockouts = lockouts_of(attempt, locked)
        return changelist

    def get_object(self, request, object_id, from_field=None):
        attempt = super().get_object(request, object_id, from_field)
        if attempt is not None:
            attempt.lockouts = lockouts_of(attempt, active_lockouts())
        return attempt

    @admin.display(description=pgettext_lazy("lock-out", "user name"), ordering="username")
    def username_column(self, obj) -> str:
        return obj.username or admin.site.empty_value_display

    @admin.display(description=pgettext_lazy("lock-out", "address"), ordering="ip_address")
    def address_column(self, obj) -> str:
        return obj.ip_address or admin.site.empty_value_display

    @admin.display(description=_("login entrance"))
    def entrance_column(self, obj) -> str:
        return _entrance(obj.path_info or "")

    @admin.display(description=_("failed logins"), ordering="failures_since_start")
    def failures_column(self, obj) -> int:
        return obj.failures_since_start

    @admin.display(description=_("latest failure"), ordering="attempt_time")
    def last_failure_column(self, obj) -> str:
        return _moment(obj.attempt_time)

    @admin.display(description=_("locked"))
    def locked_column(self, obj) -> str:
        found = getattr(obj, "lockouts", [])
        if not found:
            return str(STATE_LABELS[NOT_LOCKED])
        return "、".join(str(_("%(what)s locked") % {"what": lockout.label}) for lockout in found)

    @admin.display(description=_("locked since"))
    def since_column(self, obj) -> str:
        found = getattr(obj, "lockouts", [])
        return _moment(min(lockout.since for lockout in found)) if found else admin.site.empty_value_display

    @admin.display(description=_("locked until"))
    def until_column(self, obj) -> str:
        found = getattr(obj, "lockouts", [])
        return _moment(max(lockout.until for lockout in found)) if found else admin.site.empty_value_display

    @admin.action(description=_("Lift the lock-out"), permissions=["lift"])
    def lift_selected(self, request, queryset):
        locked = active_lockouts()
        targets = {(lockout.kind, lockout.value) for attempt in queryset for lockout in lockouts_of(attempt, locked)}
        targets = sorted(targets, key=lambda key: (key[0] != USERNAME, key))  # the user name first
        for kind, value in targets:
            lockout_lift(kind=kind, value=value, acting_user=request.user)
        if targets:
            labels = "、".join(locked[key].label for key in targets)
            self.message_user(
                request,
                _("Lock-out lifted: %(which)s. They can log in again now.") % {"which": labels},
                level=messages.SUCCESS,
            )
        else:
            self.message_user(
                request, _("None of the selected rows is locked out: nothing to lift."), level=messages.WARNING
            )
