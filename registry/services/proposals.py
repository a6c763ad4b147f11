"""The naming workflow: proposals drafted, reviewed, publicly noticed and decided.

``proposal_transition`` is the only way a proposal changes state. It locks the
proposal row, checks the move against ``choices.TRANSITIONS`` (a clear error naming the
current and the requested state), checks the user's role and the rule that nobody
decides on their own draft, and writes one ``ProposalEvent``. Approval applies the
change to the registry in the same transaction: the place (new, renamed, retired),
its names history, a heritage listing, the announcement and the audit trail change
together or not at all.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry import revisions
from registry.choices import TRANSITIONS, ProposalAction, ProposalState
from registry.exceptions import Conflict, InvalidTransition, TransitionNotAllowed
from registry.models import Announcement, Division, Objection, Place, Proposal, ProposalEvent
from registry.services import heritage as heritage_services
from registry.services import places as place_services
from registry.services.places import User, _audit
from registry.text import clean_name
from registry.validation import check_name, heritage_findings

HERITAGE_FIELDS = frozenset({
    "scheme", "level", "batch", "in_use_since", "first_recorded_name", "first_recorded_source", "evidence",
    "preserved_features", "protection_measures", "description",
})


def _check(proposal: Proposal):
    """The name check this proposal needs (none for retiring or listing)."""
    if proposal.action in (ProposalAction.NAME, ProposalAction.RENAME):
        category = proposal.category or (proposal.place.category if proposal.place_id else "")
        return check_name(proposal.name, category, division=proposal.division or (proposal.place.division if proposal.place_id else None),
                          place=proposal.place if proposal.action == ProposalAction.RENAME else None,
                          pinyin=proposal.pinyin)
    return None


def _store_check(proposal: Proposal) -> list:
    """Run the check and keep its findings on the proposal; heritage protection included."""
    findings = []
    result = _check(proposal)
    if result is not None:
        findings = list(result.findings)
    elif proposal.action == ProposalAction.RETIRE and proposal.place_id:
        findings = heritage_findings(proposal.place)
    proposal.check_findings = [f.as_dict() for f in findings]
    proposal.check_level = "error" if any(f.is_error for f in findings) else ("warning" if findings else "")
    return findings


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
) -> Proposal:
    """Draft a proposal; what it must name depends on the action."""
    if action not in ProposalAction.values:
        raise ValidationError({"action": _("Unknown action “%(action)s”.") % {"action": str(action)[:30]}})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the name is proposed (the reason).")})
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
    place = place or None
    division = division or None
    errors: dict[str, str] = {}
    if action == ProposalAction.NAME:
        if not name:
            errors["name"] = _("A new place needs a proposed name.")
        if not category:
            errors["category"] = _("A new place needs a category.")
        if division is None:
            errors["division"] = _("A new place needs a division.")
    else:
        if place is None:
            errors["place"] = _("Say which place (its code) the proposal is about.")
        elif place.status == "retired":
            errors["place"] = _("%(name)s is retired.") % {"name": place.name}
    if action == ProposalAction.RENAME and not name:
        errors["name"] = _("A rename needs the new name.")
    heritage = dict(heritage or {})
    if action == ProposalAction.LIST_HERITAGE:
        unknown = set(heritage) - HERITAGE_FIELDS
        if unknown:
            errors["heritage"] = _("Unknown heritage fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        elif not heritage.get("scheme") or not heritage.get("level"):
            errors["heritage"] = _("A heritage listing needs its scheme and level.")
    if errors:
        raise ValidationError(errors)
    proposal = Proposal(
        action=action, drafted_by=drafted_by, reason=reason.strip(), place=place,
        name=clean_name(name) if name else "", category=category or (place.category if place else ""),
        division=division or (place.division if place and action != ProposalAction.NAME else None),
        pinyin=(pinyin or "").strip(), origin=origin, heritage=heritage,
    )
    if action == ProposalAction.LIST_HERITAGE:
        # Validate the listing now (the 1,000-year rule among others), not only at approval.
        from registry.models import HeritageListing

        HeritageListing(place=place, status="candidate", **heritage).full_clean(exclude=["place"])
    proposal.full_clean(exclude=["drafted_by"])
    _store_check(proposal)
    _audit(proposal, drafted_by, "draft")
    proposal.save()
    ProposalEvent.objects.create(proposal=proposal, transition="draft", from_state="", to_state=proposal.state,
                                 actor=drafted_by)
    return proposal


def allowed_transitions(proposal: Proposal, user) -> list[str]:
    """The transitions ``user`` may take on ``proposal`` now (for buttons and the API)."""
    return [name for name in TRANSITIONS if _refusal(proposal, name, user) is None]


def _refusal(proposal: Proposal, name: str, user) -> Exception | None:
    sources, _target, permission = TRANSITIONS[name]
    if proposal.state not in sources:
        return InvalidTransition(
            _("“%(transition)s” is not possible from state “%(state)s” (allowed from: %(allowed)s).")
            % {"transition": name, "state": proposal.state, "allowed": ", ".join(sources)}
        )
    if not user.has_perm(permission):
        return TransitionNotAllowed(
            _("You may not “%(transition)s” (it needs the permission %(permission)s).")
            % {"transition": name, "permission": permission}
        )
    if name in ("approve", "reject") and proposal.drafted_by_id == user.pk:
        return TransitionNotAllowed(_("Nobody decides on a proposal they drafted."))
    if name == "withdraw" and proposal.drafted_by_id != user.pk:
        return TransitionNotAllowed(_("Only the clerk who drafted a proposal withdraws it."))
    return None


@transaction.atomic
def proposal_transition(*, proposal: Proposal, transition: str, acting_user, **data: Any) -> Proposal:
    """Take one step of the workflow; see the module docstring."""
    if transition not in TRANSITIONS:
        raise InvalidTransition(_("Unknown transition “%(transition)s”.") % {"transition": str(transition)[:30]})
    proposal = Proposal.objects.select_for_update(of=("self",)).select_related("place", "division").get(pk=proposal.pk)
    refusal = _refusal(proposal, transition, acting_user)
    if refusal is not None:
        raise refusal
    before = proposal.state
    note = ""
    step = globals()[f"_{transition}"]
    note = step(proposal, acting_user, **data) or ""
    proposal.state = TRANSITIONS[transition][1]
    _audit(proposal, acting_user, transition)
    proposal.save()
    ProposalEvent.objects.create(proposal=proposal, transition=transition, from_state=before,
                                 to_state=proposal.state, actor=acting_user, note=note[:2000])
    return proposal


def _no_extra(data: dict, allowed: set[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError(_("Unexpected fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})


def _submit(proposal: Proposal, user, **data) -> str:
    _no_extra(data, set())
    _store_check(proposal)
    return proposal.check_level and _("Check: %(level)s") % {"level": proposal.check_level}


def _start_review(proposal: Proposal, user, **data) -> str:
    _no_extra(data, set())
    return ""


def _start_notice(proposal: Proposal, user, days: Any = None, **data) -> str:
    _no_extra(data, set())
    if days in (None, ""):
        days = settings.REGISTRY_NOTICE_DAYS
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise ValidationError({"days": _("The notice length must be a whole number of days.")}) from None
    if not 0 <= days <= 365:
        raise ValidationError({"days": _("The notice lasts 0 to 365 days; got %(days)s.") % {"days": days}})
    now = timezone.now()
    proposal.notice_starts_at = now
    proposal.notice_ends_at = now + dt.timedelta(days=days)
    return _("Public notice for %(days)s days") % {"days": days}


def _object(proposal: Proposal, user, text: str = "", **data) -> str:
    _no_extra(data, set())
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("An objection needs its text.")})
    Objection.objects.create(proposal=proposal, text=text[:10_000], recorded_by=user)
    return _("Objection recorded: %(text)s") % {"text": text[:200]}


def _reject(proposal: Proposal, user, reason: str = "", **data) -> str:
    _no_extra(data, set())
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("A rejection needs its reason.")})
    proposal.rejection_reason = reason
    proposal.decided_by = user
    proposal.decided_on = timezone.localdate()
    return reason


def _withdraw(proposal: Proposal, user, **data) -> str:
    _no_extra(data, {"reason"})
    return data.get("reason", "")


def _approve(proposal: Proposal, user, authority: str = "", document_number: str = "",
             decided_on: dt.date | str | None = None, override_reason: str = "", **data) -> str:
    _no_extra(data, set())
    errors = {}
    if not (authority or "").strip():
        errors["authority"] = _("An approval names the approving authority.")
    if not (document_number or "").strip():
        errors["document_number"] = _("An approval carries its document number (批准文号).")
    if isinstance(decided_on, str) and decided_on:
        try:
            decided_on = dt.date.fromisoformat(decided_on)
        except ValueError:
            errors["decided_on"] = _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": decided_on[:20]}
    if not decided_on and "decided_on" not in errors:
        errors["decided_on"] = _("An approval carries its date.")
    if errors:
        raise ValidationError(errors)
    if proposal.notice_ends_at and timezone.now() < proposal.notice_ends_at:
        raise InvalidTransition(_("The public notice runs until %(end)s; a decision comes after it ends.")
                                % {"end": timezone.localtime(proposal.notice_ends_at).strftime("%Y-%m-%d %H:%M")})
    # Take the registry's write lock before judging, so that two approvals of the same
    # name in one scope are judged one after the other: the second sees the first.
    revisions.bump("places")
    findings = _store_check(proposal)
    protected = [f for f in findings if f.rule == "HERITAGE_PROTECTED"]
    if protected and proposal.action in (ProposalAction.RENAME, ProposalAction.RETIRE):
        raise Conflict(_("Record the heritage protection measures before renaming or retiring a listed name: %(msg)s")
                       % {"msg": protected[0].message})
    blocking = [f for f in findings if f.is_error]
    if blocking and not (override_reason or "").strip():
        raise Conflict(_("The name check has errors (%(rules)s); approving needs a written override reason.")
                       % {"rules": ", ".join(sorted({f.rule for f in blocking}))})
    proposal.authority, proposal.document_number = authority.strip(), document_number.strip()
    proposal.decided_on, proposal.decided_by = decided_on, user
    proposal.override_reason = (override_reason or "").strip()
    place = _apply(proposal, user)
    proposal.place = place
    Announcement.objects.create(
        proposal=proposal, place=place, standard_name=place.name, pinyin=place.pinyin,
        division_name=place.division.name, location=_location(place),
        authority=proposal.authority, approved_on=decided_on, document_number=proposal.document_number,
    )
    return proposal.override_reason and _("Override: %(reason)s") % {"reason": proposal.override_reason}


def _location(place: Place) -> str:
    parts = [place.division.name]
    if place.details.get("start") and place.details.get("end"):
        parts.append(_("from %(start)s to %(end)s") % place.details)
    if place.longitude is not None:
        parts.append(f"{place.longitude}, {place.latitude}")
    return "，".join(parts)


def _apply(proposal: Proposal, user) -> Place:
    """Make the approved change in the registry (inside the approval's transaction)."""
    approval = {"approval_authority": proposal.authority, "approval_date": proposal.decided_on,
                "approval_document": proposal.document_number}
    if proposal.action == ProposalAction.NAME:
        return place_services.place_create(
            name=proposal.name, category=proposal.category, division=proposal.division, pinyin=proposal.pinyin,
            acting_user=user, named_on=proposal.decided_on, decision_document=proposal.document_number,
            decision_date=proposal.decided_on, origin=proposal.origin, **approval,
        )
    place = proposal.place
    if proposal.action == ProposalAction.RENAME:
        place = place_services.place_rename(
            place=place, new_name=proposal.name, effective=proposal.decided_on, acting_user=user,
            pinyin=proposal.pinyin, decision_document=proposal.document_number, decision_date=proposal.decided_on,
        )
        return place_services.place_update(place=place, acting_user=user, reason="approval", **approval,
                                           **({"origin": proposal.origin} if proposal.origin else {}))
    if proposal.action == ProposalAction.RETIRE:
        return place_services.place_retire(place=place, effective=proposal.decided_on, acting_user=user,
                                           decision_document=proposal.document_number,
                                           decision_date=proposal.decided_on)
    heritage_services.heritage_listing_create(
        place=place, acting_user=user, status="listed", listed_on=proposal.decided_on.isoformat(),
        authority=proposal.authority, document_number=proposal.document_number,
        notice_start=proposal.notice_starts_at.date() if proposal.notice_starts_at else None,
        notice_end=proposal.notice_ends_at.date() if proposal.notice_ends_at else None,
        **proposal.heritage,
    )
    return place
