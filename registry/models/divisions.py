"""Administrative divisions, keyed by their official codes.

County level and up use GB/T 2260 six-digit codes; townships and streets use the
12-digit statistical codes (统计用区划代码). The codes are hierarchical, so "this
division and everything under it" is a prefix match on ``code`` (see ``prefix``).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords

from registry.choices import DivisionLevel, Verification
from registry.models.base import UndeletableModel

_SHAPES = {
    DivisionLevel.PROVINCE: re.compile(r"^\d{2}0000$"),
    DivisionLevel.CITY: re.compile(r"^\d{4}00$"),
    DivisionLevel.COUNTY: re.compile(r"^\d{6}$"),
    DivisionLevel.TOWNSHIP: re.compile(r"^\d{9}000$"),
}
_SHAPE_HINTS = {
    DivisionLevel.PROVINCE: "six digits ending in 0000 (e.g. 340000)",
    DivisionLevel.CITY: "six digits ending in 00 (e.g. 340100)",
    DivisionLevel.COUNTY: "six digits (e.g. 340104)",
    DivisionLevel.TOWNSHIP: "twelve digits ending in 000 (e.g. 340181102000)",
}
_PARENT_LEVEL = {
    DivisionLevel.CITY: DivisionLevel.PROVINCE,
    DivisionLevel.COUNTY: DivisionLevel.CITY,
    DivisionLevel.TOWNSHIP: DivisionLevel.COUNTY,
}


def division_prefix(code: str) -> str:
    """The code prefix shared by a division and everything under it."""
    if len(code) == 12:
        return code[:9]
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


class Division(UndeletableModel):
    code = models.CharField(_("code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=DivisionLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    verification = models.CharField(
        _("verification"), max_length=12, choices=Verification.choices, default=Verification.CONFIRMED
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("administrative division")
        verbose_name_plural = _("administrative divisions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def prefix(self) -> str:
        return division_prefix(self.code)

    def clean(self) -> None:
        shape = _SHAPES.get(self.level)
        if shape and not shape.match(self.code or ""):
            raise ValidationError(
                {
                    "code": _("A %(level)s code must be %(hint)s; got “%(code)s”.")
                    % {"level": self.get_level_display(), "hint": _SHAPE_HINTS[self.level], "code": self.code}
                }
            )
        expected_parent = _PARENT_LEVEL.get(self.level)
        if expected_parent:
            if self.parent is None:
                raise ValidationError({"parent": _("A division below province level needs its parent division.")})
            if self.parent.level != expected_parent or not self.code.startswith(self.parent.prefix):
                raise ValidationError(
                    {
                        "parent": _("%(parent)s cannot be the parent of %(code)s.")
                        % {"parent": self.parent, "code": self.code}
                    }
                )


class DivisionBoundary(UndeletableModel):
    """A division's boundary (GeoJSON Polygon or MultiPolygon, WGS-84), imported from the file its source publishes.

    Kept apart from ``Division``, which every place query joins: a boundary runs to
    thousands of positions. The bounding box is stored with it so that finding the
    divisions that may hold a point is an indexed range query before the exact test
    (``registry.geometry.contains``).
    """

    division = models.OneToOneField(
        Division, verbose_name=_("division"), on_delete=models.PROTECT, primary_key=True, related_name="boundary"
    )
    geometry = models.JSONField(_("boundary (GeoJSON)"))
    west = models.FloatField(_("west"))
    south = models.FloatField(_("south"))
    east = models.FloatField(_("east"))
    north = models.FloatField(_("north"))
    source = models.CharField(_("source"), max_length=300)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)
    history = HistoricalRecords(verbose_name=_("boundary history"), verbose_name_plural=_("boundary history"))

    class Meta:
        verbose_name = _("division boundary")
        verbose_name_plural = _("division boundaries")
        indexes = [models.Index(fields=["west", "east", "south", "north"], name="boundary_bbox")]

    def __str__(self) -> str:
        return str(self.division)
