"""Each workflow step's own work, called only by ``proposals.proposal_transition``.

The table of steps (``registry.workflow.STEPS``) names these functions; the caller has
already locked the proposal, checked the move and the user, and refused any field the
step does not take, so each function here judges only its own fields and changes the
proposal in memory (the caller saves it and writes the event). A function's keyword
parameters are the step's fields (a test holds them equal to the table). Approval also
changes the registry (``proposal_apply.apply``) and issues the numbered announcement (``announcements.announce``)
in the same transaction. The name check (``store_check``) lives here too because both
drafting and the steps keep its result on the proposal.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from registry import freshness
from registry.choices import CheckLevel, ObjectionChannel, ProposalAction, ProposalStep
from registry.exceptions import Conflict, InvalidTransition
from registry.models import Objection, Proposal
from registry.services import announcements, proposal_apply
from registry.services import place_versions
from registry.services.places import _audit
from registry.validation import CheckResult, check_name, enforce, heritage_findings, judged
from registry.validation.findings import summarize


def _check_arguments(proposal: Proposal) -> dict | None:
    """What the proposal's name is judged as (none for retiring or listing)."""
    if proposal.action not in (ProposalAction.NAME, ProposalAction.RENAME):
        return None
    division = proposal.division or (proposal.place.division if proposal.place_id else None)
    return {
        "name": proposal.name,
        "category": proposal.category or (proposal.place.category if proposal.place_id else ""),
        "division": division,
        "place": proposal.place if proposal.action == ProposalAction.RENAME else None,
        "pinyin": proposal.pinyin,
    }


def _check(proposal: Proposal, made: CheckResult | None = None) -> CheckResult | None:
    """The name check this proposal needs: ``made`` if it is that check, still current."""
    arguments = _check_arguments(proposal)
    if arguments is None:
        return None
    division, place = arguments["division"], arguments["place"]
    if judged(
        made,
        arguments["name"],
        arguments["category"],
        division_code=division.code if division else None,
        place_pk=place.pk if place else None,
        pinyin=arguments["pinyin"],
    ):
        return made
    return check_name(arguments.pop("name"), arguments.pop("category"), **arguments)


def store_check(proposal: Proposal, made: CheckResult | None = None) -> list:
    """Run the check and keep its findings and its result (通过 / 有警告 / 有错误) on the proposal.

    ``made``: a check the caller already ran (an admin form's, say); kept instead of
    judging again when it judged this proposal's name against the registry as it is now.
    The check used is left on the proposal as ``name_check`` (not stored), so that a
    caller that tried the service can hand it on as ``check=`` (the admin's form does).
    """
    findings = []
    result = proposal.name_check = _check(proposal, made)
    if result is not None:
        findings = list(result.findings)
    elif proposal.action == ProposalAction.RETIRE and proposal.place_id:
        findings = heritage_findings(proposal.place)
    proposal.check_findings = [f.as_dict() for f in findings]
    proposal.check_level = summarize(findings)[0] or CheckLevel.OK
    return findings


def parse_date(value: dt.date | str | None, field: str) -> dt.date | None:
    """A date given as a date or as YYYY-MM-DD; a clear error naming ``field`` otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date) or value in (None, ""):
        return value or None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(
            {field: _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": str(value)[:20]}}
        ) from None


def submit(proposal: Proposal, user) -> str:
    store_check(proposal)
    return _("Check: %(level)s") % {"level": proposal.get_check_level_display()}


def start_review(proposal: Proposal, user) -> str:
    return ""


def return_for_revision(proposal: Proposal, user, reason: str = "") -> str:
    """Back to the drafter as a draft, with what to correct; they correct it and submit again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the drafter should correct (the reason).")})
    return reason


def start_notice(proposal: Proposal, user, days: Any = None) -> str:
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


def record_objection(
    proposal: Proposal,
    user,
    text: str = "",
    objector: str = "",
    channel: str = "",
    received_on: dt.date | str | None = None,
    contact: str = "",
) -> str:
    """Record an objection received during the notice.

    One received after the notice ended is refused; one received within it (a letter
    posted in time, say) may be entered later, so the date that counts is ``received_on``.
    """
    text = (text or "").strip()
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _("An objection needs its text.")
    channel = channel or ObjectionChannel.OTHER
    if channel not in ObjectionChannel.values:
        errors["channel"] = _("Unknown way of receiving “%(value)s”.") % {"value": str(channel)[:20]}
    try:
        received_on = parse_date(received_on, "received_on") or timezone.localdate()
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    notice, attach = _objection_subject(proposal)
    _check_received_on(notice, received_on)
    objection = Objection(
        text=text[:10_000],
        objector=(objector or "").strip(),
        channel=channel,
        contact=(contact or "").strip(),
        received_on=received_on,
        recorded_by=user,
        **attach,
    )
    objection.full_clean(exclude=["proposal", "item", "recorded_by"])
    _audit(objection, user, "object")
    objection.save()
    return _("Objection recorded (%(channel)s, received %(date)s): %(text)s") % {
        "channel": objection.get_channel_display(),
        "date": received_on.isoformat(),
        "text": text[:200],
    }


def _check_received_on(notice, received_on: dt.date) -> None:
    """An objection counts only if received within the notice, and not in the future."""
    starts = timezone.localdate(notice.notice_starts_at)
    ends = timezone.localdate(notice.notice_ends_at)
    if received_on > timezone.localdate():
        raise ValidationError(
            {
                "received_on": _("%(date)s lies in the future: give the day the objection was received.")
                % {"date": received_on.isoformat()}
            }
        )
    if received_on > ends:
        raise ValidationError(
            {
                "received_on": _(
                    "The public notice ended on %(end)s; an objection received after it (%(date)s) cannot be recorded."
                )
                % {"end": ends.isoformat(), "date": received_on.isoformat()}
            }
        )
    if received_on < starts:
        raise ValidationError(
            {
                "received_on": _(
                    "The public notice began on %(start)s; an objection received before it (%(date)s) is not one to this notice."
                )
                % {"start": starts.isoformat(), "date": received_on.isoformat()}
            }
        )


def _objection_subject(subject) -> tuple[Any, dict]:
    """What an objection is to: a proposal (its own notice), or a round's item (the round's)."""
    if isinstance(subject, Proposal):
        return subject, {"proposal": subject}
    return subject.round, {"item": subject}


def reject(proposal: Proposal, user, reason: str = "") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("A rejection needs its reason.")})
    proposal.rejection_reason = reason
    proposal.decided_by = user
    proposal.decided_on = timezone.localdate()
    return reason


def withdraw(proposal: Proposal, user, reason: str = "") -> str:
    """Withdrawn by the drafter; the reason, if given, is the timeline's note."""
    return reason


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
            "date": day.isoformat(),
            "today": today.isoformat(),
        }
    ends = timezone.localdate(proposal.notice_ends_at) if proposal.notice_ends_at else None
    if ends and day < ends:
        return _("%(date)s comes before the public notice ended (%(end)s): the decision follows the notice.") % {
            "date": day.isoformat(),
            "end": ends.isoformat(),
        }
    submitted = _submitted_on(proposal)
    if submitted and day < submitted:
        return _("%(date)s comes before the proposal was submitted (%(submitted)s).") % {
            "date": day.isoformat(),
            "submitted": submitted.isoformat(),
        }
    return None


def unanswered_objections(proposal: Proposal) -> int:
    return proposal.objections.filter(response="").count()


def _approval_record(authority: str, document_number: str, decided_on: dt.date | str | None) -> dt.date:
    """The decision's record (authority, 批准文号, date), each missing or bad one named."""
    errors = {}
    if not (authority or "").strip():
        errors["authority"] = _("An approval names the approving authority.")
    if not (document_number or "").strip():
        errors["document_number"] = _("An approval carries its document number (批准文号).")
    try:
        decided_on = parse_date(decided_on, "decided_on")
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if not decided_on and "decided_on" not in errors:
        errors["decided_on"] = _("An approval carries its date.")
    if errors:
        raise ValidationError(errors)
    return decided_on


def _approvable(proposal: Proposal, decided_on: dt.date, override_reason: str) -> None:
    """Refuse an approval that comes too early, leaves an objection unanswered or overrides
    the name check without a reason."""
    if proposal.notice_ends_at and timezone.now() < proposal.notice_ends_at:
        raise InvalidTransition(
            _("The public notice runs until %(end)s; a decision comes after it ends.")
            % {"end": timezone.localtime(proposal.notice_ends_at).strftime("%Y-%m-%d %H:%M")}
        )
    date_error = _decision_date_error(proposal, decided_on)
    if date_error:
        raise ValidationError({"decided_on": date_error})
    # Every objection gets its answer before the decision (the decision page lists them).
    unanswered = unanswered_objections(proposal)
    if unanswered:
        raise Conflict(
            _("%(count)s objection(s) have no response yet: answer every objection before approving.")
            % {"count": unanswered}
        )
    _judged_approvable(proposal, override_reason)


def _judged_approvable(proposal: Proposal, override_reason: str) -> None:
    """Refuse an approval of a stale rename, of a protected heritage name, or over the
    name check's errors without an override reason."""
    # Take the registry's write lock before judging, so that two approvals of the same
    # name in one scope are judged one after the other: the second sees the first.
    freshness.lock()
    stale = place_versions.stale_rename(proposal)  # the place renamed since: the proposal is about a name gone
    if stale:
        raise Conflict(stale)
    enforce(
        store_check(proposal),
        override_reason=override_reason,
        protects_heritage=proposal.action in (ProposalAction.RENAME, ProposalAction.RETIRE),
    )


def approve(
    proposal: Proposal,
    user,
    authority: str = "",
    document_number: str = "",
    decided_on: dt.date | str | None = None,
    override_reason: str = "",
) -> str:
    """Approve: the registry changes and the numbered announcement is issued, together."""
    decided_on = _approval_record(authority, document_number, decided_on)
    _approvable(proposal, decided_on, override_reason)
    proposal.authority, proposal.document_number = authority.strip(), document_number.strip()
    proposal.decided_on, proposal.decided_by = decided_on, user
    proposal.override_reason = (override_reason or "").strip()
    old_name = proposal.place.name if proposal.place_id else ""
    issued_on = timezone.localdate()
    place = proposal_apply.apply(proposal, user, announced_on=issued_on)
    proposal.place = place
    announcements.announce(proposal, place, old_name=old_name, issued_on=issued_on)
    return proposal.override_reason and _("Override: %(reason)s") % {"reason": proposal.override_reason}
