"""The checks of a naming round: every item against the registry and against the others.

Against the registry, each named item is judged by ``check_name`` exactly as a single
proposal's name is (and a rename or retirement meets the heritage protection). Against
the round, the items are grouped by ``batch.Comparisons`` as an import's rows are, so
two items with the same name or a homophone in one uniqueness scope, or a typo-like
pair, are found without comparing every pair. Three rules only a round can break
follow: a numbered series (经一路 … 经十路) with a gap or with one number under two
generics, and a bridge whose name follows neither the road it carries nor the water
(or road) it crosses, when the item records them (``details``: ``carries``,
``crosses``). Findings come back per item number, ready to store on the item.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.choices import Category, PlaceStatus
from registry.generics import split_generic
from registry.models import Place
from registry.romanization import romanize
from registry.validation import check_name, heritage_findings
from registry.validation.batch import Comparisons, Entry
from registry.validation.comparisons import prefetch_exact, scope_prefix
from registry.validation.findings import ERROR, WARNING, rule_label
from registry.validation.nearby import location_of
from registry.validation.normalize import name_key
from registry.validation.similarity import pending_frozen

__all__ = ["RoundFinding", "ROUND_RULE_LABELS", "check_items", "series_key"]

ROUND_RULE_LABELS = {
    "SERIES_GAP": gettext_lazy("series with a gap"),
    "SERIES_CLASH": gettext_lazy("series clash"),
    "BRIDGE_NAME": gettext_lazy("bridge name does not follow road or river"),
}


@dataclass(frozen=True)
class RoundFinding:
    """A finding only a round has (a series, a bridge): the shape ``policy.enforce`` reads."""

    rule: str
    severity: str
    message: str
    matches: tuple = field(default=())

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def label(self) -> str:
        return str(ROUND_RULE_LABELS.get(self.rule, self.rule))

    def as_dict(self) -> dict:
        data = {"rule": self.rule, "severity": self.severity, "message": self.message}
        if self.matches:
            data["matches"] = [{"code": code, "name": name, "score": 100.0} for code, name in self.matches]
        return data


def finding_label(rule: str) -> str:
    """A stored finding's rule in the active language (the registry's rules and the round's)."""
    return str(ROUND_RULE_LABELS[rule]) if rule in ROUND_RULE_LABELS else rule_label(rule)


def item_label(position: int) -> str:
    return _("item %(number)s") % {"number": position}


def _division_code(item) -> str | None:
    division = item.division if item.division_id else (item.place.division if item.place_id else None)
    return division.code if division else None


def _category(item) -> str:
    return item.category or (item.place.category if item.place_id else "")


def _registry_findings(item) -> list:
    if item.action == "retire":
        return heritage_findings(item.place) if item.place_id else []
    if not item.name:
        return []
    place = item.place if item.action == "rename" else None
    return list(
        check_name(
            item.name,
            _category(item),
            division=_division_code(item),
            place=place,
            pinyin=item.pinyin,
            details=item.details or None,
            location=location_of(item.longitude, item.latitude),
        ).findings
    )


def _pairs(items: list) -> dict[int, list]:
    """DUPLICATE, HOMOPHONE and SIMILAR between the round's own items."""
    named = [item for item in items if item.name and item.action != "retire"]
    sounds = {item.position: romanize(item.name, _category(item)).key for item in named}
    groups = Comparisons(
        Entry.incoming(
            item.position,
            item_label(item.position),
            item.name,
            _category(item),
            _division_code(item) or "",
            name_key(item.name, _category(item)),
            sounds[item.position],
            item.longitude,
            item.latitude,
        )
        for item in named
    )
    found: dict[int, list] = {}
    for item in named:
        category, prefix = _category(item), scope_prefix(_category(item), _division_code(item))
        exact, reported = groups.exact(item.name, category, prefix, -item.position, sounds[item.position])
        found[item.position] = list(exact) + list(
            groups.similar(item.name, category, prefix, -item.position, set(reported))
        )
        location = location_of(item.longitude, item.latitude)
        if location is not None:
            found[item.position] += groups.nearby(
                item.name, category, -item.position, sounds[item.position], location, set(reported)
            )
    return found


_NUMERALS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_SERIES = re.compile(r"^(?P<stem>.+?)(?P<number>[一二三四五六七八九十]{1,3})(?P<generic>.+)$")


def _ordinal(text: str) -> int | None:
    """一 … 九十九 as a number (十一 = 11, 二十 = 20, 二十三 = 23); None for anything else."""
    if "十" not in text:
        return _NUMERALS[text] if len(text) == 1 else None
    tens, _sep, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    return (_NUMERALS[tens] if tens else 1) * 10 + (_NUMERALS[ones] if ones else 0)


def series_key(name: str, category: str) -> tuple[str, int, str] | None:
    """(stem, number, generic) of a numbered name: 经十一路 → ("经", 11, "路")."""
    specific, generic = split_generic(name, category)
    match = _SERIES.match(specific + generic) if generic else None
    if not match or match["generic"] != generic:
        return None
    number = _ordinal(match["number"])
    return (match["stem"], number, generic) if number else None


def _registry_series(category: str, prefix: str, stem: str) -> list[tuple[int, str]]:
    rows = Place.objects.filter(
        status=PlaceStatus.ACTIVE, category=category, name__startswith=stem, division__code__startswith=prefix
    ).values_list("name", flat=True)
    return [(key[1], name) for name in rows if (key := series_key(name, category)) and key[0] == stem]


def _series_groups(items: list) -> dict[tuple, list]:
    groups: dict[tuple, list] = defaultdict(list)
    for item in items:
        key = series_key(item.name, _category(item)) if item.name and item.action != "retire" else None
        if key:
            groups[(_category(item), scope_prefix(_category(item), _division_code(item)), key[0])].append(
                (key[1], key[2], item)
            )
    return groups


def _series_findings(category: str, prefix: str, stem: str, members: list, found: dict) -> None:
    """One series' gaps and clashes, with the registry's members of the same series."""
    taken = {number: name for number, name in _registry_series(category, prefix, stem)}
    generics: dict[int, set[str]] = defaultdict(set)
    for number, generic, item in members:
        taken.setdefault(number, item.name)
        generics[number].add(generic)
    for number, name in taken.items():
        generics[number].add(split_generic(name, category)[1])
    missing = [n for n in range(min(taken), max(taken) + 1) if n not in taken]
    for number, _generic, item in members:
        if missing:
            found[item.position].append(
                RoundFinding(
                    "SERIES_GAP",
                    WARNING,
                    _("The series “%(stem)s…” has a gap: number(s) %(missing)s are missing.")
                    % {"stem": stem, "missing": "、".join(str(n) for n in missing)},
                )
            )
        if len(generics[number]) > 1:
            found[item.position].append(
                RoundFinding(
                    "SERIES_CLASH",
                    ERROR,
                    _("Number %(number)s of the series “%(stem)s…” is used with different generics (%(generics)s).")
                    % {"number": number, "stem": stem, "generics": "、".join(sorted(generics[number]))},
                )
            )


def _series(items: list) -> dict[int, list]:
    """SERIES_GAP and SERIES_CLASH: a numbered series of the round, with the registry's members."""
    found: dict[int, list] = defaultdict(list)
    for (category, prefix, stem), members in _series_groups(items).items():
        _series_findings(category, prefix, stem, members, found)
    return found


def _specific(name: str, category: str) -> str:
    return split_generic(name, category)[0] or name


def _bridge(item) -> list:
    """BRIDGE_NAME: a bridge named after neither what it carries nor what it crosses."""
    details = item.details or {}
    if _category(item) != Category.BRIDGE or not item.name:
        return []
    followed = [(details.get(k) or "").strip() for k in ("carries", "crosses")]
    followed = [text for text in followed if text]
    if not followed or any(_specific(text, Category.ROAD) in item.name or text in item.name for text in followed):
        return []
    return [
        RoundFinding(
            "BRIDGE_NAME",
            WARNING,
            _("The bridge's name follows neither the road it carries nor what it crosses (%(names)s).")
            % {"names": "、".join(followed)},
        )
    ]


def check_items(items: Iterable, *, registry: bool = True) -> dict[int, list]:
    """Every item's findings, by item number: the registry's (``registry``) and the round's."""
    items = list(items)
    pairs, series = _pairs(items), _series(items)
    found = {}
    with pending_frozen():  # nothing is written while the items are judged: the registry read once for all
        if registry:
            prefetch_exact((item.name, _category(item)) for item in items if item.name and item.action != "retire")
        for item in items:
            findings = (_registry_findings(item) if registry else []) + pairs.get(item.position, [])
            found[item.position] = findings + series.get(item.position, []) + _bridge(item)
    return found
