"""Naming proposals and their trail: events, objections, the announcement (公告).

A proposal moves through the states in ``choices.TRANSITIONS`` only by
``services.proposals.proposal_transition``; every move is a ``ProposalEvent`` (who,
when, from, to, note), kept forever. Approval writes an ``Announcement`` with what a
公告 must carry (地名备案公告管理办法: standard name, pinyin, division, location,
approving authority, approval date).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.choices import Category, ProposalAction, ProposalState
from registry.models.base import TimeStamped, UndeletableModel


class Proposal(UndeletableModel, TimeStamped):
    action = models.CharField(_("action"), max_length=16, choices=ProposalAction.choices)
    state = models.CharField(_("state"), max_length=16, choices=ProposalState.choices, default=ProposalState.DRAFT,
                             db_index=True)
    place = models.ForeignKey("registry.Place", verbose_name=_("place"), on_delete=models.PROTECT, null=True,
                              blank=True, related_name="proposals")
    name = models.CharField(_("proposed name"), max_length=100, blank=True)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices, blank=True)
    division = models.ForeignKey("registry.Division", verbose_name=_("division"), on_delete=models.PROTECT,
                                 null=True, blank=True)
    pinyin = models.CharField(_("pinyin"), max_length=300, blank=True)
    reason = models.TextField(_("reason"))
    origin = models.TextField(_("origin and meaning"), blank=True)
    heritage = models.JSONField(_("heritage listing"), default=dict, blank=True,
                                help_text=_("For list_heritage: scheme, level, in_use_since, evidence …"))
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), on_delete=models.PROTECT,
                                   related_name="drafted_proposals")
    notice_starts_at = models.DateTimeField(_("notice starts"), null=True, blank=True)
    notice_ends_at = models.DateTimeField(_("notice ends"), null=True, blank=True)
    check_level = models.CharField(_("check result"), max_length=8, blank=True)
    check_findings = models.JSONField(_("check findings"), default=list, blank=True)
    authority = models.CharField(_("approving authority"), max_length=200, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="decided_proposals")
    override_reason = models.TextField(_("override reason"), blank=True)
    rejection_reason = models.TextField(_("rejection reason"), blank=True)

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
    transition = models.CharField(_("transition"), max_length=16)
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
        return f"{self.transition}: {self.from_state or '-'} → {self.to_state}"


class Objection(UndeletableModel):
    proposal = models.ForeignKey(Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT,
                                 related_name="objections")
    text = models.TextField(_("objection"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class Announcement(UndeletableModel):
    """The 公告 of an approved name: what the civil-affairs department publishes."""

    proposal = models.OneToOneField(Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT,
                                    related_name="announcement")
    place = models.ForeignKey("registry.Place", verbose_name=_("place"), on_delete=models.PROTECT,
                              related_name="announcements")
    standard_name = models.CharField(_("standard name"), max_length=100)
    pinyin = models.CharField(_("pinyin"), max_length=300)
    division_name = models.CharField(_("division"), max_length=200)
    location = models.TextField(_("location"), blank=True)
    authority = models.CharField(_("approving authority"), max_length=200)
    approved_on = models.DateField(_("approval date"))
    document_number = models.CharField(_("document number"), max_length=100)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-approved_on", "-id"]

    def __str__(self) -> str:
        return f"{self.standard_name}（{self.document_number}）"
