"""Importing places in bulk: all-or-nothing, row-numbered problems, names checked, fast.

1. Read the file (``readers``, CSV decoded as it is read) and check every row (``rows``);
   any problem and nothing is written (unless nothing is asked to be written: ``dry_run``).
2. Romanize each distinct name once, in forked workers, and group the registry plus the
   file for comparisons (``planning``, with ``validation.batch``, as ``audit_names``). Rows
   alike in everything the check reads are judged once for all of them.
3. Fork the judging workers, then, while they judge, write the new places into a
   staging table and their names (and the names' history) into theirs, with bulk
   INSERT/COPY (``writing``, ``fast_insert``; the derived columns from ``place_rows``, as
   the services derive them). When the findings arrive, one INSERT … SELECT moves the
   places into their table with their findings, and their creation history is copied
   inside the database. Everything is stamped with one revision, so every process's
   similarity index picks the rows up; ``update`` upserts existing codes through the
   services (``updates``), which append to the names history and leave audit entries.
   A name with error findings (a DUPLICATE, a FOREIGN word …) stops the import, row by
   row, unless the rows are declared legacy names that exist on the ground (``legacy``,
   the form's "record legacy names", the command's ``--legacy``): they are then recorded
   with their findings, as the admin's place form does with "record an existing name".
   New names that break the rules go through proposals, not through a spreadsheet. The
   writing does not wait for the findings: when they stop the import, the transaction
   is rolled back. A ``dry_run`` waits for them and writes nothing.

Memory stays under 1 GB for a million rows: rows are compact, repeated values shared,
groups held as arrays, and rows are turned into SQL values a batch at a time. Where the
process is the import's own (the command, a script: ``process_owned``), the cyclic
garbage collector is kept off the rows that live until the end; in the admin's web
worker it is left alone, since other requests share it.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from registry.importers import locations, lock, planning, writing
from registry.importers.spill import AttrSpill
from registry.importers.columns import KNOWN_COLUMNS, PLACE_HEADERS, PLACE_VALUES, REQUIRED_COLUMNS, in_codes
from registry.importers.readers import FileProblem, read_rows
from registry.importers.results import FlaggedRow, ImportResult, Problem, header_problems
from registry.importers.rows import PlaceRow, check_row
from registry.importers.updates import update_places
from registry.models import Division, Place, PlaceName
from registry.validation.findings import rule_label
from registry.workers import started


def import_places(
    path: Path | str,
    *,
    fmt: str = "auto",
    encoding: str = "auto",
    dry_run: bool = False,
    update: bool = False,
    ignore_unknown: bool = False,
    strict: bool = False,
    legacy: bool = False,
    acting_user=None,
    progress: Callable[..., None] | None = None,
    workers: int | None = None,
    before_commit: Callable[[ImportResult], None] | None = None,
    holder: str = "",
    process_owned: bool = True,
    crs: str = "wgs84",
) -> ImportResult:
    """Import the places of a file (see the module's docstring).

    Names with error findings are problems unless ``legacy`` (and always with ``strict``).
    ``progress(count, stage, total)`` is told as rows are read (stage "read", no total
    known), judged ("check", total: the distinct rows to judge) and written ("write").
    ``before_commit(result)`` is called inside the import's transaction once everything is
    written (``records`` records the import there); what it raises rolls the import back.
    Imports run one at a time (``lock``): while another runs, this one is refused at once,
    naming the ``holder`` (who started it) and when; a dry run writes nothing and needs no lock.
    ``process_owned`` says the process is the import's own (the command, a script), so
    its garbage collector may be tuned for the import; the admin passes False. ``crs``: the
    coordinate system of the file's coordinates (``importers.locations``).
    """
    options = {
        "fmt": fmt,
        "encoding": encoding,
        "dry_run": dry_run,
        "update": update,
        "crs": crs,
        "ignore_unknown": ignore_unknown,
        "errors_fatal": strict or not legacy,
        "acting_user": acting_user,
        "progress": progress,
        "workers": workers,
        "before_commit": before_commit,
        "owned": process_owned,
    }
    run = _collecting_rarely if process_owned else _import_places
    if dry_run:
        return run(path, **options)
    try:
        with lock.import_lock(holder or lock.holder_of(acting_user)):
            return run(path, **options)
    except lock.ImportRunning as exc:
        result = ImportResult()
        result.problems.append(Problem(0, "", exc.message))
        return result


def _collecting_rarely(path, **options) -> ImportResult:
    """The import in a process of its own, without the cyclic collector until the workers fork."""
    # Reading a census builds millions of small objects that all live until the end, and
    # none of them in cycles: the cyclic collector would only rescan them, again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _import_places(path, **options)
    finally:
        gc.unfreeze()
        (gc.enable if collecting else gc.disable)()


def _import_places(path, *, fmt, encoding, update, ignore_unknown, progress, crs, **writing_options) -> ImportResult:
    progress = progress or _quiet
    result = ImportResult()
    spill = AttrSpill()  # the rows' bulky attributes, on disk until they are written
    try:
        rows = _read(
            path, spill, result, fmt=fmt, encoding=encoding, ignore_unknown=ignore_unknown, progress=progress, crs=crs
        )
        if rows is None:
            return result
        new_rows, updates = _by_code(rows, result, update)
        if result.problems:
            result.failed = result.problems.lines
            return result
        _write(new_rows, updates, result, spill, progress=progress, **writing_options)
    finally:
        spill.close()
    if result.created > 10_000 and connection.vendor == "postgresql":
        # Fresh statistics, so that the planner keeps using the lookup indexes after a bulk load.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Place._meta.db_table}, {PlaceName._meta.db_table}")
    return result


def _read(
    path, spill: AttrSpill, result: ImportResult, *, fmt, encoding, ignore_unknown, progress, crs="wgs84"
) -> list[PlaceRow] | None:
    """The file's checked rows, or None when its header or the file itself stops the import
    (``result.problems`` say why). A row's problems do not stop the reading."""
    try:
        result.format, columns, raw_rows = read_rows(Path(path), fmt, encoding)
        columns, raw_rows = in_codes(columns, raw_rows, PLACE_HEADERS, PLACE_VALUES)
        result.problems += header_problems(columns, KNOWN_COLUMNS, REQUIRED_COLUMNS, result.format, ignore_unknown)
        if result.problems:
            return None
        rows = _check_rows(raw_rows, result, progress, spill, crs)
        del raw_rows  # the reader (and its file) are done with
    except FileProblem as exc:
        result.problems.append(Problem(0, "", str(exc)))
        return None
    result.rows = len(rows)
    return rows


def _by_code(rows: list[PlaceRow], result: ImportResult, update: bool) -> tuple[list[PlaceRow], list[PlaceRow]]:
    """(new rows, rows of existing codes); a code given twice, or existing without ``update``, is a problem."""
    existing = _existing_codes([r.code for r in rows if r.code])
    seen: dict[str, int] = {}
    for row in rows:
        if row.code:
            if row.code in seen:
                result.problems.append(
                    Problem(
                        row.line,
                        "code",
                        _("Code %(code)s also appears on line %(line)s.") % {"code": row.code, "line": seen[row.code]},
                    )
                )
            seen.setdefault(row.code, row.line)
            if row.code in existing and not update:
                result.problems.append(
                    Problem(
                        row.line,
                        "code",
                        _("Code %(code)s already exists (use --update to update it).") % {"code": row.code},
                    )
                )
    new_rows = [r for r in rows if not (r.code and r.code in existing)]
    updates = [r for r in rows if r.code and r.code in existing]
    return new_rows, updates


def _quiet(count: int, stage: str = "read", total: int | None = None) -> None:
    pass


class _Stopped(Exception):
    """The findings stop the import: what was written is rolled back."""


def _write(
    new_rows: list[PlaceRow],
    updates: list[PlaceRow],
    result: ImportResult,
    spill: AttrSpill,
    *,
    dry_run: bool,
    errors_fatal: bool,
    acting_user,
    workers: int | None,
    progress: Callable[..., None],
    before_commit: Callable[[ImportResult], None] | None,
    owned: bool,
) -> None:
    """Judge the new rows' names and, unless they stop the import, write everything."""
    plan = planning.plan(new_rows, workers)
    if owned:
        # The workers (and, after them, this process) collect as usual, but never scan what
        # lives until the end: the rows, romanizations and groups are frozen out of reach.
        gc.freeze()
        gc.enable()
    # Once forked, the workers have the comparison groups: this process writes without them.
    with started(plan.job(), workers=workers, forked=plan.let_go) as judging:
        if dry_run:  # the findings decide what would happen: wait for them, write nothing
            _count_findings(new_rows, planning.collect(judging, progress, len(plan.work)), result, errors_fatal)
            if result.problems:
                result.failed = result.problems.lines
                return
            result.created, result.updated = len(new_rows), len(updates)
            return
        try:
            with lock.writing(_writing_seconds(len(new_rows))), transaction.atomic():
                # Places and names are written while the workers judge; the findings follow, and
                # when they stop the import everything written is rolled back.
                revision = writing.create(new_rows, plan, acting_user, spill, progress)
                found = planning.collect(judging, progress, len(plan.work))
                _count_findings(new_rows, found, result, errors_fatal)
                if result.problems:
                    raise _Stopped
                writing.record_findings(new_rows, found, revision, acting_user)
                result.created = len(new_rows)
                if before_commit is not None and not updates:
                    before_commit(result)
        except _Stopped:
            result.failed = result.problems.lines
            return
    result.written = True
    if updates:  # bounded batches, each its own transaction (``updates``)
        updates = list(spill.restored(updates))
        result.written = update_places(updates, result, acting_user, progress, before_commit) or result.written


def _writing_seconds(rows: int) -> float:
    """About how long the all-or-nothing transaction holds the write lock, for other writers' "try again in N s"."""
    return rows / float(getattr(settings, "REGISTRY_IMPORT_ROWS_PER_SECOND", 5000)) + 2


def _count_findings(rows: list[PlaceRow], found: dict[int, tuple], result: ImportResult, errors_fatal: bool) -> None:
    """Count every row's findings (its representative's) per rule and list the rows with errors:
    as problems when errors are fatal, as flagged rows (recorded as legacy names) otherwise."""
    for row in rows:
        findings = found[row.judged_as]
        for rule, severity, _message in findings:
            result.findings[(rule, severity)] += 1
        errors = tuple(f for f in findings if f[1] == "error")
        if not errors:
            continue
        if errors_fatal:
            for rule, _severity, message in errors:
                result.problems.append(
                    Problem(
                        row.line,
                        "name",
                        _("“%(name)s” breaks the naming rules: %(rule)s. %(message)s")
                        % {"name": row.name, "rule": rule_label(rule), "message": message},
                    )
                )
        else:
            result.flagged.append(FlaggedRow(row.line, row.name, errors))
    if errors_fatal and any(p.column == "name" for p in result.problems):
        result.notices.append(
            _(
                "Names that break the naming rules are not imported as new names: new names go "
                "through naming proposals. If these rows are names that already exist on the ground "
                "(legacy data), import them with “record legacy names” (manage.py import_places "
                "--legacy): they are then recorded with their findings, shown in the name check "
                "column."
            )
        )


def _check_rows(raw_rows, result: ImportResult, progress, spill: AttrSpill, crs: str = "wgs84") -> list[PlaceRow]:
    """The checked rows, their ``attrs`` moved to ``spill`` (memory keeps what the cross-row checks read)."""
    divisions = set(Division.objects.values_list("code", flat=True))
    inside = locations.BoundaryCheck()
    rows = []
    for count, (line, raw) in enumerate(raw_rows, start=1):
        row, problems = check_row(line, locations.converted(raw, crs), divisions=divisions)
        result.problems.extend(problems)
        outside = inside.problem(line, row.division, row.attrs) if row is not None else None
        if outside is not None:
            result.problems.append(outside)
        elif row is not None:
            spill.keep(row)
            rows.append(row)
        if count % 1000 == 0:
            progress(1000, "read", None)
    if not rows and not result.problems:
        raise FileProblem(_("The file holds no records."))
    return rows


def _existing_codes(codes: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(codes), 900):
        found |= set(Place.objects.filter(code__in=codes[start : start + 900]).values_list("code", flat=True))
    return found
