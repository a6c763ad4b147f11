"""Each step of a naming round's own work, called only by ``rounds.round_transition``.

As ``services.steps`` is for a proposal: the caller has locked the round, checked the
move, the user's role and the drafter's rule (the table is ``workflow.ROUND_STEPS``) and
refused any field the step does not take. Approval judges every pending item again under
the registry's write lock, refuses (naming each item) what the policy forbids, and then
applies every approved item and issues the one announcement in the caller's transaction
(``round_apply``); a failure anywhere leaves nothing changed.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from registry import freshness
from registry.choices import CheckLevel
from registry.exceptions import Conflict, InvalidTransition
from registry.models import Objection, Round, RoundItem
from registry.models.rounds import ItemOutcome
from registry.services import place_findings, place_versions
from registry.services.places import _audit
from simple_history.utils import bulk_update_with_history
from registry.services.steps import _approval_record, _decision_date_error
from registry.validation.findings import summarize
from registry.validation.policy import enforce, join_labels
from registry.validation.round_checks import check_items, item_label
from registry.validation.similarity import pending_frozen


def pending_items(round_: Round):
    return round_.items.filter(outcome=ItemOutcome.PENDING).select_related("place__division", "division")


def judge_items(items: list) -> tuple[dict[int, list], list]:
    """Each item's findings and level set on it (not saved); (findings by number, the items changed)."""
    found = check_items(items)
    changed = []
    for item in items:
        findings = found.get(item.position, [])
        stored = [f.as_dict() for f in findings]
        level = summarize((f.rule, f.severity) for f in findings)[0] or CheckLevel.OK
        if stored != item.findings or level != item.check_level:
            item.findings, item.check_level = stored, level
            changed.append(item)
    return found, changed


def store_checks(round_: Round, items=None, user=None) -> dict[int, list]:
    """Judge the items (all pending ones unless given) and keep each one's findings and level
    (the history names ``user``, whose step made the check)."""
    items = list(pending_items(round_) if items is None else items)
    found, changed = judge_items(items)
    if changed:  # one statement and one history row per item, not a save each (a round has a thousand)
        now = timezone.now()
        for item in changed:
            item.updated_at = now
        bulk_update_with_history(
            changed,
            RoundItem,
            ["findings", "check_level", "updated_at"],
            batch_size=500,
            default_change_reason="check",
            default_user=user,
        )
    return found


def submit(round_: Round, user) -> str:
    if not round_.items.exists():
        raise ValidationError({"items": _("A round needs at least one item before it is submitted.")})
    found = store_checks(round_, user=user)
    errors = sum(1 for findings in found.values() if any(f.is_error for f in findings))
    return _("%(count)s item(s) checked, %(errors)s with errors") % {"count": len(found), "errors": errors}


def _close_items(round_: Round, user, outcome: str, note: str) -> None:
    for item in pending_items(round_):
        item.outcome, item.outcome_note = outcome, note[:2000]
        _audit(item, user, outcome)
        item.save()


def reject(round_: Round, user, reason: str = "") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("A rejection needs its reason.")})
    round_.rejection_reason, round_.decided_by, round_.decided_on = reason, user, timezone.localdate()
    _close_items(round_, user, ItemOutcome.REJECTED, reason)
    return reason


def withdraw(round_: Round, user, reason: str = "") -> str:
    _close_items(round_, user, ItemOutcome.WITHDRAWN, reason or "")
    return reason


def _item_close(item: RoundItem, user, outcome: str, reason: str) -> str:
    if item.outcome != ItemOutcome.PENDING:
        raise InvalidTransition(
            _("%(item)s is already “%(outcome)s”.")
            % {"item": item_label(item.position), "outcome": item.get_outcome_display()}
        )
    item.outcome, item.outcome_note = outcome, (reason or "").strip()[:2000]
    _audit(item, user, outcome)
    item.save()
    return item.outcome_note


def item_withdraw(item: RoundItem, user, reason: str = "") -> str:
    return _item_close(item, user, ItemOutcome.WITHDRAWN, reason)


def item_defer(item: RoundItem, user, reason: str = "") -> str:
    return _item_close(item, user, ItemOutcome.DEFERRED, reason)


def _overrides(round_: Round, given) -> dict[int, str]:
    """The approval's override reasons by item number; an unknown item is refused, named."""
    cleaned: dict[int, str] = {}
    numbers = set(round_.items.values_list("position", flat=True))
    for key, reason in dict(given or {}).items():
        try:
            number = int(key)
        except (TypeError, ValueError):
            number = None
        if number not in numbers:
            raise ValidationError({"overrides": _("The round has no item “%(item)s”.") % {"item": str(key)[:20]}})
        cleaned[number] = str(reason or "").strip()[:10_000]
    return cleaned


def _approvable(round_: Round, decided_on: dt.date) -> None:
    if round_.notice_ends_at and timezone.now() < round_.notice_ends_at:
        raise InvalidTransition(
            _("The public notice runs until %(end)s; a decision comes after it ends.")
            % {"end": timezone.localtime(round_.notice_ends_at).strftime("%Y-%m-%d %H:%M")}
        )
    date_error = _decision_date_error(round_, decided_on)
    if date_error:
        raise ValidationError({"decided_on": date_error})
    unanswered = Objection.objects.filter(item__round=round_, item__outcome=ItemOutcome.PENDING, response="").count()
    if unanswered:
        raise Conflict(
            _("%(count)s objection(s) have no response yet: answer every objection before approving.")
            % {"count": unanswered}
        )


def _judge(items: list, overrides: dict[int, str]) -> None:
    """Refuse the approval if any item's check forbids it, naming every such item."""
    found = store_checks(None, items) if items else {}
    refused = []
    for item in items:
        item.override_reason = overrides.get(item.position, item.override_reason)
        try:
            enforce(
                found.get(item.position, []),
                override_reason=item.override_reason,
                protects_heritage=item.action in ("rename", "retire"),
            )
        except Conflict as exc:
            refused.append(f"{item_label(item.position)}：{exc}")
    if refused:
        raise Conflict(_("Not approvable as it stands: %(items)s") % {"items": join_labels(refused[:20])})


def _refuse_stale(round_: Round, items: list) -> None:
    """Refuse the approval if a rename or retirement item's place was renamed since the submission."""
    submitted = round_.events.filter(transition="submit").aggregate(at=Max("at"))["at"]
    stale = place_versions.stale_round_items(items, submitted)
    if stale:
        refused = [f"{item_label(number)}：{why}" for number, why in stale]
        raise Conflict(_("Not approvable as it stands: %(items)s") % {"items": join_labels(refused[:20])})


def approve(
    round_: Round,
    user,
    authority: str = "",
    document_number: str = "",
    decided_on: dt.date | str | None = None,
    overrides: dict | None = None,
) -> str:
    """Approve the round: every pending item is approved and applied, and one announcement issued."""
    from registry.services.round_apply import apply_round

    decided_on = _approval_record(authority, document_number, decided_on)
    overrides = _overrides(round_, overrides)
    _approvable(round_, decided_on)
    freshness.lock()  # the registry's write lock: judged and applied one after the other
    items = list(pending_items(round_))
    if not items:
        raise Conflict(_("Every item of this round is withdrawn or deferred: nothing is left to approve."))
    _refuse_stale(round_, items)
    with pending_frozen():  # nothing is written while the items are judged
        _judge(items, overrides)
    round_.authority, round_.document_number = authority.strip(), document_number.strip()
    round_.decided_on, round_.decided_by = decided_on, user
    with place_findings.deferred():  # each new place's findings, judged once every item is applied
        apply_round(round_, items, user)
    overridden = sum(1 for item in items if item.override_reason)
    return _("%(count)s item(s) approved, %(overridden)s over an override") % {
        "count": len(items),
        "overridden": overridden,
    }
