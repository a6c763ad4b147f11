"""Partial dates: a year, a year and month, or a full date; BCE years allowed.

Names are often attested only to the year ("renamed in 1956"), and heritage names
reach back before the common era (橐皋, 《春秋》). We therefore store such dates as
text in ISO form ("1956", "1956-03", "1956-03-01", "-0484" for 484 BCE) and derive
two integer keys for ordering and time-travel queries: the first and the last day
the text can mean, as ``year * 10000 + month * 100 + day``. The keys sort correctly
across the era boundary and work the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

_PATTERN = re.compile(r"^(?P<year>-?\d{1,4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?$")
MIN_YEAR = -3000  # older than any attested Chinese place name
MAX_YEAR = 2999


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        year = f"-{abs(self.year):04d}" if self.year < 0 else f"{self.year:04d}"
        if self.month is None:
            return year
        if self.day is None:
            return f"{year}-{self.month:02d}"
        return f"{year}-{self.month:02d}-{self.day:02d}"

    @property
    def first_key(self) -> int:
        """Key of the first day this date can mean."""
        return self.year * 10000 + (self.month or 1) * 100 + (self.day or 1)

    @property
    def last_key(self) -> int:
        """Key of the last day this date can mean."""
        month = self.month or 12
        day = self.day or _days_in_month(self.year, month)
        return self.year * 10000 + month * 100 + day


def _days_in_month(year: int, month: int) -> int:
    # The proleptic Gregorian calendar repeats every 400 years; this also covers BCE
    # years, which datetime cannot represent.
    return calendar.monthrange(2000 + year % 400, month)[1]


def parse(value: str | int | dt.date | None) -> PartialDate | None:
    """Parse ``"1956"``, ``"1956-3"``, ``"1956-03-01"``, ``"-0484"``, a year or a date.

    Empty input gives None. Anything else raises ValidationError with a message that
    says what was wrong, e.g. "1956-02-30 is not a real date".
    """
    if value is None:
        return None
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, int):
        value = str(value)
    text = str(value).strip()
    if not text:
        return None
    match = _PATTERN.match(text)
    if not match:
        raise ValidationError(
            _("“%(value)s” is not a date: use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 1956 or 1956-03-01)."),
            code="invalid_date",
            params={"value": text[:40]},
        )
    year = int(match["year"])
    month = int(match["month"]) if match["month"] else None
    day = int(match["day"]) if match["day"] else None
    if year == 0 or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            _("Year %(year)s is out of range (%(min)s to %(max)s, no year 0)."),
            code="invalid_date",
            params={"year": year, "min": MIN_YEAR, "max": MAX_YEAR},
        )
    if month is not None and not 1 <= month <= 12:
        raise ValidationError(
            _("“%(value)s” is not a real date: month %(month)s does not exist."),
            code="invalid_date",
            params={"value": text, "month": month},
        )
    if day is not None and not 1 <= day <= _days_in_month(year, month):
        raise ValidationError(
            _("“%(value)s” is not a real date: that month has no day %(day)s."),
            code="invalid_date",
            params={"value": text, "day": day},
        )
    return PartialDate(year, month, day)


def normalize(value: str | int | dt.date | None) -> str:
    """The canonical text form, or "" for empty input."""
    parsed = parse(value)
    return str(parsed) if parsed else ""


def date_key(day: dt.date) -> int:
    """The key of a full date, for comparing with stored keys."""
    return day.year * 10000 + day.month * 100 + day.day


def display(value: str | int | dt.date | None) -> str:
    """A partial date as people read it: 前484年, 1956年3月 (``-484 BCE``, ``1956-03`` in English).

    For screens only (admin lists, read-only fields, history): the stored text stays in
    ISO form ("-0484") and the API and exports keep printing it, since machines read
    those. Empty input gives ""; text that is not a valid date is shown as stored.
    """
    try:
        parsed = parse(value)
    except ValidationError:
        return str(value)
    if parsed is None:
        return ""
    parts = {
        "year": abs(parsed.year),
        "month": parsed.month,
        "day": parsed.day,
        "mm": f"{parsed.month or 0:02d}",
        "dd": f"{parsed.day or 0:02d}",
    }
    if parsed.year > 0:
        if parsed.month is None:
            template = pgettext("partial date", "%(year)s")
        elif parsed.day is None:
            template = pgettext("partial date", "%(year)s-%(mm)s")
        else:
            template = pgettext("partial date", "%(year)s-%(mm)s-%(dd)s")
    elif parsed.month is None:
        template = pgettext("partial date", "%(year)s BCE")
    elif parsed.day is None:
        template = pgettext("partial date", "%(year)s-%(mm)s BCE")
    else:
        template = pgettext("partial date", "%(year)s-%(mm)s-%(dd)s BCE")
    return template % parts
