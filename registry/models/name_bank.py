"""The name bank (地名储备库): vetted names kept for future use (SPEC.md "Naming rounds … and the name bank").

A naming office prepares names before the roads exist: a theme or series for a new
district (经一路 … 经十路, the 紫云 series), names set aside for a project. Each entry
says where the name came from (``source`` is required: no invented words), is checked
when entered and re-checked as the registry changes (``registry.services.name_bank``),
and ends ``used`` when a proposal or round item takes it. Entries are never deleted:
a name that is no longer wanted expires, a name that became a duplicate is flagged.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.choices import Category
from registry.models.base import TimeStamped, UndeletableModel
from registry.models.places import MAX_NAME_LENGTH


class BankStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    RESERVED = "reserved", _("Reserved")
    USED = "used", _("Used")
    EXPIRED = "expired", _("Expired")
    FLAGGED = "flagged", _("Flagged")


#: The states in which an entry holds its name: a RESERVED warning for other proposals, offered as a suggestion.
HOLDING = (BankStatus.AVAILABLE, BankStatus.RESERVED)


class NameBankEntry(TimeStamped, UndeletableModel):
    name = models.CharField(_("name"), max_length=MAX_NAME_LENGTH)
    pinyin = models.CharField(
        _("pinyin"), max_length=300, blank=True, help_text=_("Empty: the standard pinyin is filled in.")
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    series = models.CharField(
        _("theme or series"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("e.g. 经纬路网, 紫云系列: names prepared together."),
    )
    division = models.ForeignKey(
        "registry.Division",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bank_entries",
        verbose_name=_("intended division"),
    )
    reserved_for = models.CharField(
        _("reserved for"),
        max_length=200,
        blank=True,
        help_text=_("A project, road or developer the name is set aside for; empty: free for any proposal."),
    )
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=300, help_text=_("Where the name came from: a plan, a list, a document (required).")
    )
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=BankStatus.choices, default=BankStatus.AVAILABLE, db_index=True
    )
    name_key = models.CharField(
        _("comparison key"), max_length=MAX_NAME_LENGTH, blank=True, editable=False, db_index=True
    )
    findings = models.JSONField(_("findings at last check"), default=list, blank=True, editable=False)
    finding_level = models.CharField(_("findings"), max_length=8, blank=True, editable=False)
    checked_at = models.DateTimeField(_("last checked"), null=True, blank=True, editable=False)
    override_reason = models.TextField(
        _("reason for keeping despite errors"),
        blank=True,
        help_text=_("Only when the name check finds an error and the name is kept all the same."),
    )
    accepted_rules = models.CharField(_("accepted error rules"), max_length=300, blank=True, editable=False)
    used_for = models.CharField(_("used for"), max_length=200, blank=True, editable=False)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True, editable=False)

    history = HistoricalRecords(verbose_name=_("name bank history"), verbose_name_plural=_("name bank history"))

    class Meta:
        verbose_name = _("name bank entry")
        verbose_name_plural = _("name bank")
        ordering = ["series", "name", "pk"]
        indexes = [models.Index(fields=["status", "category"], name="bank_status_category")]

    def __str__(self) -> str:
        return self.name
