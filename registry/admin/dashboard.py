"""The work dashboard on the admin home page: what waits for the user who is logged in.

A clerk sees their drafts to submit; a reviewer the proposals submitted and in review
and the objections still without a response; an approver the notices that have ended
and wait for a decision, and the filing (备案) and announcement (公告) deadlines of what
was approved and is not yet recorded as filed; everyone the public notices about to end. Every count links to the
change list that shows exactly those records, through the list's own filters, so the
number on the tile is the number of rows on the page it opens.

``waiting_for_me`` is the one definition of "waiting for me" (待我处理): the proposal
list's queue filter and this page both use it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.choices import ProposalState
from registry.models import Objection, Proposal, Round

# A public notice "ends soon" when it ends within this many days.
NOTICE_ENDING_DAYS = 3
# 地名管理条例 (2022) Art. 13 and 14: within 15 days of approval the approver files the
# name with the next level up, and the civil-affairs department announces it.
FILING_DAYS = 15
ANNOUNCEMENT_DAYS = 15
# A deadline is shown as close when this many days or fewer are left.
DEADLINE_CLOSE_DAYS = 3

SUBMIT, REVIEW, DECIDE = "registry.submit_proposal", "registry.review_proposal", "registry.decide_proposal"


def waiting_for_me(user, now: dt.datetime | None = None) -> Q:
    """The proposals that wait for ``user``'s next step, by the roles the user holds.

    A clerk's own drafts (to submit); for a reviewer, what was submitted or is in review,
    and notices with an objection still to answer; for an approver, what has ended its
    public notice, unless they drafted it (nobody decides on their own draft).
    """
    now = now or timezone.now()
    waiting = Q(pk__in=[])
    if user.has_perm(SUBMIT):
        waiting |= Q(state=ProposalState.DRAFT, drafted_by=user)
    if user.has_perm(REVIEW):
        waiting |= Q(state__in=(ProposalState.SUBMITTED, ProposalState.IN_REVIEW))
        if objections_have_responses():
            unanswered = Objection.objects.filter(proposal=OuterRef("pk"), response="")
            waiting |= Q(Exists(unanswered), state=ProposalState.PUBLIC_NOTICE)
    if user.has_perm(DECIDE):
        waiting |= Q(state=ProposalState.PUBLIC_NOTICE, notice_ends_at__lte=now) & ~Q(drafted_by=user)
    return waiting


def objections_have_responses() -> bool:
    """Whether objections record a response (they do from the workflow additions on)."""
    return "response" in {f.name for f in Objection._meta.get_fields()}


def _waiting_label(state: str, user) -> str | None:
    """What a state means on the tile of a user it may wait for (None: it never waits for them)."""
    if state == ProposalState.DRAFT:
        return _("My drafts, to submit") if user.has_perm(SUBMIT) else None
    if state == ProposalState.SUBMITTED:
        return _("Submitted, to start the review") if user.has_perm(REVIEW) else None
    if state == ProposalState.IN_REVIEW:
        return _("In review, to open the public notice") if user.has_perm(REVIEW) else None
    if state == ProposalState.PUBLIC_NOTICE:
        answer = user.has_perm(REVIEW) and objections_have_responses()
        decide = user.has_perm(DECIDE)
        if answer and decide:
            return _("In public notice, an objection to answer or a decision to take")
        if answer:
            return _("In public notice, an objection to answer")
        return _("Public notice ended, to decide") if decide else None
    return None


@dataclass(frozen=True)
class Tile:
    label: str
    count: int
    url: str
    help: str = ""
    urgent: bool = False  # shown highlighted when the count is not zero


@dataclass(frozen=True)
class Deadline:
    """An approved proposal with its filing and announcement deadlines."""

    proposal: Proposal
    url: str
    decided_on: dt.date
    filing_due: dt.date
    announcement_due: dt.date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left

    @property
    def close(self) -> bool:
        return 0 <= self.days_left <= DEADLINE_CLOSE_DAYS


@dataclass
class Section:
    title: str
    tiles: list[Tile] = field(default_factory=list)
    deadlines: list[Deadline] | None = None
    note: str = ""


def _proposals_url(**params) -> str:
    return reverse("admin:registry_proposal_changelist") + "?" + urlencode(params)


def _waiting_section(user, now) -> Section | None:
    """One tile per state that may wait for the user; each opens the queue filter's list in that state."""
    labels = [(state, _waiting_label(state, user)) for state in ProposalState.values]
    labels = [(state, label) for state, label in labels if label is not None]
    if not labels:
        return None
    rows = Proposal.objects.filter(waiting_for_me(user, now)).order_by().values("state").annotate(n=Count("pk"))
    counts = {row["state"]: row["n"] for row in rows}
    tiles = [
        Tile(label, counts.get(state, 0), _proposals_url(queue="mine", state__exact=state), urgent=True)
        for state, label in labels
    ]
    return Section(_("Waiting for me"), tiles)


def _notice_section(user, now) -> Section:
    until = now + dt.timedelta(days=NOTICE_ENDING_DAYS)
    ending = Proposal.objects.filter(
        state=ProposalState.PUBLIC_NOTICE, notice_ends_at__gt=now, notice_ends_at__lte=until
    )
    running = Proposal.objects.filter(state=ProposalState.PUBLIC_NOTICE, notice_ends_at__gt=now)
    section = Section(
        _("Public notices"),
        [
            Tile(
                _("Ending within %(days)s days") % {"days": NOTICE_ENDING_DAYS},
                ending.count(),
                _proposals_url(
                    state__exact=ProposalState.PUBLIC_NOTICE,
                    notice_ends_at__gt=_stamp(now),
                    notice_ends_at__lte=_stamp(until),
                ),
                urgent=True,
            ),
            Tile(
                _("Running now"),
                running.count(),
                _proposals_url(state__exact=ProposalState.PUBLIC_NOTICE, notice_ends_at__gt=_stamp(now)),
            ),
        ],
    )
    if user.has_perm(REVIEW) and objections_have_responses():
        unanswered = Objection.objects.filter(response="")
        section.tiles.append(
            Tile(
                _("Objections without a response"),
                unanswered.count(),
                reverse("admin:registry_objection_changelist") + "?" + urlencode({"response__exact": ""}),
                urgent=True,
            )
        )
    return section


def _deadline_section(user, today: dt.date) -> Section | None:
    if not user.has_perm(DECIDE):
        return None
    # An approval stays on the list, overdue once its deadline has passed, until an
    # approver records its filing (标记已备案, services.filing); the announcement is issued
    # with the approval itself (services.proposals), so the filing is what is left to do.
    unfiled = (
        Proposal.objects.filter(state=ProposalState.APPROVED, filed_on__isnull=True)
        .select_related("place")
        .order_by("decided_on", "pk")
    )
    deadlines = []
    for proposal in unfiled:
        decided_on = proposal.decided_on or timezone.localdate(proposal.updated_at)
        filing = decided_on + dt.timedelta(days=FILING_DAYS)
        announcement = decided_on + dt.timedelta(days=ANNOUNCEMENT_DAYS)
        deadlines.append(
            Deadline(
                proposal,
                reverse("admin:registry_proposal_change", args=[proposal.pk]),
                decided_on,
                filing,
                announcement,
                (min(filing, announcement) - today).days,
            )
        )
    tile = Tile(
        _("Approved, not yet filed (待备案)"),
        len(deadlines),
        _proposals_url(state__exact=ProposalState.APPROVED, filed_on__isnull="True"),
        urgent=True,
    )
    return Section(
        _("Filing (备案) and announcement (公告) deadlines"),
        [tile],
        deadlines,
        note=_(
            "地名管理条例 Art. 13: the approver files the name with the next level up within %(filing)s "
            "days of approval; Art. 14: the civil-affairs department announces it within %(announcement)s "
            "days of approval or of filing. Both are counted here from the approval. Once a name is "
            "filed, mark it with the action “Mark as filed (备案)” in the proposal list."
        )
        % {"filing": FILING_DAYS, "announcement": ANNOUNCEMENT_DAYS},
    )


def _round_queue(state: str, user, now) -> dict:
    """The round list's filters of what waits for ``user`` in ``state`` (the tile counts those rows)."""
    if state == ProposalState.DRAFT:
        return {"state__exact": state, "drafted_by__id__exact": user.pk}
    if state == ProposalState.PUBLIC_NOTICE and not user.has_perm(REVIEW):
        return {"state__exact": state, "notice_ends_at__lte": _stamp(now)}
    return {"state__exact": state}


def _rounds_section(user, now) -> Section | None:
    """Naming rounds wait for the same roles as proposals, by the same states (one tile each)."""
    labels = [(state, _waiting_label(state, user)) for state in ProposalState.values]
    labels = [(state, label) for state, label in labels if label is not None]
    if not labels:
        return None
    url = reverse("admin:registry_round_changelist")
    tiles = []
    for state, label in labels:
        query = _round_queue(state, user, now)
        lookups = {k.replace("__id__exact", "_id").removesuffix("__exact"): v for k, v in query.items()}
        if "notice_ends_at__lte" in lookups:
            lookups["notice_ends_at__lte"] = now
        tiles.append(Tile(label, Round.objects.filter(**lookups).count(), url + "?" + urlencode(query), urgent=True))
    return Section(_("Naming rounds"), tiles)


def _stamp(moment: dt.datetime) -> str:
    """A moment as the change list's filter reads it back: exact, so the list matches the count."""
    return timezone.localtime(moment).isoformat()


def dashboard(user, now: dt.datetime | None = None) -> list[Section]:
    """The sections the user's roles call for (none for a user without a role)."""
    if not user.has_perm("registry.view_proposal"):
        return []
    now = now or timezone.now()
    sections = [
        _waiting_section(user, now),
        _rounds_section(user, now),
        _notice_section(user, now),
        _deadline_section(user, timezone.localdate(now)),
    ]
    return [s for s in sections if s is not None]
