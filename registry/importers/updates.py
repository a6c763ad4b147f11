"""``--update``: places whose code exists, changed through the services, a bounded batch at a time.

Each batch is its own transaction, so the registry's write lock (on SQLite the
database's only one) is held for one batch, not for the whole file: other writers get in
between, waiting a moment instead of failing after 20 s. It also keeps the work per row
constant: a rename's name check scores the places written by its own transaction one by
one (``similarity._fresh``: they are not in the shared index until committed), so one
transaction for the file made every rename re-read every row written before it (1,000
renames 25 s, 4,000 100 s, 10,000 over 11 minutes; issue #12). A batch of
``REGISTRY_IMPORT_UPDATE_BATCH`` rows (50: a few hundred milliseconds of writing, a few seconds under heavy load) bounds that to the batch.

An update is idempotent, so a batch that fails leaves the batches before it written and
says so precisely: the row that failed and why, what was written and kept, and that
importing the same file again completes it. The import record is written with the last
batch.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections import defaultdict
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from registry.choices import NameKind
from registry.importers.rows import PlaceRow, Problem
from registry.models import Division, Place, PlaceName
from registry.services import places as place_services

READ_BATCH = 500
SQLITE_PAUSE = 0.15  # seconds between batches, for the writers waiting (see _collected_between_batches)


def batch_size() -> int:
    return max(1, int(getattr(settings, "REGISTRY_IMPORT_UPDATE_BATCH", 50)))


def update_places(
    rows: list[PlaceRow], result, acting_user, progress: Callable[..., None], before_commit: Callable | None
) -> bool:
    """Update ``rows`` a batch at a time; the last batch also runs ``before_commit``.

    True when every batch was written; otherwise ``result.problems`` say where it stopped.
    """
    size, divisions = batch_size(), {}
    for start in range(0, len(rows), size):
        batch, last = rows[start : start + size], start + size >= len(rows)
        at = [batch[0]]  # the row being written, for the message if it fails
        collecting = gc.isenabled()
        gc.disable()  # see _collected_between_batches
        try:
            with _collected_between_batches(collecting), transaction.atomic():
                updated, unchanged = _update(batch, divisions, acting_user, at)
                result.updated += updated
                result.unchanged += unchanged
                try:
                    if last and before_commit is not None:
                        before_commit(result)
                except BaseException:
                    result.updated -= updated
                    result.unchanged -= unchanged
                    raise
        except (ValidationError, DatabaseError) as exc:
            _stopped(result, at[0], batch[0], exc)
            return False
        progress(len(batch), "write", len(rows))
    return True


@contextlib.contextmanager
def _collected_between_batches(collecting: bool):
    """No garbage collection while a batch holds the write lock; one after it, outside.

    A collection may finalize SQLite objects of another thread's connection, which needs
    that connection's mutex; a thread waiting for the write lock holds its mutex while it
    waits. Collected inside the batch, the import would wait for the thread that waits for
    the import: 20 s each time, until its lock timeout (seen with a clerk's thread saving
    during an import: 1,000 renames took minutes).
    """
    try:
        yield
    finally:
        if collecting:
            gc.enable()
            gc.collect(1)
        if connection.vendor == "sqlite":
            # SQLite's lock is not fair: a writer waiting for it retries every 100 ms or so, and
            # without a pause the next batch would take the lock again first, every time.
            time.sleep(SQLITE_PAUSE)


def _stopped(result, row: PlaceRow, first: PlaceRow, exc: Exception) -> None:
    """Say which row stopped the update, why, and precisely what was written and kept."""
    error = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    result.problems.append(Problem(row.line, "", _("This row could not be written: %(error)s") % {"error": error}))
    result.problems.append(
        Problem(
            0,
            "",
            _(
                "The import stopped at line %(line)s. Written and kept: %(created)s new places and the updates of the "
                "lines before line %(first)s (%(updated)s places updated, %(unchanged)s unchanged), committed in batches of "
                "%(size)s rows. Not written: line %(first)s and every update after it. Correct the row and import the same "
                "file again with --update: what was written is unchanged by it."
            )
            % {
                "line": row.line,
                "created": result.created,
                "first": first.line,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "size": batch_size(),
            },
        )
    )
    result.failed = result.problems.lines
    result.written = bool(result.created or result.updated)


def _update(rows: list[PlaceRow], divisions: dict, acting_user, at: list) -> tuple[int, int]:
    """Upsert by code through the services: attributes updated, names appended, never overwritten.

    Places and their names are read a batch at a time (two queries per 500 rows); only a
    row that changes something goes through the services, one at a time, as every change
    does. Re-importing an unchanged export is a read, not a write.
    """
    updated = unchanged = 0
    for start in range(0, len(rows), READ_BATCH):
        batch = rows[start : start + READ_BATCH]
        places = Place.objects.select_for_update().in_bulk([row.code for row in batch], field_name="code")
        known: dict[int, set] = defaultdict(set)
        for place_id, *name in PlaceName.objects.filter(place__in=list(places.values())).values_list(
            "place_id", "name", "valid_from", "valid_to"
        ):
            known[place_id].add(tuple(name))
        for row in batch:
            at[0] = row
            changed = _update_one(row, places[row.code], known[places[row.code].pk], divisions, acting_user)
            updated += changed
            unchanged += not changed
    return updated, unchanged


def _update_one(row: PlaceRow, place: Place, known: set, divisions: dict, acting_user) -> bool:
    changed = False
    fields = {k: v for k, v in row.attrs.items() if getattr(place, k) != v}
    if row.division != place.division_id:
        if row.division not in divisions:
            divisions[row.division] = Division.objects.get(code=row.division)
        fields["division"] = divisions[row.division]
    if fields:
        place_services.place_update(place=place, acting_user=acting_user, reason="import --update", **fields)
        changed = True
    if row.name != place.name:
        place_services.place_rename(place=place, new_name=row.name, acting_user=acting_user)
        known = set(place.names.values_list("name", "valid_from", "valid_to"))  # the rename closed a name
        changed = True
    # Names the file gives that the place lacks are appended (a second open official name
    # cannot be: renaming is how a place gets a new one).
    given = [(name, start, end, NameKind.FORMER) for name, start, end in row.former] + [
        (e["name"], e["valid_from"], e["valid_to"], e["kind"])
        for e in row.names or ()
        if not (e["kind"] == NameKind.OFFICIAL and not e["valid_to"])
    ]
    for name, start, end, kind in given:
        if (name, start, end) not in known:
            place_services.name_record(
                place=place,
                name=name,
                kind=kind,
                valid_from=start,
                valid_to=end,
                acting_user=acting_user,
                source="import",
            )
            known.add((name, start, end))
            changed = True
    return changed
