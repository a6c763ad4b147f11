"""Naming rounds (命名批次): drafted with their items, moved by one table of steps, decided once.

``round_transition`` is the only way a round changes state: it locks the round, judges
the move by ``workflow.ROUND_STEPS`` with the proposals' own rule (``proposals._refusal``:
the same states, roles and four-eyes rule), refuses a field the step does not take, runs
the step's work (``services.round_steps``) and writes one ``RoundEvent``. An item's own
steps (withdraw, defer, object) go through ``round_item_step`` by ``workflow.ITEM_STEPS``.
Items are added to a draft by its drafter (``round_item_add``), each checked as a
proposal's draft is (``drafts.draft_fields``), with its location or line geometry.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.choices import ObjectionOutcome, ProposalState
from registry.exceptions import InvalidTransition, TransitionNotAllowed
from registry.models import Objection, Round, RoundEvent, RoundItem
from registry.models.places import validate_geometry
from registry.models.rounds import ItemAction, ItemOutcome
from registry.services.places import User, _audit, _round_coordinates
from registry.services.drafts import draft_fields
from registry.services.proposals import _refusal, _refuse_unexpected, _role_refusal, _step
from registry.workflow import ITEM_STEPS, ROUND_STEPS

__all__ = [
    "ITEM_FIELDS",
    "allowed_round_transitions",
    "round_create",
    "round_item_add",
    "round_item_edit",
    "round_item_remove",
    "round_item_step",
    "round_objection_receive",
    "round_objection_respond",
    "round_transition",
]

ITEM_FIELDS = (
    "action",
    "place",
    "name",
    "category",
    "division",
    "pinyin",
    "reason",
    "origin",
    "longitude",
    "latitude",
    "geometry",
    "details",
)


@transaction.atomic
def round_create(*, title: str, drafted_by: User, organisers: str = "", authority: str = "") -> Round:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("A round needs its title.")})
    round_ = Round(
        title=title, organisers=(organisers or "").strip(), authority=(authority or "").strip(), drafted_by=drafted_by
    )
    round_.full_clean(exclude=["drafted_by"])
    _audit(round_, drafted_by, "draft")
    round_.save()
    RoundEvent.objects.create(round=round_, transition="draft", to_state=round_.state, actor=drafted_by)
    return round_


def item_fields(
    *,
    action: str,
    reason: str = "",
    place=None,
    name: str = "",
    category: str = "",
    division=None,
    pinyin: str = "",
    origin: str = "",
    longitude=None,
    latitude=None,
    geometry=None,
    details: dict | None = None,
) -> dict[str, Any]:
    """An item's model fields, judged as a proposal's draft is, plus where it lies."""
    if action not in ItemAction.values:
        raise ValidationError({"action": _("Unknown action “%(action)s”.") % {"action": str(action)[:30]}})
    fields = draft_fields(
        action=action,
        reason=reason,
        place=place,
        name=name,
        category=category,
        division=division,
        pinyin=pinyin,
        origin=origin,
        heritage=None,
    )
    fields.pop("heritage")
    spatial = {
        "longitude": longitude if longitude not in ("", None) else None,
        "latitude": latitude if latitude not in ("", None) else None,
    }
    _round_coordinates(spatial)
    if geometry:
        try:
            validate_geometry(geometry)
        except ValidationError as exc:
            raise ValidationError({"geometry": exc.messages}) from None
    if details is not None and not isinstance(details, dict):
        raise ValidationError({"details": _("Give the details as an object.")})
    return {**fields, **spatial, "geometry": geometry or None, "details": details or {}}


def _drafter_refusal(round_: Round, user) -> Exception | None:
    if round_.state != ProposalState.DRAFT:
        return InvalidTransition(
            _("Items are added to a draft round; this round is “%(state)s”.") % {"state": round_.get_state_display()}
        )
    if round_.drafted_by_id != user.pk or not user.has_perm("registry.submit_proposal"):
        return TransitionNotAllowed(_("Only the clerk who drafted a round adds its items."))
    return None


@transaction.atomic
def round_item_add(*, round_: Round, acting_user: User, **given: Any) -> RoundItem:
    """Add one item to a draft round (the items are judged together when the round is submitted)."""
    unknown = set(given) - set(ITEM_FIELDS)
    if unknown:
        raise ValidationError(_("Unexpected fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    refusal = _drafter_refusal(round_, acting_user)
    if refusal is not None:
        raise refusal
    position = (round_.items.aggregate(top=Max("position"))["top"] or 0) + 1
    item = RoundItem(round=round_, position=position, **item_fields(**given))
    item.full_clean(exclude=["round", "place", "division"])
    _audit(item, acting_user, "draft")
    item.save()
    return item


def _draft_item(item: RoundItem, user, verb: str) -> tuple[Round, RoundItem]:
    """The round and the item, locked, if ``user`` may still change the item (its draft's
    drafter, while the round is a draft and the item pending); else the refusal."""
    round_ = Round.objects.select_for_update().get(pk=item.round_id)
    item = RoundItem.objects.select_for_update(of=("self",)).select_related("place", "division").get(pk=item.pk)
    if round_.state != ProposalState.DRAFT:
        raise InvalidTransition(
            _("Items are %(verb)s only while the round is a draft; this round is “%(state)s”.")
            % {"verb": verb, "state": round_.get_state_display()}
        )
    if round_.drafted_by_id != user.pk or not user.has_perm("registry.submit_proposal"):
        raise TransitionNotAllowed(_("Only the clerk who drafted a round changes its items."))
    if item.outcome != ItemOutcome.PENDING:
        raise InvalidTransition(
            _("%(item)s is “%(outcome)s”: it is no longer changed.")
            % {"item": str(item), "outcome": item.get_outcome_display()}
        )
    item.round = round_
    return round_, item


def _recheck(round_: Round, user) -> None:
    from registry.services.round_steps import store_checks

    store_checks(round_, user=user)  # an edit or a removal changes what the other items are judged against


@transaction.atomic
def round_item_edit(*, item: RoundItem, acting_user: User, **given: Any) -> RoundItem:
    """Correct one item of a draft round (its drafter): the fields given replace the item's,
    judged as an added item is; the round's items are checked again, the change audited."""
    unknown = set(given) - set(ITEM_FIELDS)
    if unknown:
        raise ValidationError(_("Unexpected fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    round_, item = _draft_item(item, acting_user, _("edited"))
    current = {field: getattr(item, field) for field in ITEM_FIELDS}
    fields = item_fields(**{**current, **given})
    for field, value in fields.items():
        setattr(item, field, value)
    item.full_clean(exclude=["round", "place", "division"])
    _audit(item, acting_user, "update")
    item.save()
    RoundEvent.objects.create(
        round=round_,
        item=item,
        transition="update",
        from_state=item.outcome,
        to_state=item.outcome,
        actor=acting_user,
        note=", ".join(sorted(given))[:2000],
    )
    _recheck(round_, acting_user)
    item.refresh_from_db()
    return item


@transaction.atomic
def round_item_remove(*, item: RoundItem, acting_user: User, reason: str = "") -> RoundItem:
    """Take one item out of a draft round (its drafter). Nothing in the registry is deleted:
    the item stays on the round's record as withdrawn, with the reason, and the others are
    checked again without it."""
    round_, item = _draft_item(item, acting_user, _("removed"))
    item.outcome = ItemOutcome.WITHDRAWN
    item.outcome_note = ((reason or "").strip() or _("Removed from the draft by its drafter."))[:2000]
    _audit(item, acting_user, "remove")
    item.save()
    RoundEvent.objects.create(
        round=round_,
        item=item,
        transition="item_withdraw",
        from_state=ItemOutcome.PENDING,
        to_state=item.outcome,
        actor=acting_user,
        note=item.outcome_note,
    )
    _recheck(round_, acting_user)
    return item


def allowed_round_transitions(round_: Round, user) -> list[str]:
    return [name for name in ROUND_STEPS if _refusal(round_, name, user, table=ROUND_STEPS) is None]


@transaction.atomic
def round_transition(*, round_: Round, transition: str, acting_user, **data: Any) -> Round:
    """Take one step of the workflow with the whole round; see the module docstring."""
    step = _step(ROUND_STEPS, transition)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    refusal = _refusal(round_, transition, acting_user, table=ROUND_STEPS)
    if refusal is not None:
        raise refusal
    _refuse_unexpected(step, data)
    before = round_.state
    note = step.handler(round_, acting_user, **data) or ""
    round_.state = step.target
    _audit(round_, acting_user, transition)
    round_.save()
    RoundEvent.objects.create(
        round=round_,
        transition=transition,
        from_state=before,
        to_state=round_.state,
        actor=acting_user,
        note=note[:2000],
    )
    return round_


def _drafter_edits(round_: Round, step: str, user) -> bool:
    """A draft stays its drafter's to edit (SPEC "Workflow additions"): the clerk who drafted
    a round may withdraw or defer its items before submitting it, as a reviewer may later."""
    return step in ("withdraw", "defer") and _drafter_refusal(round_, user) is None


@transaction.atomic
def round_item_step(*, item: RoundItem, step: str, acting_user, **data: Any) -> RoundItem:
    """One item's own step (withdraw, defer, object), judged on the round's state."""
    return _item_take(item, step, acting_user, data, role_needed=True)


@transaction.atomic
def round_objection_receive(
    *, item: RoundItem, received_by, text: str, contact: str, objector: str = "", channel: str
) -> RoundItem:
    """A comment from the public on one item of a round under notice, recorded as its objection.

    The round's counterpart of ``proposals.objection_receive``: the sender holds no role,
    so ``received_by`` (the public site's account, with no permission) need not be a
    reviewer; every other rule of the item's “object” step holds (the round under
    notice, the item still pending, text required, not after the notice ended).
    """
    return _item_take(
        item,
        "object",
        received_by,
        {"text": text, "contact": contact, "objector": objector, "channel": channel},
        role_needed=False,
    )


def _item_take(item: RoundItem, step: str, acting_user, data: dict, *, role_needed: bool) -> RoundItem:
    table_step = _step(ITEM_STEPS, step)
    round_ = Round.objects.select_for_update().get(pk=item.round_id)
    item = RoundItem.objects.select_for_update().get(pk=item.pk)
    item.round = round_
    refusal = (
        None
        if _drafter_edits(round_, step, acting_user)
        else _refusal(round_, step, acting_user, role_needed=role_needed, table=ITEM_STEPS)
    )
    if refusal is not None:
        raise refusal
    if step == "object" and item.outcome != ItemOutcome.PENDING:
        raise InvalidTransition(
            _("%(item)s is “%(outcome)s”: it takes no objection.")
            % {"item": str(item), "outcome": item.get_outcome_display()}
        )
    _refuse_unexpected(table_step, data)
    before = item.outcome
    note = table_step.handler(item, acting_user, **data) or ""
    RoundEvent.objects.create(
        round=round_,
        item=item,
        transition=f"item_{step}",
        from_state=before,
        to_state=item.outcome,
        actor=acting_user,
        note=note[:2000],
    )
    return item


@transaction.atomic
def round_objection_respond(*, objection: Objection, response: str, acting_user: User, outcome: str = "") -> Objection:
    """The reviewer's response to an objection to a round's item, before the round's decision."""
    # Locked alone: PostgreSQL cannot lock the nullable side of the join to the item.
    objection = Objection.objects.select_for_update(of=("self",)).select_related("item").get(pk=objection.pk)
    round_ = Round.objects.select_for_update().get(pk=objection.item.round_id)
    permission = ITEM_STEPS["object"].permission
    if not acting_user.has_perm(permission):
        raise _role_refusal(_("Answer an objection"), permission)
    if round_.state != ProposalState.PUBLIC_NOTICE:
        raise InvalidTransition(
            _("Objections are answered before the decision; this round is “%(state)s”.")
            % {"state": round_.get_state_display()}
        )
    response = (response or "").strip()
    if not response:
        raise ValidationError({"response": _("Write the response to the objection.")})
    if outcome and outcome not in ObjectionOutcome.values:
        raise ValidationError({"outcome": _("Unknown outcome “%(value)s”.") % {"value": str(outcome)[:20]}})
    objection.response, objection.outcome = response[:10_000], outcome or ""
    objection.responded_by, objection.responded_at = acting_user, timezone.now()
    _audit(objection, acting_user, "respond")
    objection.save()
    RoundEvent.objects.create(
        round=round_,
        item=objection.item,
        transition="respond",
        from_state=round_.state,
        to_state=round_.state,
        actor=acting_user,
        note=response[:2000],
    )
    return objection
