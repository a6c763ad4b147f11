"""Heritage listings: a place on a protection list (千年古镇, 红色地名 …).

A listing belongs to a place and records the evidence that earned it: the first
recorded name and its source (柘皋 ← 橐皋, 《春秋》), the year the name has been in
use since (negative for BCE), preserved features and protection measures. For the
千年 schemes the name must have been in use for 1,000 years or more (条例 Art. 25,
民发〔2012〕117号 criteria); ``clean`` refuses a listing whose recorded start year
does not reach it. Where the sources give no year the field stays empty rather than
holding a guess.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry import partial_dates
from registry.choices import MILLENNIAL_SCHEMES, HeritageLevel, HeritageScheme, HeritageStatus, Verification
from registry.models.base import TimeStamped, UndeletableModel

MILLENNIUM = 1000


class HeritageListing(UndeletableModel, TimeStamped):
    place = models.ForeignKey(
        "registry.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="heritage_listings"
    )
    scheme = models.CharField(_("scheme"), max_length=20, choices=HeritageScheme.choices, db_index=True)
    level = models.CharField(_("level"), max_length=12, choices=HeritageLevel.choices, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=HeritageStatus.choices, default=HeritageStatus.CANDIDATE, db_index=True
    )
    batch = models.CharField(_("batch"), max_length=20, blank=True)
    notice_start = models.DateField(_("notice starts"), null=True, blank=True)
    notice_end = models.DateField(_("notice ends"), null=True, blank=True)
    listed_on = models.CharField(_("listed on"), max_length=11, blank=True, help_text=_("YYYY, YYYY-MM or YYYY-MM-DD"))
    authority = models.CharField(_("listing authority"), max_length=200, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    first_recorded_name = models.CharField(_("first recorded name"), max_length=100, blank=True)
    first_recorded_source = models.TextField(_("source of the first record"), blank=True)
    in_use_since = models.IntegerField(
        _("name in use since (year)"), null=True, blank=True, help_text=_("Negative for BCE, e.g. -484.")
    )
    evidence = models.TextField(_("evidence"), blank=True)
    preserved_features = models.TextField(_("preserved features"), blank=True)
    protection_measures = models.TextField(_("protection measures"), blank=True)
    description = models.TextField(_("description"), blank=True)
    verification = models.CharField(
        _("verification"), max_length=12, choices=Verification.choices, default=Verification.CONFIRMED
    )
    source = models.TextField(_("source"), blank=True)

    history = HistoricalRecords(
        verbose_name=_("heritage listing history"), verbose_name_plural=_("heritage listing history")
    )

    class Meta:
        verbose_name = _("heritage listing")
        verbose_name_plural = _("heritage listings")
        ordering = ["place", "scheme"]

    def __str__(self) -> str:
        return f"{self.place.name} · {self.get_scheme_display()}"

    @property
    def years_in_use(self) -> int | None:
        """Years the name has been in use by the listing date (or today), if known."""
        if self.in_use_since is None:
            return None
        reference = self.reference_year()
        # There is no year 0: from 484 BCE to 2016 CE is 2016 + 484 - 1 years.
        return reference - self.in_use_since - (1 if self.in_use_since < 0 < reference else 0)

    def reference_year(self) -> int:
        try:
            listed = partial_dates.parse(self.listed_on)
        except ValidationError:
            listed = None
        return listed.year if listed else dt.date.today().year

    def clean(self) -> None:
        errors: dict[str, list] = {}
        try:
            self.listed_on = partial_dates.normalize(self.listed_on)
        except ValidationError as exc:
            errors.setdefault("listed_on", []).extend(exc.messages)
        if self.notice_start and self.notice_end and self.notice_end < self.notice_start:
            errors.setdefault("notice_end", []).append(_("The notice cannot end before it starts."))
        year_errors = self._in_use_since_errors(listed_on_valid="listed_on" not in errors)
        if year_errors:
            errors["in_use_since"] = year_errors
        if errors:
            raise ValidationError(errors)

    def _in_use_since_errors(self, *, listed_on_valid: bool) -> list:
        if self.in_use_since is None:
            return []
        errors = []
        if not -3000 <= self.in_use_since <= dt.date.today().year:
            errors.append(
                _("%(year)s is not a plausible year (use -3000 to this year; negative for BCE).")
                % {"year": self.in_use_since}
            )
        if self.in_use_since == 0:
            errors.append(_("There is no year 0: use -1 for 1 BCE or 1 for 1 CE."))
        if errors or self.scheme not in MILLENNIAL_SCHEMES or self.status == HeritageStatus.REMOVED:
            return errors
        # An unknown start year is recorded as unknown (real listings whose sources give
        # no year exist); a known one must reach the threshold.
        if listed_on_valid and (self.years_in_use or 0) < MILLENNIUM:
            errors.append(
                _(
                    "A thousand-year listing needs a name in use for 1,000 years or more; "
                    "in use since %(since)s gives %(years)s years."
                )
                % {"since": self.in_use_since, "years": self.years_in_use}
            )
        return errors
