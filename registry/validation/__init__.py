"""The name checker: the one place where a name is judged (SPEC.md "Name checks").

``check_name(name, category, division=…, place=…, pinyin=…, location=…)`` returns a ``CheckResult``
with findings, each carrying one of the twenty rule codes, its severity, a message in
the active language and, for comparisons, the matching places with scores. The admin,
the approval workflow, the importer and the API all call this function.

Bad input never crashes it: an empty name, control characters or an unknown
category/division/place raise ``ValidationError`` with a clear message; anything that
is text gets findings (a 20,000-character name gets TOO_LONG, NON_HANZI … quickly).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from registry.choices import Category, HeritageStatus
from registry.generics import split_generic
from registry.models import Division, Place
from registry.models.places import MAX_NAME_LENGTH
from registry.freshness import LEXICON, PLACES, Snapshot, snapshot
from registry.romanization import romanize
from registry.text import clean_name
from registry.validation.characters import character_findings
from registry.validation.comparisons import exact_findings, scope_prefix, similar_findings
from registry.validation.findings import RULES, CheckResult, Finding, Match, finding
from registry.validation.policy import enforce
from registry.validation.reserved import REVISION as BANK_REVISION
from registry.validation.reserved import reserved_findings
from registry.validation.generic_rules import generic_findings, length_findings
from registry.validation.lexicon import Lexicon, get_lexicon
from registry.validation.nearby import Location, location_of, nearby_findings
from registry.validation.normalize import core_specific
from registry.validation.romanization_rule import romanization_findings
from registry.validation.word_rules import word_findings
from registry.validation.partitions import candidate_index
from registry.validation.similarity import frozen_snapshot

__all__ = ["check_name", "judge", "judged", "enforce", "CheckResult", "Finding", "Match", "RULES", "heritage_findings"]

# Longer than any stored name: such a name cannot equal or resemble one, and is not
# worth romanizing; it still gets every rule that reads the text itself.
COMPARABLE_LENGTH = MAX_NAME_LENGTH
MAX_INPUT = 50_000


_divisions: dict[str, Division] = {}


def _resolve_division(division) -> Division | None:
    if division in (None, ""):
        return None
    if isinstance(division, Division):
        return division
    code = str(division).strip()
    found = _divisions.get(code) or Division.objects.filter(code=code).order_by().first()
    if found is not None:
        # Divisions are never deleted and a check needs only the code: safe to keep.
        _divisions[code] = found
    if found is None:
        raise ValidationError({"division": _("Unknown division code “%(code)s”.") % {"code": code[:20]}})
    return found


def _resolve_place(place) -> Place | None:
    if place in (None, ""):
        return None
    if isinstance(place, Place):
        return place
    code = str(place).strip().upper()
    found = Place.objects.select_related("division").filter(code=code).first()
    if found is None:
        raise ValidationError({"place": _("Unknown place code “%(code)s”.") % {"code": code[:40]}})
    return found


def heritage_findings(place: Place) -> list[Finding]:
    """HERITAGE_PROTECTED for renaming or retiring a listed place without protection measures."""
    listings = place.heritage_listings.exclude(status=HeritageStatus.REMOVED).filter(protection_measures="")
    return [finding("HERITAGE_PROTECTED", name=place.name, scheme=listing.get_scheme_display()) for listing in listings]


def _refuse_bad_input(name, category) -> None:
    if category not in Category.values:
        raise ValidationError(
            {
                "category": _("Unknown category “%(category)s” (use one of %(choices)s).")
                % {"category": str(category)[:30], "choices": ", ".join(Category.values)}
            }
        )
    if name is not None and len(str(name)) > MAX_INPUT:
        raise ValidationError(
            {
                "name": _("The name is %(length)s characters long; at most %(max)s are checked.")
                % {"length": len(str(name)), "max": MAX_INPUT}
            }
        )


def check_name(
    name: str,
    category: str,
    *,
    division: Division | str | None = None,
    place: Place | str | None = None,
    pinyin: str = "",
    details: dict | None = None,
    location: Location | None = None,
) -> CheckResult:
    """Judge ``name`` as the name of a ``category`` feature (optionally in ``division``).

    ``location`` (lon, lat), or else the renamed place's point, adds the comparison with
    the places within ``RADIUS_M`` across scope borders (``nearby``)."""
    _refuse_bad_input(name, category)
    name = clean_name(name, max_length=MAX_INPUT)
    given_details = details
    target = _resolve_place(place)
    division_obj = _resolve_division(division) or (target.division if target else None)
    division_code = division_obj.code if division_obj else None
    exclude_pk = target.pk if target else None
    given_location = location
    if location is None and target is not None:
        location = location_of(target.longitude, target.latitude)
    if details is None and target is not None and target.category == category:
        details = target.details
    seen = frozen_snapshot()
    findings = judge(
        name,
        category,
        division_code=division_code,
        exclude_pk=exclude_pk,
        pinyin=pinyin,
        details=details,
        lexicon=get_lexicon(seen.lexicon),
        exact=exact_findings,
        similar=partial(similar_findings, index=partial(candidate_index, seen.places)),
        nearby=nearby_findings,
        location=location,
    )
    if target is not None and name != target.name:
        findings += heritage_findings(target)
    findings += reserved_findings(name, category, division_code, seen.revisions.get(BANK_REVISION, 0))
    findings.sort(key=_order)
    standard = romanize(name, category).pinyin if len(name) <= COMPARABLE_LENGTH else ""
    basis = _basis(name, category, division_code, exclude_pk, pinyin, seen, given_details, given_location)
    return CheckResult(name=name, pinyin=standard, findings=findings, basis=basis)


def _basis(
    name, category, division_code, place_pk, pinyin, seen: Snapshot, details=None, location=None
) -> tuple | None:
    # Details given by the caller are not part of the basis, and a transaction that
    # already wrote places or word lists keeps one revision for all its writes (the
    # revisions could not tell a later write in it): such checks are never reused.
    if details is not None or not seen.cacheable(PLACES, LEXICON, BANK_REVISION):
        return None
    # A place's own point is covered by the registry's revisions; a given location is not.
    return (name, category, division_code, place_pk, pinyin or "", location, seen.key())


def judged(
    result: CheckResult | None,
    name: str,
    category: str,
    *,
    division_code: str | None,
    place_pk: int | None,
    pinyin: str,
    location: Location | None = None,
) -> bool:
    """Whether ``result`` is the check ``check_name`` would return now for these arguments
    (the same name, scope, place and pinyin, the registry and the word lists unchanged since),
    so that a caller may keep it instead of judging the name again. Costs one small query."""
    if result is None or result.basis is None:
        return False
    now = _basis(
        clean_name(name, max_length=MAX_INPUT), category, division_code, place_pk, pinyin, snapshot(), location=location
    )
    return now == result.basis


def _order(f: Finding):
    return (f.severity != "error", list(RULES).index(f.rule))


def judge(
    name: str,
    category: str,
    *,
    division_code: str | None,
    exclude_pk: int | None,
    pinyin: str,
    details: dict | None,
    lexicon: Lexicon,
    exact: Callable,
    similar: Callable,
    roman=None,
    nearby: Callable | None = None,
    location: Location | None = None,
) -> list[Finding]:
    """Every rule but HERITAGE_PROTECTED, for an already clean name.

    ``exact`` finds DUPLICATE and HOMOPHONE matches and ``similar`` SIMILAR ones: for a
    single check, indexed database lookups and the candidate index
    (``comparisons``); for a registry-wide audit, in-memory groups (``audit``).
    ``nearby`` finds the same names and sounds within the radius of ``location`` beyond
    the scope (``nearby``), for a name with a location only.
    """
    specific, generic = split_generic(name, category)
    core = core_specific(specific) if specific else name
    findings: list[Finding] = []
    findings += character_findings(name)
    findings += generic_findings(name, category, details)
    findings += length_findings(name, category)
    findings += word_findings(name, core, lexicon, generic, category)
    if len(name) <= COMPARABLE_LENGTH:
        roman = roman or romanize(name, category)
        findings += romanization_findings(pinyin, roman)
        prefix = scope_prefix(category, division_code)
        found, reported = exact(name, category, prefix, exclude_pk, roman.key)
        findings += found
        if nearby is not None and location is not None:
            findings += nearby(name, category, exclude_pk, roman.key, location, reported)
        findings += similar(name, category, prefix, exclude_pk, reported)
    # Approved exceptions (合肥新桥国际机场 …) switch off the rules they name for that name.
    allowed = lexicon.allowed_rules(name, "")
    findings = [f for f in findings if f.rule not in allowed]
    findings.sort(key=_order)
    return findings
