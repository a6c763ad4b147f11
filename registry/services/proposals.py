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

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.choices import ROLE_LABELS, ObjectionOutcome, ProposalAction, ProposalState, ProposalStep
from registry.exceptions import InvalidTransition, TransitionNotAllowed
from registry.models import Division, HeritageListing, Objection, Place, Proposal, ProposalEvent
from registry.services.places import User, _audit
from registry.services.steps import announcement_number, store_check, unanswered_objections
from registry.text import clean_name
from registry.validation import CheckResult
from registry.validation.policy import join_labels
from registry.workflow import STEPS

__all__ = [
    "EDITABLE_FIELDS", "HERITAGE_FIELDS", "allowed_transitions", "announcement_number", "can_update",
    "objection_respond", "proposal_create", "proposal_transition", "proposal_update", "unanswered_objections",
]

HERITAGE_FIELDS = frozenset({
    "scheme", "level", "batch", "in_use_since", "first_recorded_name", "first_recorded_source", "evidence",
    "preserved_features", "protection_measures", "description",
})
# What a drafter may correct in a draft (the same as what a draft is created with).
EDITABLE_FIELDS = ("action", "place", "name", "category", "division", "pinyin", "reason", "origin", "heritage")


@dataclass(frozen=True)
class DraftRequirement:
    """One thing a draft of an ``actions`` proposal must have: ``field`` is refused with
    ``message`` (filled in with ``params(draft)``) when ``broken(draft)``; a field already
    refused is not checked again, so the first refusal of a field is the one given."""

    actions: frozenset[str]
    field: str
    broken: Callable[[SimpleNamespace], bool]
    message: Promise
    params: Callable[[SimpleNamespace], dict] = lambda draft: {}


_NEW = frozenset({ProposalAction.NAME})
_EXISTING = frozenset(ProposalAction.values) - _NEW  # renaming, retiring and listing are about a place
# What a draft must name, by action (proposal_create, proposal_update), in the order refused.
DRAFT_REQUIREMENTS: tuple[DraftRequirement, ...] = (
    DraftRequirement(_NEW, "name", lambda d: not d.name, gettext_lazy("A new place needs a proposed name.")),
    DraftRequirement(_NEW, "category", lambda d: not d.category, gettext_lazy("A new place needs a category.")),
    DraftRequirement(_NEW, "division", lambda d: d.division is None, gettext_lazy("A new place needs a division.")),
    DraftRequirement(_EXISTING, "place", lambda d: d.place is None,
                     gettext_lazy("Say which place (its code) the proposal is about.")),
    DraftRequirement(_EXISTING, "place", lambda d: d.place.status == "retired", gettext_lazy("%(name)s is retired."),
                     lambda d: {"name": d.place.name}),
    DraftRequirement(frozenset({ProposalAction.RENAME}), "name", lambda d: not d.name,
                     gettext_lazy("A rename needs the new name.")),
    DraftRequirement(frozenset({ProposalAction.LIST_HERITAGE}), "heritage", lambda d: bool(set(d.heritage) - HERITAGE_FIELDS),
                     gettext_lazy("Unknown heritage fields: %(fields)s"),
                     lambda d: {"fields": ", ".join(sorted(set(d.heritage) - HERITAGE_FIELDS))}),
    DraftRequirement(frozenset({ProposalAction.LIST_HERITAGE}), "heritage",
                     lambda d: not d.heritage.get("scheme") or not d.heritage.get("level"),
                     gettext_lazy("A heritage listing needs its scheme and level.")),
)


def _refusals(draft: SimpleNamespace) -> dict[str, str]:
    """The fields ``DRAFT_REQUIREMENTS`` refuse in ``draft``, each with its first refusal."""
    errors: dict[str, str] = {}
    for requirement in DRAFT_REQUIREMENTS:
        if draft.action in requirement.actions and requirement.field not in errors and requirement.broken(draft):
            params = requirement.params(draft)
            errors[requirement.field] = str(requirement.message % params if params else requirement.message)
    return errors


def _resolved(place: Place | str | None, division: Division | str | None) -> tuple[Place | None, Division | None]:
    """The place and the division a draft names (by code, or as objects); an unknown code is refused."""
    if isinstance(place, str) and place:
        found = Place.objects.filter(code=place.strip().upper()).first()
        if found is None:
            raise ValidationError({"place": _("Unknown place code “%(code)s”.") % {"code": place[:40]}})
        place = found
    if isinstance(division, str) and division:
        found = Division.objects.filter(code=division.strip()).first()
        if found is None:
            raise ValidationError({"division": _("Unknown division code “%(code)s”.") % {"code": division[:20]}})
        division = found
    return place or None, division or None


def _draft_fields(
    *, action: str, reason: str, place: Place | str | None, name: str, category: str,
    division: Division | str | None, pinyin: str, origin: str, heritage: dict[str, Any] | None,
) -> dict[str, Any]:
    """The model fields of a draft, checked as drafting and correcting both need them
    (``DRAFT_REQUIREMENTS``)."""
    if action not in ProposalAction.values:
        raise ValidationError({"action": _("Unknown action “%(action)s”.") % {"action": str(action)[:30]}})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the name is proposed (the reason).")})
    place, division = _resolved(place, division)
    heritage = dict(heritage or {}) if action == ProposalAction.LIST_HERITAGE else {}
    errors = _refusals(SimpleNamespace(action=action, place=place, name=name, category=category, division=division,
                                       heritage=heritage))
    if errors:
        raise ValidationError(errors)
    if action == ProposalAction.LIST_HERITAGE:
        # Validate the listing now (the 1,000-year rule among others), not only at approval.
        HeritageListing(place=place, status="candidate", **heritage).full_clean(exclude=["place"])
    return _model_fields(action, reason, place, name, category, division, pinyin, origin, heritage)


def _model_fields(action: str, reason: str, place: Place | None, name: str, category: str, division: Division | None,
                  pinyin: str, origin: str, heritage: dict[str, Any]) -> dict[str, Any]:
    """A checked draft's fields as the model stores them (names cleaned, texts trimmed)."""
    keeps_place = place is not None and action != ProposalAction.NAME
    return {
        "action": action, "reason": reason.strip(), "place": place,
        "name": clean_name(name) if name and action in (ProposalAction.NAME, ProposalAction.RENAME) else "",
        # Renaming, retiring and listing are about an existing place: its category and division.
        "category": place.category if keeps_place else (category or ""),
        "division": place.division if keeps_place else division,
        "pinyin": (pinyin or "").strip(), "origin": (origin or "").strip(), "heritage": heritage,
    }


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
    fields = _draft_fields(action=action, reason=reason, place=place, name=name, category=category,
                           division=division, pinyin=pinyin, origin=origin, heritage=heritage)
    proposal = Proposal(drafted_by=drafted_by, **fields)
    # The place and the division were just read from the database (_draft_fields): their
    # existence is not checked again by a query each.
    proposal.full_clean(exclude=["drafted_by"] + [f for f in ("place", "division") if fields[f] is not None])
    store_check(proposal, check)
    _audit(proposal, drafted_by, "draft")
    proposal.save()
    ProposalEvent.objects.create(proposal=proposal, transition=ProposalStep.DRAFT, from_state="",
                                 to_state=proposal.state, actor=drafted_by)
    return proposal


def can_update(proposal: Proposal, user) -> bool:
    """May ``user`` correct ``proposal`` now (its drafter, while it is a draft)?"""
    return _update_refusal(proposal, user) is None


def _update_refusal(proposal: Proposal, user) -> Exception | None:
    if proposal.state != ProposalState.DRAFT:
        return InvalidTransition(_("Only a draft can be corrected; this proposal is “%(state)s”.")
                                 % {"state": proposal.get_state_display()})
    if proposal.drafted_by_id != user.pk or not user.has_perm("registry.submit_proposal"):
        return TransitionNotAllowed(_("Only the clerk who drafted a proposal corrects it."))
    return None


@transaction.atomic
def proposal_update(*, proposal: Proposal, acting_user: User, check: CheckResult | None = None,
                    **changes: Any) -> Proposal:
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
    fields = _draft_fields(**{**current, **changes})
    changed = [field for field, value in fields.items() if getattr(proposal, field) != value]
    if not changed:
        return proposal
    for field in changed:
        setattr(proposal, field, fields[field])
    # The place and the division were just read from the database (_draft_fields): their
    # existence is not checked again by a query each.
    proposal.full_clean(exclude=["drafted_by"] + [f for f in ("place", "division") if fields[f] is not None])
    store_check(proposal, check)
    _audit(proposal, acting_user, "update")
    proposal.save()
    names = join_labels([str(Proposal._meta.get_field(field).verbose_name) for field in changed])
    ProposalEvent.objects.create(proposal=proposal, transition=ProposalStep.UPDATE, from_state=proposal.state,
                                 to_state=proposal.state, actor=acting_user,
                                 note=_("Corrected: %(fields)s") % {"fields": names})
    return proposal


def allowed_transitions(proposal: Proposal, user) -> list[str]:
    """The transitions ``user`` may take on ``proposal`` now (for buttons and the API)."""
    return [name for name in STEPS if _refusal(proposal, name, user) is None]


def _role_refusal(step_label: str, permission: str) -> TransitionNotAllowed:
    return TransitionNotAllowed(_("You may not “%(step)s”: it needs the %(role)s role.")
                                % {"step": step_label, "role": ROLE_LABELS.get(permission, permission)})


def _refusal(proposal: Proposal, name: str, user, *, role_needed: bool = True, table=STEPS) -> Exception | None:
    """Why ``user`` may not take step ``name`` of ``table`` on ``proposal`` now (None: they may).

    ``table`` is the proposals' steps or a naming round's (``workflow.ROUND_STEPS``): a
    round is a subject of the same rules (states, roles, the drafter's four-eyes rule)."""
    step = table[name]
    if proposal.state not in step.sources:
        return InvalidTransition(
            _("“%(step)s” is not possible while the proposal is “%(state)s” (possible when it is: %(allowed)s).")
            % {"step": step.label, "state": proposal.get_state_display(),
               "allowed": join_labels([str(ProposalState(state).label) for state in step.sources])}
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
def objection_receive(*, proposal: Proposal, received_by, text: str, contact: str, objector: str = "",
                      channel: str) -> Proposal:
    """A comment from the public on an open notice (征求意见), recorded as an objection.

    The sender holds no role, so the account ``received_by`` (the public site's own,
    which has no permission at all) need not be a reviewer; every other rule of the
    “object” step holds: only during the notice, text required, not after the notice
    ended. The event and the audit entry name that account.
    """
    return _take(proposal, "object", received_by,
                 {"text": text, "contact": contact, "objector": objector, "channel": channel}, role_needed=False)


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
    ProposalEvent.objects.create(proposal=proposal, transition=transition, from_state=before,
                                 to_state=proposal.state, actor=acting_user, note=note[:2000])
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
        raise InvalidTransition(_("Objections are answered before the decision; this proposal is “%(state)s”.")
                                % {"state": proposal.get_state_display()})
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
        proposal=proposal, transition=ProposalStep.RESPOND, from_state=proposal.state, to_state=proposal.state,
        actor=acting_user, note=(_("Objection of %(date)s answered: %(response)s")
                                 % {"date": objection.received_on.isoformat(), "response": response[:200]})[:2000],
    )
    return objection
