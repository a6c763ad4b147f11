"""The naming workflow: proposals drafted, reviewed, publicly noticed and decided.

``proposal_transition`` is the only way a proposal changes state. It locks the
proposal row, checks the move against ``choices.TRANSITIONS`` (a clear error naming the
current and the requested state, in the user's language), checks the user's role, that
only the drafter submits or withdraws a draft and that nobody decides on their own
draft, and writes one ``ProposalEvent``. A draft, also one returned for revision, is
corrected only by its drafter through ``proposal_update`` (the name check runs again).
Objections are answered through ``objection_respond``; an approval needs every
objection answered and a decision date between the end of the notice and today.
Approval applies the change to the registry in the same transaction: the place (new,
renamed, retired), its names history, a heritage listing, the numbered announcement and
the audit trail change together or not at all.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from registry import revisions
from registry.choices import (
    ROLE_LABELS,
    TRANSITION_LABELS,
    TRANSITIONS,
    CheckLevel,
    ObjectionChannel,
    ObjectionOutcome,
    ProposalAction,
    ProposalState,
    ProposalStep,
)
from registry.exceptions import Conflict, InvalidTransition, TransitionNotAllowed
from registry.models import (
    Announcement,
    CodeCounter,
    Division,
    HeritageListing,
    Objection,
    Place,
    Proposal,
    ProposalEvent,
)
from registry.services import heritage as heritage_services
from registry.services import place_versions
from registry.services import places as place_services
from registry.services.places import User, _audit
from registry.text import clean_name
from registry.validation import check_name, heritage_findings

HERITAGE_FIELDS = frozenset({
    "scheme", "level", "batch", "in_use_since", "first_recorded_name", "first_recorded_source", "evidence",
    "preserved_features", "protection_measures", "description",
})
# What a drafter may correct in a draft (the same as what a draft is created with).
EDITABLE_FIELDS = ("action", "place", "name", "category", "division", "pinyin", "reason", "origin", "heritage")


def _check(proposal: Proposal):
    """The name check this proposal needs (none for retiring or listing)."""
    if proposal.action in (ProposalAction.NAME, ProposalAction.RENAME):
        category = proposal.category or (proposal.place.category if proposal.place_id else "")
        return check_name(proposal.name, category, division=proposal.division or (proposal.place.division if proposal.place_id else None),
                          place=proposal.place if proposal.action == ProposalAction.RENAME else None,
                          pinyin=proposal.pinyin)
    return None


def _store_check(proposal: Proposal) -> list:
    """Run the check and keep its findings and its result (通过 / 有警告 / 有错误) on the proposal."""
    findings = []
    result = _check(proposal)
    if result is not None:
        findings = list(result.findings)
    elif proposal.action == ProposalAction.RETIRE and proposal.place_id:
        findings = heritage_findings(proposal.place)
    proposal.check_findings = [f.as_dict() for f in findings]
    proposal.check_level = (CheckLevel.ERROR if any(f.is_error for f in findings)
                            else CheckLevel.WARNING if findings else CheckLevel.OK)
    return findings


def _draft_fields(
    *, action: str, reason: str, place: Place | str | None, name: str, category: str,
    division: Division | str | None, pinyin: str, origin: str, heritage: dict[str, Any] | None,
) -> dict[str, Any]:
    """The model fields of a draft, checked as drafting and correcting both need them."""
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
    heritage = dict(heritage or {}) if action == ProposalAction.LIST_HERITAGE else {}
    if action == ProposalAction.LIST_HERITAGE:
        unknown = set(heritage) - HERITAGE_FIELDS
        if unknown:
            errors["heritage"] = _("Unknown heritage fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        elif not heritage.get("scheme") or not heritage.get("level"):
            errors["heritage"] = _("A heritage listing needs its scheme and level.")
    if errors:
        raise ValidationError(errors)
    if action == ProposalAction.LIST_HERITAGE:
        # Validate the listing now (the 1,000-year rule among others), not only at approval.
        HeritageListing(place=place, status="candidate", **heritage).full_clean(exclude=["place"])
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
) -> Proposal:
    """Draft a proposal; what it must name depends on the action."""
    fields = _draft_fields(action=action, reason=reason, place=place, name=name, category=category,
                           division=division, pinyin=pinyin, origin=origin, heritage=heritage)
    proposal = Proposal(drafted_by=drafted_by, **fields)
    # The place and the division were just read from the database (_draft_fields): their
    # existence is not checked again by a query each.
    proposal.full_clean(exclude=["drafted_by"] + [f for f in ("place", "division") if fields[f] is not None])
    _store_check(proposal)
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
def proposal_update(*, proposal: Proposal, acting_user: User, **changes: Any) -> Proposal:
    """Correct a draft, also one returned for revision: only its drafter does, and the
    name check runs again on what is saved. Nothing changed, nothing written."""
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
    proposal.full_clean(exclude=["drafted_by"])
    _store_check(proposal)
    _audit(proposal, acting_user, "update")
    proposal.save()
    names = _join([str(Proposal._meta.get_field(field).verbose_name) for field in changed])
    ProposalEvent.objects.create(proposal=proposal, transition=ProposalStep.UPDATE, from_state=proposal.state,
                                 to_state=proposal.state, actor=acting_user,
                                 note=_("Corrected: %(fields)s") % {"fields": names})
    return proposal


def allowed_transitions(proposal: Proposal, user) -> list[str]:
    """The transitions ``user`` may take on ``proposal`` now (for buttons and the API)."""
    return [name for name in TRANSITIONS if _refusal(proposal, name, user) is None]


def _join(items: list[str]) -> str:
    return ("、" if (translation.get_language() or "").startswith("zh") else ", ").join(items)


def _role_refusal(step_label: str, permission: str) -> TransitionNotAllowed:
    return TransitionNotAllowed(_("You may not “%(step)s”: it needs the %(role)s role.")
                                % {"step": step_label, "role": ROLE_LABELS.get(permission, permission)})


def _refusal(proposal: Proposal, name: str, user) -> Exception | None:
    step = TRANSITIONS[name]
    label = TRANSITION_LABELS[name]
    if proposal.state not in step.sources:
        return InvalidTransition(
            _("“%(step)s” is not possible while the proposal is “%(state)s” (possible when it is: %(allowed)s).")
            % {"step": label, "state": proposal.get_state_display(),
               "allowed": _join([str(ProposalState(state).label) for state in step.sources])}
        )
    if not user.has_perm(step.permission):
        return _role_refusal(label, step.permission)
    if name in ("approve", "reject") and proposal.drafted_by_id == user.pk:
        return TransitionNotAllowed(_("Nobody decides on a proposal they drafted."))
    if name == "submit" and proposal.drafted_by_id != user.pk:
        return TransitionNotAllowed(_("Only the clerk who drafted a proposal submits it."))
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
    note = STEPS[transition](proposal, acting_user, **data) or ""
    proposal.state = TRANSITIONS[transition].target
    _audit(proposal, acting_user, transition)
    proposal.save()
    ProposalEvent.objects.create(proposal=proposal, transition=transition, from_state=before,
                                 to_state=proposal.state, actor=acting_user, note=note[:2000])
    return proposal


def _no_extra(data: dict, allowed: set[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError(_("Unexpected fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})


def _date(value: dt.date | str | None, field: str) -> dt.date | None:
    """A date given as a date or as YYYY-MM-DD; a clear error naming ``field`` otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date) or value in (None, ""):
        return value or None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field: _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": str(value)[:20]}}) from None


def _submit(proposal: Proposal, user, **data) -> str:
    _no_extra(data, set())
    _store_check(proposal)
    return _("Check: %(level)s") % {"level": proposal.get_check_level_display()}


def _start_review(proposal: Proposal, user, **data) -> str:
    _no_extra(data, set())
    return ""


def _return_for_revision(proposal: Proposal, user, reason: str = "", **data) -> str:
    """Back to the drafter as a draft, with what to correct; they correct it and submit again."""
    _no_extra(data, set())
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the drafter should correct (the reason).")})
    return reason


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


def _object(proposal: Proposal, user, text: str = "", objector: str = "", channel: str = "",
            received_on: dt.date | str | None = None, contact: str = "", **data) -> str:
    """Record an objection received during the notice.

    One received after the notice ended is refused; one received within it (a letter
    posted in time, say) may be entered later, so the date that counts is ``received_on``.
    """
    _no_extra(data, set())
    text = (text or "").strip()
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _("An objection needs its text.")
    channel = channel or ObjectionChannel.OTHER
    if channel not in ObjectionChannel.values:
        errors["channel"] = _("Unknown way of receiving “%(value)s”.") % {"value": str(channel)[:20]}
    try:
        received_on = _date(received_on, "received_on") or timezone.localdate()
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    starts = timezone.localdate(proposal.notice_starts_at)
    ends = timezone.localdate(proposal.notice_ends_at)
    if received_on > today:
        raise ValidationError({"received_on": _("%(date)s lies in the future: give the day the objection was received.")
                               % {"date": received_on.isoformat()}})
    if received_on > ends:
        raise ValidationError({"received_on": _(
            "The public notice ended on %(end)s; an objection received after it (%(date)s) cannot be recorded."
        ) % {"end": ends.isoformat(), "date": received_on.isoformat()}})
    if received_on < starts:
        raise ValidationError({"received_on": _(
            "The public notice began on %(start)s; an objection received before it (%(date)s) is not one to this notice."
        ) % {"start": starts.isoformat(), "date": received_on.isoformat()}})
    objection = Objection(proposal=proposal, text=text[:10_000], objector=(objector or "").strip(), channel=channel,
                          contact=(contact or "").strip(), received_on=received_on, recorded_by=user)
    objection.full_clean(exclude=["proposal", "recorded_by"])
    _audit(objection, user, "object")
    objection.save()
    return _("Objection recorded (%(channel)s, received %(date)s): %(text)s") % {
        "channel": objection.get_channel_display(), "date": received_on.isoformat(), "text": text[:200]}


@transaction.atomic
def objection_respond(*, objection: Objection, response: str, acting_user: User, outcome: str = "") -> Objection:
    """Record the reviewer's response to an objection (答复), while the proposal awaits its
    decision; answering again replaces the response (the audit trail keeps the earlier one)."""
    proposal = Proposal.objects.select_for_update(of=("self",)).get(pk=objection.proposal_id)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    permission = TRANSITIONS["object"].permission
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


def _submitted_on(proposal: Proposal) -> dt.date | None:
    """The day of the latest submission (after a return for revision, the resubmission)."""
    event = proposal.events.filter(transition=ProposalStep.SUBMIT).order_by("-at", "-id").first()
    return timezone.localdate(event.at) if event else None


def _decision_date_error(proposal: Proposal, day: dt.date) -> str | None:
    """A decision date lies between the end of the notice (and the submission) and today:
    an earlier one would rewrite the names history, a later one hide the place until then."""
    today = timezone.localdate()
    if day > today:
        return _("%(date)s lies in the future: the decision date is today (%(today)s) or earlier.") % {
            "date": day.isoformat(), "today": today.isoformat()}
    ends = timezone.localdate(proposal.notice_ends_at) if proposal.notice_ends_at else None
    if ends and day < ends:
        return _("%(date)s comes before the public notice ended (%(end)s): the decision follows the notice.") % {
            "date": day.isoformat(), "end": ends.isoformat()}
    submitted = _submitted_on(proposal)
    if submitted and day < submitted:
        return _("%(date)s comes before the proposal was submitted (%(submitted)s).") % {
            "date": day.isoformat(), "submitted": submitted.isoformat()}
    return None


def unanswered_objections(proposal: Proposal) -> int:
    return proposal.objections.filter(response="").count()


def _approve(proposal: Proposal, user, authority: str = "", document_number: str = "",
             decided_on: dt.date | str | None = None, override_reason: str = "", **data) -> str:
    _no_extra(data, set())
    errors = {}
    if not (authority or "").strip():
        errors["authority"] = _("An approval names the approving authority.")
    if not (document_number or "").strip():
        errors["document_number"] = _("An approval carries its document number (批准文号).")
    try:
        decided_on = _date(decided_on, "decided_on")
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if not decided_on and "decided_on" not in errors:
        errors["decided_on"] = _("An approval carries its date.")
    if errors:
        raise ValidationError(errors)
    if proposal.notice_ends_at and timezone.now() < proposal.notice_ends_at:
        raise InvalidTransition(_("The public notice runs until %(end)s; a decision comes after it ends.")
                                % {"end": timezone.localtime(proposal.notice_ends_at).strftime("%Y-%m-%d %H:%M")})
    date_error = _decision_date_error(proposal, decided_on)
    if date_error:
        raise ValidationError({"decided_on": date_error})
    # Every objection gets its answer before the decision (the decision page lists them).
    unanswered = unanswered_objections(proposal)
    if unanswered:
        raise Conflict(_("%(count)s objection(s) have no response yet: answer every objection before approving.")
                       % {"count": unanswered})
    # Take the registry's write lock before judging, so that two approvals of the same
    # name in one scope are judged one after the other: the second sees the first.
    revisions.bump("places")
    stale = place_versions.stale_rename(proposal)  # the place renamed since: the proposal is about a name gone
    if stale:
        raise Conflict(stale)
    findings = _store_check(proposal)
    protected = [f for f in findings if f.rule == "HERITAGE_PROTECTED"]
    if protected and proposal.action in (ProposalAction.RENAME, ProposalAction.RETIRE):
        raise Conflict(_("Record the heritage protection measures before renaming or retiring a listed name: %(msg)s")
                       % {"msg": protected[0].message})
    blocking = [f for f in findings if f.is_error]
    if blocking and not (override_reason or "").strip():
        raise Conflict(_("The name check has errors (%(rules)s); approving needs a written override reason.")
                       % {"rules": _join(sorted({f.label for f in blocking}))})
    proposal.authority, proposal.document_number = authority.strip(), document_number.strip()
    proposal.decided_on, proposal.decided_by = decided_on, user
    proposal.override_reason = (override_reason or "").strip()
    old_name = proposal.place.name if proposal.place_id else ""
    issued_on = timezone.localdate()
    place = _apply(proposal, user, announced_on=issued_on)
    proposal.place = place
    _announce(proposal, place, old_name=old_name, issued_on=issued_on)
    return proposal.override_reason and _("Override: %(reason)s") % {"reason": proposal.override_reason}


def _announcement_serial(year: int) -> int:
    """The next announcement number of ``year``, from a locked counter: never handed out twice."""
    prefix = f"announce-{year}"
    CodeCounter.objects.get_or_create(prefix=prefix)
    counter = CodeCounter.objects.select_for_update().get(prefix=prefix)
    counter.last += 1
    while Announcement.objects.filter(year=year, serial=counter.last).exists():
        counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def announcement_number(year: int, serial: int) -> str:
    """合民地公〔2026〕第3号: the prefix from ``REGISTRY_ANNOUNCEMENT_PREFIX``."""
    prefix = getattr(settings, "REGISTRY_ANNOUNCEMENT_PREFIX", "") or "地公"
    return f"{prefix}〔{year}〕第{serial}号"


def _announce(proposal: Proposal, place: Place, *, old_name: str, issued_on: dt.date) -> Announcement:
    """The 公告 in the site's language (it is a published record, whoever's screen approved it)."""
    serial = _announcement_serial(issued_on.year)
    with translation.override(settings.LANGUAGE_CODE):
        location = _location(place)
    return Announcement.objects.create(
        proposal=proposal, place=place, action=proposal.action, standard_name=place.name,
        old_name=old_name if proposal.action == ProposalAction.RENAME else "",
        pinyin=place.pinyin, division_name=_division_path(place.division), location=location,
        authority=proposal.authority, approved_on=proposal.decided_on, document_number=proposal.document_number,
        year=issued_on.year, serial=serial, number=announcement_number(issued_on.year, serial),
        issuing_authority=getattr(settings, "REGISTRY_ANNOUNCING_AUTHORITY", ""), issued_on=issued_on,
    )


def _division_path(division: Division) -> str:
    """合肥市包河区: the division with its parents from the city down (the province is understood)."""
    parts = []
    while division is not None and division.level != "province":
        parts.append(division.name)
        division = division.parent
    return "".join(reversed(parts))


def _location(place: Place) -> str:
    """Where the place lies, beyond its division (which the 公告 gives in its own row)."""
    parts = []
    if place.details.get("start") and place.details.get("end"):
        parts.append(_("from %(start)s to %(end)s") % place.details)
    if place.longitude is not None:
        parts.append(_("centre at %(lon)s° E, %(lat)s° N") % {"lon": place.longitude, "lat": place.latitude})
    return ("；" if (translation.get_language() or "").startswith("zh") else "; ").join(parts)


def _apply(proposal: Proposal, user, *, announced_on: dt.date) -> Place:
    """Make the approved change in the registry (inside the approval's transaction)."""
    approval = {"approval_authority": proposal.authority, "approval_date": proposal.decided_on,
                "approval_document": proposal.document_number, "announcement_date": announced_on}
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
        notice_start=timezone.localdate(proposal.notice_starts_at) if proposal.notice_starts_at else None,
        notice_end=timezone.localdate(proposal.notice_ends_at) if proposal.notice_ends_at else None,
        **proposal.heritage,
    )
    return place


# Each transition's own work, by name (the table of moves is ``choices.TRANSITIONS``).
STEPS = {
    "submit": _submit, "start_review": _start_review, "return_for_revision": _return_for_revision,
    "start_notice": _start_notice, "object": _object, "approve": _approve, "reject": _reject,
    "withdraw": _withdraw,
}
