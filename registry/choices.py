"""Enumerations shared by models, services, admin and API.

Codes are the stable strings of SPEC.md; labels are translatable (Chinese in the
admin by default).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    ROAD = "road", _("Road or street")
    WATER = "water", _("Water")
    BRIDGE = "bridge", _("Bridge")
    BUILDING = "building", _("Building")
    RESIDENTIAL = "residential", _("Residential area")
    TOWN = "town", _("Town or street office")
    VILLAGE = "village", _("Village or community")


class PlaceStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


class NameKind(models.TextChoices):
    OFFICIAL = "official", _("Official")
    FORMER = "former", _("Former")
    ALIAS = "alias", _("Alias")
    HISTORICAL = "historical", _("Historical")


class DivisionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County or district")
    TOWNSHIP = "township", _("Township or street")


class HeritageScheme(models.TextChoices):
    ANCIENT_COUNTY = "ancient_county", _("Thousand-year county")
    ANCIENT_TOWN = "ancient_town", _("Thousand-year town")
    ANCIENT_VILLAGE = "ancient_village", _("Thousand-year village")
    RED = "red", _("Red (revolutionary) place name")
    OTHER = "other", _("Other")


# The 千年 schemes: the proper name must have been in use for 1,000 years or more.
MILLENNIAL_SCHEMES = frozenset(
    {HeritageScheme.ANCIENT_COUNTY, HeritageScheme.ANCIENT_TOWN, HeritageScheme.ANCIENT_VILLAGE}
)


class HeritageLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")


class HeritageStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    LISTED = "listed", _("Listed")
    REMOVED = "removed", _("Removed")


class Verification(models.TextChoices):
    """How well a record is attested (DOMAIN.md's [C] / [C-sec] / [I] tags)."""

    CONFIRMED = "confirmed", _("Confirmed in a primary source")
    SECONDARY = "secondary", _("Confirmed in a secondary source")
    UNVERIFIED = "unverified", _("Not verified")


class ProposalAction(models.TextChoices):
    NAME = "name", _("Name a new place")
    RENAME = "rename", _("Rename")
    RETIRE = "retire", _("Retire")
    LIST_HERITAGE = "list_heritage", _("List as heritage")


class ProposalState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    PUBLIC_NOTICE = "public_notice", _("Public notice")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ProposalStep(models.TextChoices):
    """Every kind of entry in a proposal's timeline: the transitions, and the three
    entries that are not moves between states (drafting, correcting a draft, answering
    an objection)."""

    DRAFT = "draft", _("Draft the proposal")
    UPDATE = "update", _("Correct the draft")
    SUBMIT = "submit", _("Submit")
    START_REVIEW = "start_review", _("Start review")
    RETURN_FOR_REVISION = "return_for_revision", _("Return for revision")
    START_NOTICE = "start_notice", _("Open public notice")
    OBJECT = "object", _("Record an objection")
    RESPOND = "respond", _("Answer an objection")
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    WITHDRAW = "withdraw", _("Withdraw")


class CheckLevel(models.TextChoices):
    """The worst finding of a proposal's name check (审查结果)."""

    OK = "ok", _("Passed")
    WARNING = "warning", _("Has warnings")
    ERROR = "error", _("Has errors")


class ObjectionChannel(models.TextChoices):
    """How an objection came in during the public notice."""

    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Telephone")
    EMAIL = "email", _("E-mail")
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online message")
    OTHER = "other", _("Other")


class ObjectionOutcome(models.TextChoices):
    """What the response decided about an objection (SPEC: accepted, not accepted)."""

    ACCEPTED = "accepted", _("Accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")


# The labels of the steps that move a proposal (the table of steps is ``registry.workflow``;
# ``draft``, ``update`` and ``respond`` are timeline entries, not moves).
TRANSITION_LABELS = {
    step.value: step.label
    for step in ProposalStep
    if step not in (ProposalStep.DRAFT, ProposalStep.UPDATE, ProposalStep.RESPOND)
}
# Refusals name the role a user lacks, not a permission codename.
ROLE_LABELS = {
    "registry.submit_proposal": _("clerk (录入员)"),
    "registry.review_proposal": _("reviewer (审核员)"),
    "registry.decide_proposal": _("approver (审批人)"),
}
