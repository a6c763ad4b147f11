"""Writes to places and their names: the one path used by the admin, the API and imports.

Every function is keyword-only, runs in a transaction, calls ``full_clean`` before
saving and records the acting user in the audit trail (django-simple-history). The
invariants kept here: a place's ``name``/``pinyin`` mirror its current official name;
renaming closes the old official name and opens a new one; retiring keeps every
name; codes are assigned once and never reused.
"""

from __future__ import annotations

import datetime as dt
from decimal import InvalidOperation
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from registry import freshness, partial_dates
from registry.choices import NameKind, PlaceStatus
from registry.models import Division, Place, PlaceName
from registry.models.places import validate_code
from registry.place_rows import coordinate, name_row, place_row
from registry.services import codes, place_versions
from registry.text import clean_name

User = AbstractBaseUser | None

# What ``_save_name`` derives again on every save; ``pinyin`` is the record's own (given
# when it was made, and kept as it is when the name is closed).
NAME_DERIVED = ("pinyin_key", "initials", "valid_from", "valid_to", "valid_from_key", "valid_to_key")

# Fields of a place that ``place_update`` may change; the name changes only by renaming.
UPDATABLE_FIELDS = frozenset(
    "division status approval_authority approval_date approval_document announcement_date category_code origin"
    " history_text longitude latitude geometry details verification source note pinyin".split()
)


def _round_coordinates(attrs: dict[str, Any]) -> None:
    """Coordinates are kept to 6 decimals (about 0.1 m); more digits are rounded
    (``place_rows.coordinate``, as an import rounds them), not refused."""
    for key in ("longitude", "latitude"):
        value = attrs.get(key)
        if value in (None, ""):
            continue
        try:
            attrs[key] = coordinate(value)
        except (InvalidOperation, ValueError):
            raise ValidationError({key: _("“%(value)s” is not a number.") % {"value": str(value)[:40]}}) from None


def _audit(instance, acting_user: User, reason: str) -> None:
    instance._history_user = acting_user
    instance._change_reason = reason[:100]


def _save_name(record: PlaceName, acting_user: User, reason: str) -> None:
    """Save a name with its derived columns (``place_rows.name_row``), the audit entry and
    the transaction's revision. Called after ``full_clean``: its dates are valid."""
    _name_columns(record, acting_user, reason, freshness.lock())
    record.save()


def _name_columns(record: PlaceName, acting_user: User, reason: str, revision: int) -> None:
    """A name's derived columns, its revision and its audit entry, before it is written."""
    derived = name_row(
        record.name,
        record.place.category,
        kind=record.kind,
        pinyin=record.pinyin,
        valid_from=record.valid_from,
        valid_to=record.valid_to,
    )
    for column in NAME_DERIVED:
        setattr(record, column, derived[column])
    record.revision = revision
    _audit(record, acting_user, reason)


def _set_name(place: Place, name: str, pinyin: str = "") -> None:
    """Mirror the current official name onto the place, with its split and romanization."""
    for column, value in place_row(name, place.category, pinyin=pinyin).items():
        setattr(place, column, value)


def _save_place(place: Place, acting_user: User, reason: str) -> None:
    """Save with the audit entry and a fresh revision (the similarity index reads it)."""
    place.revision = freshness.lock()
    _audit(place, acting_user, reason)
    place.save()


def record_findings(place: Place) -> None:
    """Store the worst finding and the rule codes of the place's current name.

    A derived summary for the admin's list and filters: written without an audit entry
    or a new revision. ``audit_names`` refreshes it registry-wide. Inside
    ``place_findings.deferred()`` (a round's approval) it is recorded once all the writes are done.
    """
    from registry.services import place_findings
    from registry.validation import check_name

    if place_findings.defer(place):
        return
    result = check_name(place.name, place.category, place=place, pinyin=place.pinyin)
    place.finding_level, place.finding_rules = result.summary()
    Place.objects.filter(pk=place.pk).update(finding_level=place.finding_level, finding_rules=place.finding_rules)


@transaction.atomic
def place_create(
    *,
    name: str,
    category: str,
    division: Division,
    acting_user: User = None,
    code: str = "",
    pinyin: str = "",
    status: str = PlaceStatus.ACTIVE,
    named_on: str | dt.date | None = "",
    decision_document: str = "",
    decision_date: dt.date | None = None,
    name_source: str = "",
    name_note: str = "",
    reason: str = "create",
    **attrs: Any,
) -> Place:
    """Create a place with its first official name (valid from ``named_on``).

    ``reason`` is the audit entry's change reason on the place and its name (the admin
    records why an existing name is entered outside the workflow); ``name_source`` and
    ``name_note`` are the official name's attestation and note.
    """
    name, code = _checked_input(name, code, status, attrs)
    if code:
        _refuse_taken_codes([code])
    place = _new_place(name, category, division, code, pinyin, status, attrs)
    place.full_clean(exclude=["code"] if not code else None, validate_constraints=False)  # clean() covers them
    if not code:
        place.code = codes.allocate_code(division=division, category=category)
    _save_place(place, acting_user, reason)
    official = _official_name(place, named_on, decision_document, decision_date, name_source, name_note)
    official.full_clean(validate_constraints=False)  # a new place: no other name; clean() checks dates
    _save_name(official, acting_user, reason)
    record_findings(place)
    return place


def _checked_input(name: str, code: str, status: str, attrs: dict) -> tuple[str, str]:
    """The clean name and code of a new place, its fields and status refused if not allowed."""
    unknown = set(attrs) - UPDATABLE_FIELDS
    if unknown:
        raise ValidationError(_("Unknown place fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if status == PlaceStatus.RETIRED:
        raise ValidationError({"status": _("A new place cannot start out retired; create it, then retire it.")})
    name = clean_name(name)
    code = (code or "").strip().upper()
    if code:
        validate_code(code)
    return name, code


def _new_place(name: str, category: str, division, code: str, pinyin: str, status: str, attrs: dict) -> Place:
    """An unsaved place with its name mirrored and its coordinates rounded (code ``PENDING`` if none)."""
    attrs = dict(attrs)
    _round_coordinates(attrs)
    place = Place(category=category, division=division, status=status, **attrs)
    _set_name(place, name, pinyin)
    place.code = code or "PENDING"
    return place


def _refuse_taken_codes(wanted: list[str]) -> None:
    """Refuse, naming the first, a code already in the registry or given twice in ``wanted``."""
    taken = set(Place.objects.filter(code__in=wanted).values_list("code", flat=True))
    seen: set[str] = set()
    for code in wanted:
        if code in taken or code in seen:
            raise ValidationError(
                {"code": _("Code %(code)s is already taken; codes are never reused.") % {"code": code}}
            )
        seen.add(code)


def _official_name(place, named_on, decision_document, decision_date, name_source, name_note) -> PlaceName:
    return PlaceName(
        place=place,
        name=place.name,
        pinyin=place.pinyin,
        pinyin_key=place.pinyin_key,
        kind=NameKind.OFFICIAL,
        valid_from=named_on or "",
        decision_document=decision_document,
        decision_date=decision_date,
        source=name_source,
        note=name_note,
    )


@transaction.atomic
def place_update(
    *,
    place: Place,
    acting_user: User = None,
    reason: str = "update",
    expected_version: str | None = None,
    **fields: Any,
) -> Place:
    """Change a place's attributes other than its name (rename with ``place_rename``).

    Only ``fields`` are written, onto the row as it is now (locked): a ``place`` object
    read before a rename used to write the old name back. ``expected_version`` is the
    version the caller's form or client saw (``place_versions.version_of``); if the place
    or its names changed since, the save is refused (``StaleVersion``) with what changed.
    """
    if "name" in fields:
        raise ValidationError({"name": _("A name is changed by renaming (which keeps the old name in the history).")})
    if "code" in fields and fields["code"] != place.code:
        raise ValidationError({"code": _("A place's code never changes.")})
    fields.pop("code", None)
    unknown = set(fields) - UPDATABLE_FIELDS
    if unknown:
        raise ValidationError(_("Unknown place fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    # The registry's write lock first (SQLite's only one; on PostgreSQL the counter row), then
    # the place as committed: two saves of one place are judged one after the other.
    freshness.lock()
    current = Place.objects.select_for_update().get(pk=place.pk)
    place_versions.check_version(current, expected_version)
    if fields.get("status") == PlaceStatus.RETIRED and current.status != PlaceStatus.RETIRED:
        raise ValidationError({"status": _("Retire a place with the retire action, which closes its name.")})
    _round_coordinates(fields)
    for key, value in fields.items():
        setattr(current, key, value)
    if "pinyin" in fields:
        current.pinyin = place_row(current.name, current.category, pinyin=current.pinyin)["pinyin"]
    current.full_clean()
    _save_place(current, acting_user, reason)
    if "pinyin" in fields or "division" in fields or "details" in fields:
        record_findings(current)
    # The caller's object now shows the row as saved (its stale values gone).
    for field in Place._meta.concrete_fields:
        setattr(place, field.attname, getattr(current, field.attname))
    return place


def _close_on(effective: partial_dates.PartialDate) -> str:
    """The valid_to of a name closed by a change on ``effective``: the day before, if it is a full date."""
    if effective.day is not None and effective.year > 1:
        day = dt.date(effective.year, effective.month, effective.day) - dt.timedelta(days=1)
        return day.isoformat()
    return str(effective)


def _current_official(place: Place) -> PlaceName | None:
    return place.names.filter(kind=NameKind.OFFICIAL, valid_to="").first()


@transaction.atomic
def place_rename(
    *,
    place: Place,
    new_name: str,
    effective: str | dt.date | None = None,
    acting_user: User = None,
    pinyin: str = "",
    decision_document: str = "",
    decision_date: dt.date | None = None,
    source: str = "",
) -> Place:
    """Close the current official name (it becomes ``former``) and open ``new_name``."""
    place = Place.objects.select_for_update().get(pk=place.pk)
    if place.status == PlaceStatus.RETIRED:
        raise ValidationError(_("%(name)s is retired; a retired place is not renamed.") % {"name": place.name})
    new_name = clean_name(new_name)
    if new_name == place.name:
        raise ValidationError({"name": _("The new name is the same as the current one.")})
    when = partial_dates.parse(effective or dt.date.today())
    current = _current_official(place)
    if current is not None:
        start = partial_dates.parse(current.valid_from)
        if start and when.last_key < start.first_key:
            raise ValidationError(
                {
                    "effective": _("The rename (%(when)s) cannot come before the current name began (%(start)s).")
                    % {"when": when, "start": start}
                }
            )
        current.kind = NameKind.FORMER
        current.valid_to = _close_on(when)
        if start and partial_dates.parse(current.valid_to).last_key < start.first_key:
            current.valid_to = str(when)
        current.full_clean()
        _save_name(current, acting_user, "rename: closed")
    _set_name(place, new_name, pinyin)
    place.full_clean()
    _save_place(place, acting_user, "rename")
    opened = PlaceName(
        place=place,
        name=new_name,
        pinyin=place.pinyin,
        pinyin_key=place.pinyin_key,
        kind=NameKind.OFFICIAL,
        valid_from=str(when),
        decision_document=decision_document,
        decision_date=decision_date,
        source=source,
    )
    opened.full_clean()
    _save_name(opened, acting_user, "rename: opened")
    record_findings(place)
    return place


@transaction.atomic
def place_retire(
    *,
    place: Place,
    effective: str | dt.date | None = None,
    acting_user: User = None,
    decision_document: str = "",
    decision_date: dt.date | None = None,
) -> Place:
    """Retire (销名) a place: status ``retired``, its official name closed, nothing deleted."""
    place = Place.objects.select_for_update().get(pk=place.pk)
    if place.status == PlaceStatus.RETIRED:
        raise ValidationError(_("%(name)s is already retired.") % {"name": place.name})
    when = partial_dates.parse(effective or dt.date.today())
    current = _current_official(place)
    if current is not None:
        start = partial_dates.parse(current.valid_from)
        if start and when.last_key < start.first_key:
            raise ValidationError(
                {
                    "effective": _("The retirement (%(when)s) cannot come before the name began (%(start)s).")
                    % {"when": when, "start": start}
                }
            )
        current.valid_to = str(when)
        if decision_document and not current.decision_document:
            current.note = (current.note + "\n" if current.note else "") + _("Retired by %(doc)s") % {
                "doc": decision_document
            }
        current.full_clean()
        _save_name(current, acting_user, "retire: closed")
    place.status = PlaceStatus.RETIRED
    place.full_clean()
    _save_place(place, acting_user, "retire")
    return place


@transaction.atomic
def name_record(
    *,
    place: Place,
    name: str,
    kind: str,
    acting_user: User = None,
    valid_from: str | dt.date | None = "",
    valid_to: str | dt.date | None = "",
    pinyin: str = "",
    decision_document: str = "",
    decision_date: dt.date | None = None,
    source: str = "",
    note: str = "",
) -> PlaceName:
    """Record a name from the past or an alias (former, historical, alias, or a closed official name).

    The current official name is changed only by ``place_rename``.
    """
    if kind not in NameKind.values:
        raise ValidationError({"kind": _("Unknown name kind “%(kind)s”.") % {"kind": kind}})
    if kind == NameKind.OFFICIAL and not valid_to:
        raise ValidationError({"kind": _("The current official name changes only by renaming the place.")})
    name = clean_name(name)
    derived = name_row(name, place.category, kind=kind, pinyin=pinyin)  # its dates: checked by full_clean
    record = PlaceName(
        place=place,
        name=name,
        kind=kind,
        pinyin=derived["pinyin"],
        pinyin_key=derived["pinyin_key"],
        valid_from=valid_from or "",
        valid_to=valid_to or "",
        decision_document=decision_document,
        decision_date=decision_date,
        source=source,
        note=note,
    )
    record.full_clean()
    _save_name(record, acting_user, "record name")
    return record
