"""The proposal list's action 标记已备案: record that approved names were filed (备案).

Each selected proposal goes through ``services.filing.proposal_mark_filed`` (audited);
one that cannot be marked (not approved, already filed) is named in an error message
and the others are still marked. Only approvers see the action.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from registry.exceptions import RegistryError
from registry.services.filing import DECIDE, proposal_mark_filed


@admin.action(description=_("Mark as filed (备案)"), permissions=["decide"])
def mark_filed(model_admin, request, queryset):
    marked, refused = 0, []
    for proposal in queryset.order_by("pk"):
        try:
            proposal_mark_filed(proposal=proposal, acting_user=request.user)
        except RegistryError as exc:
            refused.append(str(exc))
        else:
            marked += 1
    if marked:
        model_admin.message_user(
            request, _("%(count)d proposals marked as filed (备案).") % {"count": marked}, level=messages.SUCCESS
        )
    for message in refused:
        model_admin.message_user(request, message, level=messages.ERROR)


class FilingActionMixin:
    """Adds 标记已备案 to a proposal admin, for users who may decide proposals."""

    actions = [mark_filed]

    def has_decide_permission(self, request) -> bool:
        return request.user.has_perm(DECIDE)
