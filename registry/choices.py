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
