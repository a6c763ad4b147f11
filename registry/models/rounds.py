"""Naming rounds (命名批次): many names noticed together and decided by one approval.

A city names in rounds (SPEC.md "Naming rounds"; HEFEI_FACTS.md §4: Hefei's 5th round
was one notice, 2020-03-30 → 04-28, by the planning and civil-affairs departments, and
one city-government approval). A ``Round`` moves through the same states, by the same
table of steps (``registry.workflow.ROUND_STEPS``), as a single proposal; each
``RoundItem`` keeps its own outcome, so one contested item is withdrawn or deferred
without holding the others. ``RoundEvent`` is the round's timeline (an item's own steps
name the item); ``RoundAnnouncement`` is the one 公告 of the decision, numbered from the
same yearly counter as a proposal's, its rows frozen on the items (``announced``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.choices import Category, CheckLevel, ProposalAction, ProposalState, ProposalStep
from registry.models.base import TimeStamped, UndeletableModel


class ItemAction(models.TextChoices):
    NAME = ProposalAction.NAME.value, ProposalAction.NAME.label
    RENAME = ProposalAction.RENAME.value, ProposalAction.RENAME.label
    RETIRE = ProposalAction.RETIRE.value, ProposalAction.RETIRE.label


class ItemOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DEFERRED = "deferred", _("Deferred")
    REJECTED = "rejected", _("Rejected")


# A round's timeline: the proposals' steps, an item's own steps and its application.
ROUND_EVENT_STEPS = [
    *ProposalStep.choices,
    ("item_withdraw", _("Withdraw the item")),
    ("item_defer", _("Defer the item to a later round")),
    ("item_object", _("Record an objection")),
    ("apply", _("Applied to the registry")),
]
ROUND_EVENT_STATES = [*ProposalState.choices, *ItemOutcome.choices]


class Round(UndeletableModel, TimeStamped):
    title = models.CharField(_("title"), max_length=200)
    organisers = models.CharField(
        _("organising departments"),
        max_length=300,
        blank=True,
        help_text=_("The departments that publish the notice, e.g. the planning and the civil-affairs departments."),
    )
    authority = models.CharField(_("approving authority"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=ProposalState.choices, default=ProposalState.DRAFT, db_index=True
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), on_delete=models.PROTECT, related_name="drafted_rounds"
    )
    notice_starts_at = models.DateTimeField(_("notice starts"), null=True, blank=True)
    notice_ends_at = models.DateTimeField(_("notice ends"), null=True, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_rounds",
    )
    rejection_reason = models.TextField(_("rejection reason"), blank=True)

    history = HistoricalRecords(verbose_name=_("naming round history"), verbose_name_plural=_("naming round history"))

    class Meta:
        verbose_name = _("naming round")
        verbose_name_plural = _("naming rounds")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"


class RoundItem(UndeletableModel, TimeStamped):
    """One name of a round: a new feature to name, or an existing place to rename or retire."""

    round = models.ForeignKey(Round, verbose_name=_("naming round"), on_delete=models.PROTECT, related_name="items")
    position = models.PositiveIntegerField(_("item number"))
    action = models.CharField(_("action"), max_length=16, choices=ItemAction.choices)
    place = models.ForeignKey(
        "registry.Place",
        verbose_name=_("place"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="round_items",
        help_text=_("For a new feature: the place its approval created."),
    )
    name = models.CharField(_("proposed name"), max_length=100, blank=True)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices, blank=True)
    division = models.ForeignKey(
        "registry.Division", verbose_name=_("division"), on_delete=models.PROTECT, null=True, blank=True
    )
    pinyin = models.CharField(_("pinyin"), max_length=300, blank=True)
    reason = models.TextField(_("reason"))
    origin = models.TextField(_("origin and meaning"), blank=True)
    longitude = models.DecimalField(_("longitude (WGS-84)"), max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(_("latitude (WGS-84)"), max_digits=9, decimal_places=6, null=True, blank=True)
    geometry = models.JSONField(_("line or area geometry (GeoJSON)"), null=True, blank=True)
    details = models.JSONField(
        _("category details"),
        default=dict,
        blank=True,
        help_text=_(
            "For a bridge: the road it carries (carries) and the water or road it "
            "crosses (crosses); for a road: start and end."
        ),
    )
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=ItemOutcome.choices, default=ItemOutcome.PENDING, db_index=True
    )
    outcome_note = models.TextField(_("outcome note"), blank=True)
    override_reason = models.TextField(_("override reason"), blank=True)
    check_level = models.CharField(_("check result"), max_length=8, choices=CheckLevel.choices, blank=True)
    findings = models.JSONField(_("check findings"), default=list, blank=True, editable=False)
    announced = models.JSONField(_("as announced"), default=dict, blank=True, editable=False)

    history = HistoricalRecords(verbose_name=_("round item history"), verbose_name_plural=_("round item history"))

    class Meta:
        verbose_name = _("round item")
        verbose_name_plural = _("round items")
        ordering = ["round", "position"]
        constraints = [models.UniqueConstraint(fields=["round", "position"], name="round_item_position")]

    def __str__(self) -> str:
        subject = self.name or (self.place.name if self.place_id else "")
        return f"{self.position}. {self.get_action_display()} {subject}".strip()


class RoundEvent(UndeletableModel):
    round = models.ForeignKey(Round, verbose_name=_("naming round"), on_delete=models.PROTECT, related_name="events")
    item = models.ForeignKey(
        RoundItem, verbose_name=_("round item"), on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    transition = models.CharField(_("step"), max_length=32, choices=ROUND_EVENT_STEPS)
    from_state = models.CharField(_("from"), max_length=16, blank=True, choices=ROUND_EVENT_STATES)
    to_state = models.CharField(_("to"), max_length=16, choices=ROUND_EVENT_STATES)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("round event")
        verbose_name_plural = _("round events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return (
            f"{self.get_transition_display()}: {self.get_from_state_display() or '-'} → {self.get_to_state_display()}"
        )


class RoundAnnouncement(UndeletableModel):
    """The round's one 公告: numbered like a proposal's (合民地公〔2026〕第3号), its rows the
    approved items' ``announced`` texts, kept as issued."""

    round = models.OneToOneField(
        Round, verbose_name=_("naming round"), on_delete=models.PROTECT, related_name="announcement"
    )
    number = models.CharField(_("announcement number"), max_length=60)
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    title = models.CharField(_("title"), max_length=200)
    authority = models.CharField(_("approving authority"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=100)
    approved_on = models.DateField(_("approval date"))
    issuing_authority = models.CharField(_("issued by"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("round announcement")
        verbose_name_plural = _("round announcements")
        ordering = ["-approved_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["year", "serial"], name="round_announcement_year_serial")]

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）"
