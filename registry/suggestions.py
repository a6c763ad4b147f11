"""Name suggestions: names that pass every rule in a scope, never invented words.

For a category and a division (optionally a theme or series, and the features a new one
lies on or crosses), the registry proposes, in this order:

1. **bank entries** (地名储备库) that are available in that scope, the theme's first;
2. **series continuations** of the registry's own names: 经七路 after 经一路 … 经六路,
   and a gap's number (经三路 where 经二路 and 经四路 exist);
3. **derived names** from the neighbouring features, as Hefei derives them: the bridge
   on 长江路 over 南淝河 → 长江路南淝河桥, 长江路桥, 南淝河桥; a road that continues
   金寨路 → 金寨南路 …; a road along 天鹅湖 → 天鹅湖路.

Every specific comes from a bank entry (with its recorded source), an existing name, or
a series marker (a numeral, a direction). Each candidate is judged by ``check_name`` in
the requested scope and kept only when it has no finding at all, so a suggestion can be
proposed as it is; its pinyin is the standard one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.choices import Category, PlaceStatus
from registry.models import Division, NameBankEntry, Place
from registry.models.name_bank import BankStatus
from registry.validation import check_name
from registry.validation.comparisons import scope_prefix
from registry.validation.normalize import DIRECTIONS, series
from registry.validation.reserved import in_scope

MAX_COUNT = 50
#: Candidates judged per suggestion asked for, per source: bounds the work when most candidates fail.
TRIES_PER_SUGGESTION = 6
DIGITS = "一二三四五六七八九"
BRIDGE_GENERIC = "桥"
ROAD_GENERIC = "路"


@dataclass
class Suggestion:
    name: str
    pinyin: str
    why: str
    source: str  # "bank", "series" or "derived"
    bank_entry: int | None = None
    findings: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "pinyin": self.pinyin,
            "why": self.why,
            "source": self.source,
            "bank_entry": self.bank_entry,
            "findings": self.findings,
        }


@dataclass(frozen=True)
class Candidate:
    name: str
    why: str
    source: str
    bank_entry: int | None = None


def numeral(text: str) -> int | None:
    """一 → 1, 十 → 10, 十一 → 11, 二十 → 20, 九十九 → 99; anything else (第, 百, 零) → None."""
    if not text or any(c not in DIGITS + "十" for c in text) or text.count("十") > 1:
        return None
    if "十" not in text:
        return DIGITS.index(text) + 1 if len(text) == 1 else None
    tens, _sep, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (DIGITS.index(tens) + 1 if tens else 1) * 10 + (DIGITS.index(ones) + 1 if ones else 0)


def chinese(number: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 99 → 九十九 (1–99)."""
    tens, ones = divmod(number, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else DIGITS[tens - 1] + "十")
    return head + (DIGITS[ones - 1] if ones else "")


def _in_scope(queryset, category: str, division: Division):
    prefix = scope_prefix(category, division.code)
    return queryset.filter(division__code__startswith=prefix) if prefix else queryset


def bank_candidates(category: str, division: Division, theme: str) -> Iterator[Candidate]:
    """Available bank entries in scope, not expired: the theme's first, then those of the division itself."""
    today = timezone.localdate()
    entries = NameBankEntry.objects.filter(status=BankStatus.AVAILABLE, category=category).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )
    rows = [e for e in entries.order_by("series", "name", "pk") if in_scope(category, division.code, e.division_id)]
    rows.sort(key=lambda e: (not (theme and theme in e.series), e.division_id != division.code))
    for e in rows:
        if theme and theme not in e.series and theme not in e.name:
            continue
        why = _("From the name bank (entry %(entry)s%(series)s; source: %(source)s).") % {
            "entry": e.pk,
            "series": f"，{e.series}" if e.series else "",
            "source": e.source,
        }
        yield Candidate(e.name, why, "bank", e.pk)


def series_candidates(category: str, division: Division, theme: str) -> Iterator[Candidate]:
    """The next number of each numbered series in scope (the longest series first), then its gaps."""
    places = _in_scope(Place.objects.filter(category=category, status=PlaceStatus.ACTIVE), category, division)
    if theme:
        places = places.filter(specific__startswith=theme)
    groups: dict[tuple[str, str], set[int]] = defaultdict(set)
    for specific, generic in places.values_list("specific", "generic").iterator():
        base, marker = series(specific)
        if marker.startswith("第"):  # 第一路 … : the ordinal's 第 stays with the base
            base, marker = base + "第", marker[1:]
        number = numeral(marker)
        if number is not None and generic:
            groups[(base, generic)].add(number)
    for (base, generic), numbers in sorted(groups.items(), key=lambda g: (-len(g[1]), g[0])):
        known = "、".join(base + chinese(n) + generic for n in sorted(numbers)[:3])
        last = max(numbers)
        if last < 99:
            yield Candidate(
                base + chinese(last + 1) + generic,
                _("Continues the series %(known)s … %(last)s.")
                % {"known": known, "last": base + chinese(last) + generic},
                "series",
            )
        for gap in sorted(set(range(1, last)) - numbers):
            yield Candidate(
                base + chinese(gap) + generic,
                _("Fills a gap in the series %(known)s … %(last)s.")
                % {"known": known, "last": base + chinese(last) + generic},
                "series",
            )


def derived_candidates(category: str, on: Place | None, over: Place | None) -> Iterator[Candidate]:
    """Names derived from the features a bridge carries and crosses, or a road continues or runs along."""
    if category == Category.BRIDGE:
        yield from _bridge_names(on, over)
    elif category == Category.ROAD:
        yield from _road_names(on, over)


def _bridge_names(on: Place | None, over: Place | None) -> Iterator[Candidate]:
    if on is not None and over is not None:
        yield Candidate(
            on.name + over.name + BRIDGE_GENERIC,
            _("The bridge carries %(on)s over %(over)s.") % {"on": on.name, "over": over.name},
            "derived",
        )
    for feature in (f for f in (on, over) if f is not None):
        yield Candidate(
            feature.name + BRIDGE_GENERIC,
            _("Named after %(feature)s, which the bridge carries or crosses.") % {"feature": feature.name},
            "derived",
        )


def _road_names(on: Place | None, over: Place | None) -> Iterator[Candidate]:
    if on is not None and on.category == Category.ROAD and on.specific and not series(on.specific)[1]:
        for direction in DIRECTIONS:
            yield Candidate(
                on.specific + direction + on.generic,
                _("A section of %(road)s (%(direction)s).") % {"road": on.name, "direction": direction},
                "derived",
            )
    for feature in (f for f in (on, over) if f is not None and f.category == Category.WATER):
        yield Candidate(feature.name + ROAD_GENERIC, _("Runs along %(water)s.") % {"water": feature.name}, "derived")


def _judged(candidate: Candidate, category: str, division: Division) -> Suggestion | None:
    result = check_name(candidate.name, category, division=division)
    findings = [
        f
        for f in result.findings
        if not (f.rule == "RESERVED" and candidate.bank_entry and f.params.get("entry") == candidate.bank_entry)
    ]
    if findings:
        return None
    return Suggestion(candidate.name, result.pinyin, candidate.why, candidate.source, candidate.bank_entry)


def resolve_near(value: str, division: Division, field_name: str) -> Place | None:
    """A neighbouring feature by its code, or by its current name among the active places in scope."""
    value = (value or "").strip()
    if not value:
        return None
    found = Place.objects.filter(code=value.upper()).first()
    if found is None:
        named = Place.objects.filter(name=value, status=PlaceStatus.ACTIVE)
        prefix = division.code[:4]
        found = (
            named.filter(division__code__startswith=prefix).order_by("code").first() or named.order_by("code").first()
        )
    if found is None:
        raise ValidationError(
            {field_name: _("No place with the code or the current name “%(value)s”.") % {"value": value[:50]}}
        )
    return found


def suggest(
    *,
    category: str,
    division: Division,
    theme: str = "",
    on: Place | None = None,
    over: Place | None = None,
    count: int = 10,
) -> list[Suggestion]:
    """Up to ``count`` names for a new ``category`` feature in ``division`` that pass every rule there."""
    theme = (theme or "").strip()
    sources = (
        bank_candidates(category, division, theme),
        series_candidates(category, division, theme),
        derived_candidates(category, on, over),
    )
    found: list[Suggestion] = []
    seen: set[str] = set()
    for source in sources:
        tries = count * TRIES_PER_SUGGESTION  # per source: a long failing series does not starve the derived names
        for candidate in source:
            if len(found) >= count:
                return found
            if tries <= 0:
                break
            if candidate.name in seen:
                continue
            seen.add(candidate.name)
            tries -= 1
            judged = _judged(candidate, category, division)
            if judged is not None:
                found.append(judged)
    return found
