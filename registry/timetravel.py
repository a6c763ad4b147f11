"""Time travel: the name a place bore on a given day (``as_of``), one rule for every reader.

A place's names history rarely has every date: many old names are recorded without
dates at all, most current names without the day they began. The rule below says what
the registry claims for a day, and it is evaluated in SQL with explicit conditions
(no reliance on where a database sorts NULLs), so SQLite and PostgreSQL agree.

Only the succession of names counts (official, former, historical; aliases are
nicknames used alongside, never "the" name). For a day D a name is *in use* when

- it has begun by D: its start is recorded and on or before D; or, start unknown, the
  name before it (the latest recorded end among the place's other names ending before
  it) ended before D, or the registry had recorded the name by D, or D lies in the
  year of its recorded end (a name known to end in 2006 was in use in 2006);
- and it has not ended before D: its end is recorded and on or after D; or it is the
  current official name; or, end unknown, no other name of the place begins after its
  start and by D (a name lasts until the next recorded one begins).

A name with no dates at all is not in use on any day by its dates; only the current
official name is, from the day the registry recorded it. Nothing is assumed before the
earliest evidence: a road recorded without dates is not claimed for the year 1. Where
several names are in use on D (unknown bounds overlap), the current official name
wins, then the latest start, then the latest record. A partial ``as_of`` (``1956``,
``1956-03``) means its first day; BCE years are negative (``-0483``, ``-483-01-01``),
as in ``registry.partial_dates``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Case, F, IntegerField, Max, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from registry import partial_dates
from registry.choices import NameKind
from registry.models import PlaceName

SUCCESSION = (NameKind.OFFICIAL, NameKind.FORMER, NameKind.HISTORICAL)
# Below and above every key partial_dates can produce (years -3000 to 2999).
MIN_KEY = -100_000_000
MAX_KEY = 100_000_000


def parse_as_of(raw: str) -> int:
    """The day key of an ``as_of`` value, or ValidationError saying what is wrong with it."""
    text = (raw or "").strip()
    try:
        parsed = partial_dates.parse(text)
    except ValidationError as exc:
        if partial_dates._PATTERN.match(text):  # the right shape, an impossible day: say which part
            raise ValidationError(exc.messages) from None
        raise ValidationError(
            _("“%(value)s” is not a day: use YYYY-MM-DD, YYYY-MM or YYYY, negative years for BCE (e.g. -0483).")
            % {"value": text[:30]}
        ) from None
    if parsed is None:
        raise ValidationError(_("Give a day (YYYY-MM-DD)."))
    return parsed.first_key


def today_key() -> int:
    return partial_dates.date_key(timezone.localdate())


def _recorded_by(key: int):
    """A condition "created on or before day ``key``" (in the registry's time zone)."""
    year, rest = divmod(key, 10000)
    if year < 1:
        return Q(pk__in=[])
    month, day = divmod(rest, 100)
    next_day = dt.datetime(year, month, day) + dt.timedelta(days=1)
    return Q(created_at__lt=timezone.make_aware(next_day))


def _siblings():
    return PlaceName.objects.filter(place=OuterRef("place"), kind__in=SUCCESSION).exclude(pk=OuterRef("pk")).order_by()


def names_in_use(key: int, names=None):
    """The succession names (of any place) in use on day ``key``, annotated with their ``start_rank``."""
    names = PlaceName.objects.all() if names is None else names
    current_official = Q(kind=NameKind.OFFICIAL, valid_to="")
    predecessor_end = Subquery(
        _siblings()
        .filter(valid_to_key__isnull=False, valid_to_key__lt=Coalesce(OuterRef("valid_to_key"), Value(MAX_KEY)))
        .values("place")
        .annotate(end=Max("valid_to_key"))
        .values("end")[:1],
        output_field=IntegerField(),
    )
    next_start = Subquery(
        _siblings()
        .filter(valid_from_key__isnull=False, valid_from_key__gt=Coalesce(OuterRef("valid_from_key"), Value(MIN_KEY)))
        .values("place")
        .annotate(start=Min("valid_from_key"))
        .values("start")[:1],
        output_field=IntegerField(),
    )
    names = (
        names.filter(kind__in=SUCCESSION)
        .filter(Q(valid_from_key__isnull=False) | Q(valid_to_key__isnull=False) | current_official)
        .annotate(predecessor_end=predecessor_end, next_start=next_start)
    )
    # The first day of the year of the recorded end (keys are year * 10000 + mmdd, mmdd > 0
    # even for BCE years; the double modulo is right whatever sign convention % has).
    end_year_start = F("valid_to_key") - (F("valid_to_key") % 10000 + 10000) % 10000 + 101
    names = names.annotate(end_year_start=end_year_start)
    started = Q(valid_from_key__lte=key) | Q(valid_from_key__isnull=True) & (
        Q(predecessor_end__isnull=False, predecessor_end__lt=key)
        | _recorded_by(key)
        | Q(valid_to_key__isnull=False, end_year_start__lte=key)
    )
    not_ended = Q(valid_to_key__gte=key) | Q(valid_to_key__isnull=True) & (
        current_official | Q(next_start__isnull=True) | Q(next_start__gt=key)
    )
    return names.filter(started & not_ended).annotate(
        current_rank=Case(When(current_official, then=Value(0)), default=Value(1), output_field=IntegerField()),
        start_rank=Coalesce(
            "valid_from_key", "predecessor_end", "end_year_start", Value(MIN_KEY), output_field=IntegerField()
        ),
    )


def name_on(key: int, place=None):
    """The name the place (default: the outer query's ``pk``) bore on day ``key``: a queryset of one or none."""
    names = PlaceName.objects.filter(place=OuterRef("pk") if place is None else place)
    return names_in_use(key, names).order_by("current_rank", "-start_rank", "-pk")[:1]


def places_as_of(queryset, key: int):
    """Annotate each place with the name and pinyin it bore on day ``key``; drop places with none."""
    winner = name_on(key)
    return queryset.annotate(
        as_of_name=Subquery(winner.values("name")), as_of_pinyin=Subquery(winner.values("pinyin"))
    ).filter(as_of_name__isnull=False)


def names_borne_on(key: int, names):
    """Of ``names``, those that were their place's name on day ``key`` (one per place at most)."""
    return names.filter(pk=Subquery(name_on(key, place=OuterRef("place")).values("pk")))
