"""Admin behaviour shared by every registry model: nothing is deleted from the admin,
and the audit trail is shown, never written back.

The delete buttons and the bulk-delete action are hidden; a delete URL typed by hand
answers with a clear message instead of a bare 403. ``HistoryAdmin`` is
``SimpleHistoryAdmin`` without its revert.
"""
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from registry.models.base import DELETION_REFUSED_MESSAGE


class NoDeleteAdminMixin:
    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        self.message_user(request, DELETION_REFUSED_MESSAGE, level=messages.ERROR)
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id]))


class NoDeleteInlineMixin:
    can_delete = False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


READ_ONLY_HELP = _("Read-only: this record is kept as it was saved.")


HISTORY_READ_ONLY_MESSAGE = _("An earlier version is shown, not restored: change the record itself (its own form, "
                              "a rename or a proposal), so that the change is checked and recorded.")


class HistoryAdmin(SimpleHistoryAdmin):
    """The audit trail ("历史") of a model, shown and never written back.

    django-simple-history's version page ("<id>/history/<version>/") is a form that
    reverts the record when posted, and it asks only for the right to *view*: a user who
    may only read could rewrite a record, past the services (a name would change in
    place, without the names-history rules or an audit entry of its own). Here the page
    shows the old version and a post is refused with a message. An id or a version
    number that is not one (typed by hand) is a 404, not an error page.
    """

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_view(self, request, object_id, extra_context=None):
        self._valid_id(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._valid_id(object_id)
        if not str(version_id).isdigit():
            raise Http404
        if request.method == "POST":
            self.message_user(request, HISTORY_READ_ONLY_MESSAGE, level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _valid_id(self, object_id) -> None:
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None
