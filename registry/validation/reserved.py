"""RESERVED: the name is held by the name bank (地名储备库) in the proposal's scope.

A bank entry that is available or reserved (and not past its expiry date) holds its
name for whoever takes it (``services.name_bank.bank_take``). Another proposal of the
same name in the same uniqueness scope is warned: choose another name, or take the
bank entry, so that the bank and the registry do not end up naming twice.

The holding entries are read once per ``name_bank`` revision (every bank write
increments it) and kept in memory keyed by ``name_key``: a check costs no query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from registry.validation.comparisons import scope_prefix
from registry.validation.conf import conf
from registry.validation.findings import Finding, finding
from registry.validation.normalize import name_key

REVISION = "name_bank"


@dataclass(frozen=True)
class Held:
    pk: int
    name: str
    category: str
    division: str
    reserved_for: str
    expires_on: object


_held: dict = {"revision": None, "by_key": {}}


def _rows(**where) -> dict[str, list[Held]]:
    from registry.models import NameBankEntry
    from registry.models.name_bank import HOLDING

    by_key: dict[str, list[Held]] = {}
    rows = NameBankEntry.objects.filter(status__in=HOLDING, **where).values_list(
        "pk", "name", "category", "division_id", "reserved_for", "expires_on", "name_key"
    )
    for pk, name, category, division, reserved_for, expires_on, key in rows:
        by_key.setdefault(key, []).append(Held(pk, name, category, division or "", reserved_for, expires_on))
    return by_key


def _held_for(key: str, revision: int) -> list[Held]:
    """The holding entries of name key ``key``: from the entries read once per revision.

    A transaction that wrote the bank asks the database for this key alone (indexed):
    its writes may be rolled back, and a rollback hands the same revision number out
    again, so what it reads is not kept."""
    from registry.freshness import written

    if written(REVISION):
        return _rows(name_key=key).get(key, [])
    if _held["revision"] != revision:
        _held.update(revision=revision, by_key=_rows())
    return _held["by_key"].get(key, [])


def in_scope(category: str, division_code: str | None, entry_division: str) -> bool:
    """Whether a bank entry for ``entry_division`` shares the check's uniqueness scope (no division: everywhere)."""
    mine, theirs = scope_prefix(category, division_code), scope_prefix(category, entry_division or None)
    return mine.startswith(theirs) or theirs.startswith(mine)


def reserved_findings(
    name: str, category: str, division_code: str | None, revision: int, exclude_entry: int | None = None
) -> list[Finding]:
    """RESERVED for each holding bank entry of this name in scope (``exclude_entry``: the entry being checked)."""
    held = _held_for(name_key(name, category), revision)
    if not held:
        return []
    today = timezone.localdate()
    categories = conf("COMPARE_WITH").get(category, (category,))
    found = []
    for entry in held:
        if entry.pk == exclude_entry or entry.category not in categories:
            continue
        if entry.expires_on is not None and entry.expires_on < today:
            continue
        if not in_scope(category, division_code, entry.division):
            continue
        key = "RESERVED_FOR" if entry.reserved_for else "RESERVED"
        found.append(finding("RESERVED", key, name=entry.name, entry=entry.pk, reserved_for=entry.reserved_for))
    return found
