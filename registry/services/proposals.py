"""The naming workflow: proposals drafted, reviewed, publicly noticed and decided.

``proposal_transition`` is the only way a proposal changes state. It locks the
proposal row, checks the move against the table of steps, ``registry.workflow.STEPS``
(a clear error naming the current and the requested state, in the user's language),
checks the user's role and the step's rule about the drafter (only the drafter submits
or withdraws; nobody decides on their own draft), refuses a field the step does not
take, hands the step's fields to the step's own function (``services.steps``) and
writes one ``ProposalEvent``. A draft, also one returned for revision, is corrected
only by its drafter through ``proposal_update`` (the name check runs again).
Objections are answered through ``objection_respond``; an approval needs every
objection answered and a decision date between the end of the notice and today.
Approval applies the change to the registry in the same transaction: the place (new,
renamed, retired), its names history, a heritage listing, the numbered announcement and
the audit trail change together or not at all.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.choices import ROLE_LABELS, ObjectionOutcome, ProposalState, ProposalStep
from registry.exceptions import InvalidTransition, TransitionNotAllowed
from registry.models import Division, Objection, Place, Proposal, ProposalEvent
from registry.services.places import User, _audit
from registry.services import drafts
from registry.services.announcements import announcement_number
from registry.services.steps import store_check, unanswered_objections
from registry.validation import CheckResult
from registry.validation.policy import join_labels
from registry.workflow import STEPS

__all__ = [
    "EDITABLE_FIELDS",
    "allowed_transitions",
    "announcement_number",
    "can_update",
    "objection_respond",
    "proposal_create",
    "proposal_transition",
    "proposal_update",
    "unanswered_objections",
]

# What a drafter may correct in a draft (the same as what a draft is created with).
EDITABLE_FIELDS = ("action", "place", "name", "category", "division", "pinyin", "reason", "origin", "heritage")


@transaction.atomic
def proposal_create(
    *,
    action: str,
    drafted_by: User,
    reason: str,
    place: Place | str | None = None,
    name: str = "",
    category: str = "",
    division: Division | str | None = None,
    pinyin: str = "",
    origin: str = "",
    heritage: dict[str, Any] | None = None,
    check: CheckResult | None = None,
) -> Proposal:
    """Draft a proposal; what it must name depends on the action.

    ``check``: the name check the caller already ran on this name (``check_name``), kept
    when it is still current (``steps.store_check``); otherwise the name is judged here."""
    fields = drafts.draft_fields(
        action=action,
        reason=reason,
        place=place,
        name=name,
        category=category,
        division=division,
        pinyin=pinyin,
        origin=origin,
        heritage=heritage,
    )
    proposal = Proposal(drafted_by=drafted_by, **fields)
    # The place and the division were just read from the database (drafts.draft_fields): their
    # existence is not checked again by a query each.
    proposal.full_clean(exclude=["drafted_by"] + [f for f in ("place", "division") if fields[f] is not None])
    store_check(proposal, check)
    _audit(proposal, drafted_by, "draft")
    proposal.save()
    ProposalEvent.objects.create(
        proposal=proposal, transition=ProposalStep.DRAFT, from_state="", to_state=proposal.state, actor=drafted_by
    )
    return proposal


def can_update(proposal: Proposal, user) -> bool:
    """May ``user`` correct ``proposal`` now (its drafter, while it is a draft)?"""
    return _update_refusal(proposal, user) is None


def _update_refusal(proposal: Proposal, user) -> Exception | None:
    if proposal.state != ProposalState.DRAFT:
        return InvalidTransition(
            _("Only a draft can be corrected; this proposal is “%(state)s”.") % {"state": proposal.get_state_display()}
        )
    if proposal.drafted_by_id != user.pk or not user.has_perm("registry.submit_proposal"):
        return TransitionNotAllowed(_("Only the clerk who drafted a proposal corrects it."))
    return None


@transaction.atomic
def proposal_update(
    *, proposal: Proposal, acting_user: User, check: CheckResult | None = None, **changes: Any
) -> Proposal:
    """Correct a draft, also one returned for revision: only its drafter does, and the
    name check runs again on what is saved (or ``check``, as in ``proposal_create``).
    Nothing changed, nothing written."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Unexpected fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    proposal = Proposal.objects.select_for_update(of=("self",)).select_related("place", "division").get(pk=proposal.pk)
    refusal = _update_refusal(proposal, acting_user)
    if refusal is not None:
        raise refusal
    current = {field: getattr(proposal, field) for field in EDITABLE_FIELDS}
    fields = drafts.draft_fields(**{**current, **changes})
    changed = [field for field, value in fields.items() if getattr(proposal, field) != value]
    if not changed:
        return proposal
    for field in changed:
        setattr(proposal, field, fields[field])
    # The place and the division were just read from the database (drafts.draft_fields): their
    # existence is not checked again by a query each.
    proposal.full_clean(exclude=["drafted_by"] + [f for f in ("place", "division") if fields[f] is not None])
    store_check(proposal, check)
    _audit(proposal, acting_user, "update")
    proposal.save()
    names = join_labels([str(Proposal._meta.get_field(field).verbose_name) for field in changed])
    ProposalEvent.objects.create(
        proposal=proposal,
        transition=ProposalStep.UPDATE,
        from_state=proposal.state,
        to_state=proposal.state,
        actor=acting_user,
        note=_("Corrected: %(fields)s") % {"fields": names},
    )
    return proposal


def allowed_transitions(proposal: Proposal, user) -> list[str]:
    """The transitions ``user`` may take on ``proposal`` now (for buttons and the API)."""
    return [name for name in STEPS if _refusal(proposal, name, user) is None]


def _role_refusal(step_label: str, permission: str) -> TransitionNotAllowed:
    return TransitionNotAllowed(
        _("You may not “%(step)s”: it needs the %(role)s role.")
        % {"step": step_label, "role": ROLE_LABELS.get(permission, permission)}
    )


def _refusal(proposal: Proposal, name: str, user, *, role_needed: bool = True, table=STEPS) -> Exception | None:
    """Why ``user`` may not take step ``name`` of ``table`` on ``proposal`` now (None: they may).

    ``table`` is the proposals' steps or a naming round's (``workflow.ROUND_STEPS``): a
    round is a subject of the same rules (states, roles, the drafter's four-eyes rule)."""
    step = table[name]
    if proposal.state not in step.sources:
        return InvalidTransition(
            _("“%(step)s” is not possible while the proposal is “%(state)s” (possible when it is: %(allowed)s).")
            % {
                "step": step.label,
                "state": proposal.get_state_display(),
                "allowed": join_labels([str(ProposalState(state).label) for state in step.sources]),
            }
        )
    if not role_needed:
        return None
    if not user.has_perm(step.permission):
        return _role_refusal(step.label, step.permission)
    drafted = proposal.drafted_by_id == user.pk
    if (step.drafter == "only" and not drafted) or (step.drafter == "not" and drafted):
        return TransitionNotAllowed(str(step.drafter_refusal))
    return None


@transaction.atomic
def proposal_transition(*, proposal: Proposal, transition: str, acting_user, **data: Any) -> Proposal:
    """Take one step of the workflow; see the module docstring."""
    return _take(proposal, transition, acting_user, data, role_needed=True)


@transaction.atomic
def objection_receive(
    *, proposal: Proposal, received_by, text: str, contact: str, objector: str = "", channel: str
) -> Proposal:
    """A comment from the public on an open notice (征求意见), recorded as an objection.

    The sender holds no role, so the account ``received_by`` (the public site's own,
    which has no permission at all) need not be a reviewer; every other rule of the
    “object” step holds: only during the notice, text required, not after the notice
    ended. The event and the audit entry name that account.
    """
    return _take(
        proposal,
        "object",
        received_by,
        {"text": text, "contact": contact, "objector": objector, "channel": channel},
        role_needed=False,
    )


def _step(table: dict, transition: Any):
    """The step named ``transition`` in a workflow table (proposals', rounds' or items'), or
    InvalidTransition naming it (cut short: the name may come from a request)."""
    step = table.get(transition) if isinstance(transition, str) else None
    if step is None:
        raise InvalidTransition(_("Unknown transition “%(transition)s”.") % {"transition": str(transition)[:30]})
    return step


def _refuse_unexpected(step, data: dict) -> None:
    """A field the step does not take is refused by name, never silently dropped."""
    unknown = set(data) - step.field_names
    if unknown:
        raise ValidationError(_("Unexpected fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})


def _take(proposal: Proposal, transition: str, acting_user, data: dict, *, role_needed: bool) -> Proposal:
    step = _step(STEPS, transition)
    proposal = Proposal.objects.select_for_update(of=("self",)).select_related("place", "division").get(pk=proposal.pk)
    refusal = _refusal(proposal, transition, acting_user, role_needed=role_needed)
    if refusal is not None:
        raise refusal
    _refuse_unexpected(step, data)
    before = proposal.state
    note = step.handler(proposal, acting_user, **data) or ""
    proposal.state = step.target
    _audit(proposal, acting_user, transition)
    proposal.save()
    ProposalEvent.objects.create(
        proposal=proposal,
        transition=transition,
        from_state=before,
        to_state=proposal.state,
        actor=acting_user,
        note=note[:2000],
    )
    return proposal


@transaction.atomic
def objection_respond(*, objection: Objection, response: str, acting_user: User, outcome: str = "") -> Objection:
    """Record the reviewer's response to an objection (答复), while the proposal awaits its
    decision; answering again replaces the response (the audit trail keeps the earlier one)."""
    proposal = Proposal.objects.select_for_update(of=("self",)).get(pk=objection.proposal_id)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    permission = STEPS["object"].permission
    if not acting_user.has_perm(permission):
        raise _role_refusal(str(ProposalStep.RESPOND.label), permission)
    if proposal.state != ProposalState.PUBLIC_NOTICE:
        raise InvalidTransition(
            _("Objections are answered before the decision; this proposal is “%(state)s”.")
            % {"state": proposal.get_state_display()}
        )
    response = (response or "").strip()
    errors = {}
    if not response:
        errors["response"] = _("Write the response to the objection.")
    if outcome and outcome not in ObjectionOutcome.values:
        errors["outcome"] = _("Unknown outcome “%(value)s”.") % {"value": str(outcome)[:20]}
    if errors:
        raise ValidationError(errors)
    objection.response, objection.outcome = response[:10_000], outcome or ""
    objection.responded_by, objection.responded_at = acting_user, timezone.now()
    _audit(objection, acting_user, "respond")
    objection.save()
    ProposalEvent.objects.create(
        proposal=proposal,
        transition=ProposalStep.RESPOND,
        from_state=proposal.state,
        to_state=proposal.state,
        actor=acting_user,
        note=(
            _("Objection of %(date)s answered: %(response)s")
            % {"date": objection.received_on.isoformat(), "response": response[:200]}
        )[:2000],
    )
    return objection
