"""Naming proposals and their trail: events, objections, the announcement (公告).

A proposal moves through the states in ``registry.workflow.STEPS`` only by
``services.proposals.proposal_transition``; every move is a ``ProposalEvent`` (who,
when, from, to, note), kept forever, and so are the corrections of a draft and the
answers to objections. An objection records who objected, how and when it came in,
and the reviewer's response. Approval writes an ``Announcement`` with what a 公告 must
carry (地名备案公告管理办法: standard name, pinyin, division, location, approving
authority, approval date), plus its number, its issuer and date and, for a rename, the
old name.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.choices import (
    Category,
    CheckLevel,
    ObjectionChannel,
    ObjectionOutcome,
    ProposalAction,
    ProposalState,
    ProposalStep,
)
from registry.models.base import TimeStamped, UndeletableModel


class Proposal(UndeletableModel, TimeStamped):
    action = models.CharField(_("action"), max_length=16, choices=ProposalAction.choices)
    state = models.CharField(
        _("state"), max_length=16, choices=ProposalState.choices, default=ProposalState.DRAFT, db_index=True
    )
    place = models.ForeignKey(
        "registry.Place",
        verbose_name=_("place"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
    )
    name = models.CharField(_("proposed name"), max_length=100, blank=True)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices, blank=True)
    division = models.ForeignKey(
        "registry.Division", verbose_name=_("division"), on_delete=models.PROTECT, null=True, blank=True
    )
    pinyin = models.CharField(_("pinyin"), max_length=300, blank=True)
    reason = models.TextField(_("reason"))
    origin = models.TextField(_("origin and meaning"), blank=True)
    heritage = models.JSONField(
        _("heritage listing"),
        default=dict,
        blank=True,
        help_text=_("For “list as heritage”: the listing's scheme, level and evidence."),
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.PROTECT,
        related_name="drafted_proposals",
    )
    notice_starts_at = models.DateTimeField(_("notice starts"), null=True, blank=True)
    notice_ends_at = models.DateTimeField(_("notice ends"), null=True, blank=True)
    check_level = models.CharField(_("check result"), max_length=8, choices=CheckLevel.choices, blank=True)
    check_findings = models.JSONField(_("check findings"), default=list, blank=True)
    authority = models.CharField(_("approving authority"), max_length=200, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_proposals",
    )
    override_reason = models.TextField(_("override reason"), blank=True)
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    # 地名管理条例 Art. 13: the approver files (备案) an approved name with the next level up
    # within 15 days; recorded by ``services.filing.proposal_mark_filed``.
    filed_on = models.DateField(_("filed on (备案)"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="filed_proposals",
    )

    history = HistoricalRecords(verbose_name=_("proposal history"), verbose_name_plural=_("proposal history"))

    class Meta:
        verbose_name = _("naming proposal")
        verbose_name_plural = _("naming proposals")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("submit_proposal", _("Can draft and submit naming proposals")),
            ("review_proposal", _("Can review proposals and run public notices")),
            ("decide_proposal", _("Can approve or reject proposals")),
        ]

    def __str__(self) -> str:
        subject = self.name or (self.place.name if self.place_id else "")
        return f"#{self.pk} {self.get_action_display()} {subject}".strip()


class ProposalEvent(UndeletableModel):
    proposal = models.ForeignKey(Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="events")
    transition = models.CharField(_("step"), max_length=32, choices=ProposalStep.choices)
    from_state = models.CharField(_("from"), max_length=16, choices=ProposalState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=16, choices=ProposalState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("proposal event")
        verbose_name_plural = _("proposal events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return (
            f"{self.get_transition_display()}: {self.get_from_state_display() or '-'} → {self.get_to_state_display()}"
        )


class Objection(UndeletableModel):
    """An objection received during the public notice, and the reviewer's response.

    ``contact`` is for the bureau's reply only and is never shown publicly.
    """

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="objections", null=True, blank=True
    )
    # An objection to one item of a naming round (then ``proposal`` is empty).
    item = models.ForeignKey(
        "registry.RoundItem",
        verbose_name=_("round item"),
        on_delete=models.PROTECT,
        related_name="objections",
        null=True,
        blank=True,
    )
    objector = models.CharField(_("objector"), max_length=100, blank=True)
    channel = models.CharField(
        _("received by"), max_length=12, choices=ObjectionChannel.choices, default=ObjectionChannel.OTHER
    )
    contact = models.CharField(
        _("contact"), max_length=200, blank=True, help_text=_("For the reply only; never shown publicly.")
    )
    received_on = models.DateField(_("received on"))
    text = models.TextField(_("objection"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    response = models.TextField(_("response"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=ObjectionOutcome.choices, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objection_responses",
    )
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)

    history = HistoricalRecords(verbose_name=_("objection history"), verbose_name_plural=_("objection history"))

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


ANNOUNCEMENT_TITLES = {
    ProposalAction.NAME: _("Place-name naming announcement"),
    ProposalAction.RENAME: _("Place-name renaming announcement"),
    ProposalAction.RETIRE: _("Place-name retirement announcement"),
    ProposalAction.LIST_HERITAGE: _("Place-name heritage listing announcement"),
}


class Announcement(UndeletableModel):
    """The 公告 of an approved name: what the civil-affairs department publishes.

    It is numbered per year (``number``, e.g. 合民地公〔2026〕第3号, from ``year`` and
    ``serial``, allocated from a locked counter) and keeps its texts as issued: a later
    change to the place does not rewrite a published announcement.
    """

    proposal = models.OneToOneField(
        Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="announcement"
    )
    place = models.ForeignKey(
        "registry.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="announcements"
    )
    action = models.CharField(_("action"), max_length=16, choices=ProposalAction.choices, blank=True)
    standard_name = models.CharField(_("standard name"), max_length=100)
    old_name = models.CharField(_("former name"), max_length=100, blank=True)
    pinyin = models.CharField(_("pinyin"), max_length=300)
    division_name = models.CharField(_("division"), max_length=200)
    location = models.TextField(_("location"), blank=True)
    authority = models.CharField(_("approving authority"), max_length=200)
    approved_on = models.DateField(_("approval date"))
    document_number = models.CharField(_("document number"), max_length=100)
    number = models.CharField(_("announcement number"), max_length=60, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    serial = models.PositiveIntegerField(_("serial"), null=True, blank=True)
    issuing_authority = models.CharField(_("issued by"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-approved_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["year", "serial"], name="announcement_year_serial")]

    def __str__(self) -> str:
        return f"{self.standard_name}（{self.number or self.document_number}）"

    @property
    def title(self) -> str:
        """地名命名公告 / 地名更名公告 / 地名销名公告, by the proposal's action."""
        return str(
            ANNOUNCEMENT_TITLES.get(self.action or self.proposal.action, ANNOUNCEMENT_TITLES[ProposalAction.NAME])
        )
