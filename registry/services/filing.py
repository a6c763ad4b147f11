"""Filing (备案): recording that an approved name was filed with the next level up.

地名管理条例 (2022) Art. 13: within 15 days of approval the approver files the name with
the people's government one level up (or the civil-affairs department of the same
level). The registry does not file anything itself; an approver records that it was
done, with the date, so that the dashboard's deadline list (``admin/dashboard.py``)
stops showing it. The record is audited (django-simple-history, reason ``filing``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.choices import ProposalState
from registry.exceptions import InvalidTransition, TransitionNotAllowed
from registry.models import Proposal
from registry.services.places import User, _audit

DECIDE = "registry.decide_proposal"
FILING_REASON = "filing"


@transaction.atomic
def proposal_mark_filed(*, proposal: Proposal, acting_user: User, filed_on: dt.date | None = None) -> Proposal:
    """Record that ``proposal`` (approved) was filed on ``filed_on`` (default today).

    Refused, changing nothing: a user who may not decide proposals; a proposal not
    approved; one already filed (its first filing date stands); a date before the
    approval or in the future.
    """
    if not acting_user.has_perm(DECIDE):
        raise TransitionNotAllowed(_("Only an approver may record a filing (备案)."))
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != ProposalState.APPROVED:
        raise InvalidTransition(
            _("Only an approved proposal is filed (备案); #%(id)s is “%(state)s”.")
            % {"id": proposal.pk, "state": proposal.get_state_display()}
        )
    if proposal.filed_on is not None:
        raise InvalidTransition(
            _("#%(id)s was already filed (备案) on %(date)s.")
            % {"id": proposal.pk, "date": proposal.filed_on.isoformat()}
        )
    filed_on = filed_on or timezone.localdate()
    if proposal.decided_on and filed_on < proposal.decided_on:
        raise ValidationError(
            {
                "filed_on": _("The filing date %(date)s is before the approval (%(decided)s).")
                % {"date": filed_on.isoformat(), "decided": proposal.decided_on.isoformat()}
            }
        )
    if filed_on > timezone.localdate():
        raise ValidationError(
            {"filed_on": _("The filing date %(date)s is in the future.") % {"date": filed_on.isoformat()}}
        )
    proposal.filed_on, proposal.filed_by = filed_on, acting_user
    _audit(proposal, acting_user, FILING_REASON)
    proposal.save(update_fields=["filed_on", "filed_by", "updated_at"])
    return proposal
