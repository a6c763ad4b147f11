"""What a proposal's draft must name, by action, and its fields as the model stores them.

Drafting (``proposals.proposal_create``), correcting (``proposal_update``) and a round's
items (``rounds``) all judge a draft here: ``DRAFT_REQUIREMENTS`` is the table of what
each action needs (one row a refusal, in the order given), ``draft_fields`` resolves the
codes, applies the table and returns the cleaned model fields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.choices import ProposalAction
from registry.models import Division, HeritageListing, Place
from registry.text import clean_name

HERITAGE_FIELDS = frozenset(
    {
        "scheme",
        "level",
        "batch",
        "in_use_since",
        "first_recorded_name",
        "first_recorded_source",
        "evidence",
        "preserved_features",
        "protection_measures",
        "description",
    }
)


@dataclass(frozen=True)
class DraftRequirement:
    """One thing a draft of an ``actions`` proposal must have: ``field`` is refused with
    ``message`` (filled in with ``params(draft)``) when ``broken(draft)``; a field already
    refused is not checked again, so the first refusal of a field is the one given."""

    actions: frozenset[str]
    field: str
    broken: Callable[[SimpleNamespace], bool]
    message: Promise
    params: Callable[[SimpleNamespace], dict] = lambda draft: {}


_NEW = frozenset({ProposalAction.NAME})
_EXISTING = frozenset(ProposalAction.values) - _NEW  # renaming, retiring and listing are about a place
# What a draft must name, by action (proposal_create, proposal_update), in the order refused.
DRAFT_REQUIREMENTS: tuple[DraftRequirement, ...] = (
    DraftRequirement(_NEW, "name", lambda d: not d.name, gettext_lazy("A new place needs a proposed name.")),
    DraftRequirement(_NEW, "category", lambda d: not d.category, gettext_lazy("A new place needs a category.")),
    DraftRequirement(_NEW, "division", lambda d: d.division is None, gettext_lazy("A new place needs a division.")),
    DraftRequirement(
        _EXISTING, "place", lambda d: d.place is None, gettext_lazy("Say which place (its code) the proposal is about.")
    ),
    DraftRequirement(
        _EXISTING,
        "place",
        lambda d: d.place.status == "retired",
        gettext_lazy("%(name)s is retired."),
        lambda d: {"name": d.place.name},
    ),
    DraftRequirement(
        frozenset({ProposalAction.RENAME}), "name", lambda d: not d.name, gettext_lazy("A rename needs the new name.")
    ),
    DraftRequirement(
        frozenset({ProposalAction.LIST_HERITAGE}),
        "heritage",
        lambda d: bool(set(d.heritage) - HERITAGE_FIELDS),
        gettext_lazy("Unknown heritage fields: %(fields)s"),
        lambda d: {"fields": ", ".join(sorted(set(d.heritage) - HERITAGE_FIELDS))},
    ),
    DraftRequirement(
        frozenset({ProposalAction.LIST_HERITAGE}),
        "heritage",
        lambda d: not d.heritage.get("scheme") or not d.heritage.get("level"),
        gettext_lazy("A heritage listing needs its scheme and level."),
    ),
)


def refusals(draft: SimpleNamespace) -> dict[str, str]:
    """The fields ``DRAFT_REQUIREMENTS`` refuse in ``draft``, each with its first refusal."""
    errors: dict[str, str] = {}
    for requirement in DRAFT_REQUIREMENTS:
        if draft.action in requirement.actions and requirement.field not in errors and requirement.broken(draft):
            params = requirement.params(draft)
            errors[requirement.field] = str(requirement.message % params if params else requirement.message)
    return errors


def resolved(place: Place | str | None, division: Division | str | None) -> tuple[Place | None, Division | None]:
    """The place and the division a draft names (by code, or as objects); an unknown code is refused."""
    if isinstance(place, str) and place:
        found = Place.objects.filter(code=place.strip().upper()).first()
        if found is None:
            raise ValidationError({"place": _("Unknown place code “%(code)s”.") % {"code": place[:40]}})
        place = found
    if isinstance(division, str) and division:
        found = Division.objects.filter(code=division.strip()).first()
        if found is None:
            raise ValidationError({"division": _("Unknown division code “%(code)s”.") % {"code": division[:20]}})
        division = found
    return place or None, division or None


def draft_fields(
    *,
    action: str,
    reason: str,
    place: Place | str | None,
    name: str,
    category: str,
    division: Division | str | None,
    pinyin: str,
    origin: str,
    heritage: dict[str, Any] | None,
) -> dict[str, Any]:
    """The model fields of a draft, checked as drafting and correcting both need them
    (``DRAFT_REQUIREMENTS``)."""
    if action not in ProposalAction.values:
        raise ValidationError({"action": _("Unknown action “%(action)s”.") % {"action": str(action)[:30]}})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the name is proposed (the reason).")})
    place, division = resolved(place, division)
    heritage = dict(heritage or {}) if action == ProposalAction.LIST_HERITAGE else {}
    errors = refusals(
        SimpleNamespace(action=action, place=place, name=name, category=category, division=division, heritage=heritage)
    )
    if errors:
        raise ValidationError(errors)
    if action == ProposalAction.LIST_HERITAGE:
        # Validate the listing now (the 1,000-year rule among others), not only at approval.
        HeritageListing(place=place, status="candidate", **heritage).full_clean(exclude=["place"])
    return model_fields(action, reason, place, name, category, division, pinyin, origin, heritage)


def model_fields(
    action: str,
    reason: str,
    place: Place | None,
    name: str,
    category: str,
    division: Division | None,
    pinyin: str,
    origin: str,
    heritage: dict[str, Any],
) -> dict[str, Any]:
    """A checked draft's fields as the model stores them (names cleaned, texts trimmed)."""
    keeps_place = place is not None and action != ProposalAction.NAME
    return {
        "action": action,
        "reason": reason.strip(),
        "place": place,
        "name": clean_name(name) if name and action in (ProposalAction.NAME, ProposalAction.RENAME) else "",
        # Renaming, retiring and listing are about an existing place: its category and division.
        "category": place.category if keeps_place else (category or ""),
        "division": place.division if keeps_place else division,
        "pinyin": (pinyin or "").strip(),
        "origin": (origin or "").strip(),
        "heritage": heritage,
    }
