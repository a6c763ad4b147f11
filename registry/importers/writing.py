"""Writing an import's new places at bulk speed: staged, their names and history copied,
published with their findings.

``create`` reserves primary keys and codes, then a batch at a time stages the places and
writes their names (``fast_insert``: INSERT/COPY of plain dicts), their derived columns
taken from ``place_rows`` as the services take them, so an imported row is the row the
admin would have stored. ``record_findings`` moves the staged places into their table
with the findings the workers sent back, and copies their creation history inside the
database. Heritage listings go through the services.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from itertools import islice

from django.utils import timezone

from registry import freshness
from registry.choices import NameKind
from registry.importers import fast_insert
from registry.importers.planning import Plan
from registry.importers.rows import PlaceRow
from registry.importers.spill import AttrSpill, release
from registry.models import Place, PlaceName
from registry.models.places import CATEGORY_LETTERS, ENVELOPE_COLUMNS, envelope_columns
from registry.place_rows import name_row, place_row
from registry.services import codes
from registry.services import heritage as heritage_services

STAGED_PLACES = "registry_import_place"
WRITE_BATCH = 20_000


def _quiet(count: int, stage: str = "read", total: int | None = None) -> None:
    pass


def create(
    rows: list[PlaceRow], plan: Plan, acting_user, spill: AttrSpill, progress: Callable[..., None] = _quiet
) -> int:
    """Write the new places (their findings still blank) and their names; the revision stamped on them."""
    if not rows:
        return 0
    revision = freshness.lock()  # also the first write, which takes SQLite's write lock
    _assign_codes(rows)
    now = timezone.now()
    for row, pk in zip(rows, fast_insert.reserve_ids(Place, len(rows))):
        row.pk = pk
    # CSV and XLSX rows give the current name in the place's own columns: its name record
    # is copied from the place rows once they are staged. JSON exports list every name.
    copy_official = all(row.names is None for row in rows)
    staging = fast_insert.stage(Place, STAGED_PLACES)
    # A batch at a time, so that memory holds one batch of rows as dicts (and their
    # attributes, back from the spill), not the file.
    restoring = spill.restored(rows)
    for _start in range(0, len(rows), WRITE_BATCH):
        batch = list(islice(restoring, WRITE_BATCH))
        # Staged: their findings are still being judged (``record_findings`` publishes them).
        fast_insert.insert(Place, (place_values(row, plan, revision, now) for row in batch), table=staging)
        # Before their places, in the same transaction: foreign keys are checked at commit.
        fast_insert.insert(
            PlaceName,
            (name for row in batch for name in name_values(row, plan, copy_official, revision, now)),
            explicit_pk=False,
        )
        release(batch)
        progress(len(batch), "write", len(rows))
    if copy_official:
        _official_names_from_places(revision, STAGED_PLACES)
    fast_insert.copy_history(PlaceName, revision=revision, user=acting_user)
    return revision


def _assign_codes(rows: list[PlaceRow]) -> None:
    """Codes for the rows without one, from the locked counters (one prefix at a time)."""
    needing: dict[str, list[PlaceRow]] = defaultdict(list)
    for row in rows:
        if not row.code:
            needing[f"{row.division[:6]}{CATEGORY_LETTERS[row.category]}"].append(row)
    allocated = codes.allocate_code_batches({prefix: len(group) for prefix, group in needing.items()})
    for prefix, group in needing.items():
        for row, code in zip(group, allocated[prefix], strict=True):
            row.code = code


def place_values(row: PlaceRow, plan: Plan, revision: int, now) -> dict:
    """A new place's row: its own columns, those its name determines (``place_row``), its attributes."""
    return {
        "id": row.pk,
        "code": row.code,
        **place_row(row.name, row.category, pinyin=row.pinyin, made=plan.roman[(row.name, row.category)]),
        "category": row.category,
        "division_id": row.division,
        "status": row.status,
        "revision": revision,
        "created_at": now,
        "updated_at": now,
        **row.attrs,
        **dict(zip(ENVELOPE_COLUMNS, envelope_columns(row.attrs.get("geometry")))),
    }


def name_values(row: PlaceRow, plan: Plan, copy_official: bool, revision: int, now) -> list[dict]:
    """The name records of a new place (all but its current official name when ``copy_official``)."""
    if row.names is not None:
        entries = row.names
    else:
        entries = [{"name": n, "kind": NameKind.FORMER, "valid_from": s, "valid_to": e} for n, s, e in row.former]
        if not copy_official:
            entries.append({"name": row.name, "kind": NameKind.OFFICIAL, "valid_from": "", "valid_to": ""})
    out = []
    for entry in entries:
        name = entry["name"]
        # A pinyin given for the place's name is its official name's too, unless the entry gives its own.
        given = entry.get("pinyin") or (row.pinyin if name == row.name else "")
        out.append(
            {
                "place_id": row.pk,
                **name_row(
                    name,
                    row.category,
                    kind=entry["kind"],
                    pinyin=given,
                    valid_from=entry.get("valid_from"),
                    valid_to=entry.get("valid_to"),
                    made=plan.roman.get((name, row.category)),
                ),
                "decision_document": entry.get("decision_document") or "",
                "decision_date": _date(entry.get("decision_date")),
                "source": entry.get("source") or "",
                "note": entry.get("note") or "",
                "revision": revision,
                "created_at": now,
                "updated_at": now,
            }
        )
    return out


def record_findings(rows: list[PlaceRow], found: dict[int, tuple], revision: int, acting_user) -> None:
    """Store each new place's findings, then its creation history (so the history shows them),
    its names' history and its heritage listings."""
    if not rows:
        return
    summaries: dict[tuple, tuple[str, str]] = {}  # one (level, rules) per distinct set of findings

    def summary(rules: tuple) -> tuple[str, str]:
        if rules not in summaries:
            level = "error" if any(f[1] == "error" for f in rules) else "warning"
            summaries[rules] = (level, ",".join(sorted({f[0] for f in rules}))[:300])
        return summaries[rules]

    values = ((row.pk, *summary(found[row.judged_as])) for row in rows if found[row.judged_as])
    fast_insert.publish(Place, STAGED_PLACES, values, ("finding_level", "finding_rules"))
    fast_insert.copy_history(Place, revision=revision, user=acting_user)
    _record_heritage([row for row in rows if row.heritage], acting_user)


def _record_heritage(listed: list[PlaceRow], acting_user) -> None:
    if not listed:
        return
    by_code = Place.objects.in_bulk([row.code for row in listed], field_name="code")
    for row in listed:
        for listing in row.heritage:
            fields = {k: v for k, v in listing.items() if k not in ("place", "place_name", "division", "years_in_use")}
            for key in ("notice_start", "notice_end"):
                fields[key] = _date(fields.get(key))
            heritage_services.heritage_listing_create(place=by_code[row.code], acting_user=acting_user, **fields)


def _official_names_from_places(revision: int, table: str) -> int:
    """The current official name record of every place just written (stamped ``revision``,
    in the staging ``table``)."""
    copied = ("created_at", "updated_at", "name", "pinyin", "pinyin_key", "initials", "revision")
    blank = {
        "kind": NameKind.OFFICIAL,
        "valid_from": "",
        "valid_to": "",
        "decision_document": "",
        "source": "",
        "note": "",
    }
    return fast_insert.insert_select(
        PlaceName,
        [*copied, "place_id", *blank],
        table,
        [*copied, "id", *["%s"] * len(blank)],
        where="revision = %s",
        params=[*blank.values(), revision],
    )


def _date(value):
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
