"""Admin behaviour shared by every registry model: nothing is deleted from the admin.

The delete buttons and the bulk-delete action are hidden; a delete URL typed by hand
answers with a clear message instead of a bare 403.
"""
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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
