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


# The workflow as data (SPEC.md "Naming workflow"): transition → (states it may leave,
# state it reaches, permission it needs). ``object`` records an objection and stays put.
_OPEN = (ProposalState.DRAFT, ProposalState.SUBMITTED, ProposalState.IN_REVIEW, ProposalState.PUBLIC_NOTICE)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "submit": ((ProposalState.DRAFT,), ProposalState.SUBMITTED, "registry.submit_proposal"),
    "start_review": ((ProposalState.SUBMITTED,), ProposalState.IN_REVIEW, "registry.review_proposal"),
    "start_notice": ((ProposalState.IN_REVIEW,), ProposalState.PUBLIC_NOTICE, "registry.review_proposal"),
    "object": ((ProposalState.PUBLIC_NOTICE,), ProposalState.PUBLIC_NOTICE, "registry.review_proposal"),
    "approve": ((ProposalState.PUBLIC_NOTICE,), ProposalState.APPROVED, "registry.decide_proposal"),
    "reject": ((ProposalState.SUBMITTED, ProposalState.IN_REVIEW, ProposalState.PUBLIC_NOTICE),
               ProposalState.REJECTED, "registry.decide_proposal"),
    "withdraw": (_OPEN, ProposalState.WITHDRAWN, "registry.submit_proposal"),
}
TRANSITION_LABELS = {
    "submit": _("Submit"),
    "start_review": _("Start review"),
    "start_notice": _("Open public notice"),
    "object": _("Record an objection"),
    "approve": _("Approve"),
    "reject": _("Reject"),
    "withdraw": _("Withdraw"),
}
