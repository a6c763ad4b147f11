"""An approved proposal's change to the registry, inside the approval's transaction.

Naming creates the place, renaming renames it (the old name kept in its history) and
records the approval, retiring retires it, listing adds the heritage listing; each
through the place or heritage services, so romanization, codes, history and the audit
trail are the same as for any other write. A round's items have their own
(``round_apply``), which applies many together.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from registry.choices import ProposalAction
from registry.models import Place, Proposal
from registry.services import heritage as heritage_services
from registry.services import places as place_services


def apply(proposal: Proposal, user, *, announced_on: dt.date) -> Place:
    """Make the approved change in the registry; the place it is about, new or changed."""
    approval = {
        "approval_authority": proposal.authority,
        "approval_date": proposal.decided_on,
        "approval_document": proposal.document_number,
        "announcement_date": announced_on,
    }
    if proposal.action == ProposalAction.NAME:
        return place_services.place_create(
            name=proposal.name,
            category=proposal.category,
            division=proposal.division,
            pinyin=proposal.pinyin,
            acting_user=user,
            named_on=proposal.decided_on,
            decision_document=proposal.document_number,
            decision_date=proposal.decided_on,
            origin=proposal.origin,
            **approval,
        )
    if proposal.action == ProposalAction.RENAME:
        return _rename(proposal, user, approval)
    if proposal.action == ProposalAction.RETIRE:
        return place_services.place_retire(
            place=proposal.place,
            effective=proposal.decided_on,
            acting_user=user,
            decision_document=proposal.document_number,
            decision_date=proposal.decided_on,
        )
    return _list_heritage(proposal, user)


def _rename(proposal: Proposal, user, approval: dict) -> Place:
    place = place_services.place_rename(
        place=proposal.place,
        new_name=proposal.name,
        effective=proposal.decided_on,
        acting_user=user,
        pinyin=proposal.pinyin,
        decision_document=proposal.document_number,
        decision_date=proposal.decided_on,
    )
    return place_services.place_update(
        place=place,
        acting_user=user,
        reason="approval",
        **approval,
        **({"origin": proposal.origin} if proposal.origin else {}),
    )


def _list_heritage(proposal: Proposal, user) -> Place:
    heritage_services.heritage_listing_create(
        place=proposal.place,
        acting_user=user,
        status="listed",
        listed_on=proposal.decided_on.isoformat(),
        authority=proposal.authority,
        document_number=proposal.document_number,
        notice_start=timezone.localdate(proposal.notice_starts_at) if proposal.notice_starts_at else None,
        notice_end=timezone.localdate(proposal.notice_ends_at) if proposal.notice_ends_at else None,
        **proposal.heritage,
    )
    return proposal.place
