"""The stored form of a place and of its names: this module owns the derived columns.

A place's ``specific``/``generic`` split, ``pinyin`` (given or made), ``pinyin_key``,
``initials`` and ``name_key``; a name's romanization keys and its normalised dates with
their day keys; the coordinates' precision. Two paths write these rows: the services
(``services.places``, one row at a time through the ORM, for the admin, the API and
``--update``) and the importer (``importers.writing``, a batch at a time through
``fast_insert``). Each computed them itself and they had drifted apart (an import
rounded 117.2736665 to …666, the admin to …667), so both now take them from here:
``place_row``, ``name_row`` and ``coordinate`` are pure (no database, no clock), and the
same input gives the same stored row either way (``tests/test_place_rows.py``).

The importer romanizes each distinct name once, in worker processes, and hands that
``spelling`` in; given none, it is made here (``spelling``), by the same rule.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import NamedTuple

from registry import partial_dates
from registry.generics import split_generic
from registry.romanization import romanize
from registry.validation.normalize import name_key

__all__ = ["COORDINATE_STEP", "Spelling", "coordinate", "name_row", "place_row", "spelling"]

# The model's fields (``Place.longitude``/``latitude``) hold 6 decimals: about 0.1 m.
COORDINATE_STEP = Decimal("0.000001")


class Spelling(NamedTuple):
    """What a name's derived columns are made of: its romanization and comparison key."""

    pinyin: str
    key: str  # the sound key (``Romanization.key``), stored as ``pinyin_key``
    initials: str
    name_key: str  # the comparison key (``normalize.name_key``)


def spelling(name: str, category: str) -> Spelling:
    roman = romanize(name, category)
    return Spelling(roman.pinyin, roman.key, roman.initials, name_key(name, category))


def coordinate(value) -> Decimal | None:
    """A longitude or latitude as stored: 6 decimals, rounded half up (117.2736665 → 117.273667).

    Half up, not Python's default half-to-even: the field documents 6 decimals, and a
    clerk who reads 117.2736665 off a survey sheet expects the 5 to round up, as it does
    on paper and in a spreadsheet. Blank is None; what is not a finite number raises
    ``InvalidOperation`` (callers word the message for their own form or row).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    if not number.is_finite():
        raise InvalidOperation(str(value))
    return number.quantize(COORDINATE_STEP, rounding=ROUND_HALF_UP)


def place_row(name: str, category: str, *, pinyin: str = "", made: Spelling | None = None) -> dict:
    """The columns of a place that its current official name determines.

    ``pinyin`` is the given spelling (kept, trimmed), else the made one; ``made`` is the
    name's ``spelling`` if the caller already has it.
    """
    made = made or spelling(name, category)
    specific, generic = split_generic(name, category)
    return {
        "name": name,
        "specific": specific,
        "generic": generic,
        "pinyin": _given(pinyin) or made.pinyin,
        "pinyin_key": made.key,
        "initials": made.initials,
        "name_key": made.name_key,
    }


def name_row(name: str, category: str, *, kind: str, pinyin: str = "", valid_from="", valid_to="", made=None) -> dict:
    """The columns of a name record that follow from its name, kind, pinyin and dates.

    ``category`` is its place's. Dates are partial (``partial_dates``): stored in their
    normal form with the day key of the first day of ``valid_from`` and of the last day of
    ``valid_to``; a date that is not one raises ``ValidationError``. ``made`` is any object
    with the name's ``pinyin``, ``key`` and ``initials`` (a ``Spelling`` or a
    ``Romanization``), if the caller already has it.
    """
    made = made or romanize(name, category)
    start = partial_dates.parse(valid_from or "")
    end = partial_dates.parse(valid_to or "")
    return {
        "name": name,
        "kind": kind,
        "pinyin": _given(pinyin) or made.pinyin,
        "pinyin_key": made.key,
        "initials": made.initials,
        "valid_from": str(start) if start else "",
        "valid_to": str(end) if end else "",
        "valid_from_key": start.first_key if start else None,
        "valid_to_key": end.last_key if end else None,
    }


def _given(pinyin) -> str:
    """A given pinyin, trimmed (a JSON file may give a number: it is kept as text)."""
    return str(pinyin).strip() if pinyin else ""
