"""Many new places written at once (a round's new places): ``places_create``.

The batch counterpart of ``places.place_create``, kept beside it: the same checks (fields,
code, every ``full_clean``), the same rows and audit entries, in a few statements where
one call each costs ten queries a place (``tests/rounds/test_round_apply_batch.py``
compares the two column by column).
"""

from __future__ import annotations

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from registry import freshness
from registry.choices import PlaceStatus
from registry.models import Division, Place, PlaceName
from registry.services import codes
from registry.services.places import (
    User,
    _audit,
    _checked_input,
    _name_columns,
    _new_place,
    _official_name,
    _refuse_taken_codes,
    record_findings,
)


NAMING_ARGUMENTS = ("named_on", "decision_document", "decision_date", "name_source", "name_note")


@transaction.atomic
def places_create(entries: list[dict], *, acting_user: User = None, reason: str = "create") -> list[Place]:
    """Many ``place_create`` calls at once (a round's new places), in a few statements.

    Each entry holds ``place_create``'s keyword arguments but ``acting_user`` and
    ``reason``. The same checks as one call each (fields, code, every ``full_clean``),
    the same rows and audit entries (a place and its official name, each with a history
    row naming ``acting_user`` and ``reason``), the same transaction's revision and
    ``record_findings``; the difference is the number of queries: the codes taken, the
    divisions and the inserts are read and written in batches, where one call each
    costs ten queries a place. A failure raises before anything is written, or inside
    the caller's transaction. Entries without a code get one from ``allocate_code``.
    """
    if not entries:
        return []
    places, named, given = [], [], []
    for entry in entries:
        attrs = dict(entry)
        naming = [
            attrs.pop(key, default) for key, default in zip(NAMING_ARGUMENTS, ("", "", None, "", ""), strict=True)
        ]
        name, category, division = attrs.pop("name"), attrs.pop("category"), attrs.pop("division")
        pinyin, status = attrs.pop("pinyin", ""), attrs.pop("status", PlaceStatus.ACTIVE)
        name, code = _checked_input(name, attrs.pop("code", ""), status, attrs)
        places.append(_new_place(name, category, division, code, pinyin, status, attrs))
        named.append(naming)
        given.append(bool(code))
    _refuse_taken_codes([place.code for place, has_code in zip(places, given, strict=True) if has_code])
    known = _known_divisions(places)
    for place, has_code in zip(places, given, strict=True):
        # Read above for every place at once: the divisions, and the codes taken.
        exclude = ([] if has_code else ["code"]) + (["division"] if place.division_id in known else [])
        place.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    for place, has_code in zip(places, given, strict=True):
        if not has_code:
            place.code = codes.allocate_code(division=place.division, category=place.category)
    revision = freshness.lock()
    for place in places:
        place.revision = revision
        place.set_envelope()
        _audit(place, acting_user, reason)
    bulk_create_with_history(places, Place, batch_size=500, default_user=acting_user, default_change_reason=reason)
    officials = [_official_name(place, *naming) for place, naming in zip(places, named, strict=True)]
    for official in officials:
        official.full_clean(exclude=["place"], validate_constraints=False)  # its place was just written
        _name_columns(official, acting_user, reason, revision)
    bulk_create_with_history(
        officials, PlaceName, batch_size=500, default_user=acting_user, default_change_reason=reason
    )
    for place in places:
        record_findings(place)
    return places


def _known_divisions(places: list[Place]) -> set[str]:
    """The places' divisions that exist (one query); a place with another is validated alone."""
    wanted = {place.division_id for place in places if place.division_id is not None}
    return set(Division.objects.filter(pk__in=wanted).values_list("pk", flat=True))
