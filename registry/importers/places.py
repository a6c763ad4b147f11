"""Importing places in bulk: all-or-nothing, row-numbered problems, names checked, fast.

1. Read the file (``readers``, CSV decoded as it is read) and check every row (``rows``);
   any problem and nothing is written (unless nothing is asked to be written: ``dry_run``).
2. Romanize each distinct name once, in forked workers (``_plan``), and group the
   registry plus the file for comparisons (the compact groups of ``audit_names``). Rows
   alike in everything the check reads are judged once for all of them.
3. Fork the judging workers, then, while they judge, write the new places into a
   staging table and their names (and the names' history) into theirs, with bulk
   INSERT/COPY (``fast_insert``). When the findings arrive, one INSERT … SELECT moves the
   places into their table with their findings, and their creation history is copied
   inside the database. Everything is stamped with one revision, so every process's
   similarity index picks the rows up; ``update`` upserts existing codes through the
   services, which append to the names history and leave audit entries.
   A name with error findings (a DUPLICATE, a FOREIGN word …) stops the import, row by
   row, unless the rows are declared legacy names that exist on the ground (``legacy``,
   the form's "record legacy names", the command's ``--legacy``): they are then recorded
   with their findings, as the admin's place form does with "record an existing name".
   New names that break the rules go through proposals, not through a spreadsheet. The
   writing does not wait for the findings: when they stop the import, the transaction
   is rolled back. A ``dry_run`` waits for them and writes nothing.

Memory stays under 1 GB for a million rows: rows are compact, repeated values shared,
groups held as arrays, and rows are turned into SQL values a batch at a time.
"""
from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry import freshness, partial_dates
from registry.choices import NameKind, PlaceStatus
from registry.generics import split_generic
from registry.importers import fast_insert, lock
from registry.importers.spill import AttrSpill, release
from registry.importers.columns import KNOWN_COLUMNS, PLACE_HEADERS, PLACE_VALUES, REQUIRED_COLUMNS, in_codes
from registry.importers.readers import FileProblem, read_rows
from registry.importers.results import FlaggedRow, ImportResult, Problem, header_problems
from registry.importers.rows import PlaceRow, check_row
from registry.importers.updates import update_places
from registry.models import Division, Place, PlaceName
from registry.models.places import CATEGORY_LETTERS
from registry.romanization import Romanization, romanize
from registry.services import heritage as heritage_services
from registry.services import places as place_services
from registry.validation.comparisons import scope_prefix
from registry.validation.findings import rule_label
from registry.validation.normalize import name_key
from registry.workers import map_chunks, started

STAGED_PLACES = "registry_import_place"
WRITE_BATCH = 20_000


def import_places(path: Path | str, *, fmt: str = "auto", encoding: str = "auto", dry_run: bool = False,
                  update: bool = False, ignore_unknown: bool = False, strict: bool = False, legacy: bool = False,
                  acting_user=None, progress: Callable[..., None] | None = None, workers: int | None = None,
                  before_commit: Callable[[ImportResult], None] | None = None, holder: str = "") -> ImportResult:
    """Import the places of a file (see the module's docstring).

    Names with error findings are problems unless ``legacy`` (and always with ``strict``).
    ``progress(count, stage, total)`` is told as rows are read (stage "read", no total
    known), judged ("check", total: the distinct rows to judge) and written ("write").
    ``before_commit(result)`` is called inside the import's transaction once everything is
    written (``records`` records the import there); what it raises rolls the import back.
    Imports run one at a time (``lock``): while another runs, this one is refused at once,
    naming the ``holder`` (who started it) and when; a dry run writes nothing and needs no lock.
    """
    options = {"fmt": fmt, "encoding": encoding, "dry_run": dry_run, "update": update,
               "ignore_unknown": ignore_unknown, "errors_fatal": strict or not legacy, "acting_user": acting_user,
               "progress": progress, "workers": workers, "before_commit": before_commit}
    if dry_run:
        return _collecting_rarely(path, options)
    try:
        with lock.import_lock(holder or lock.holder_of(acting_user)):
            return _collecting_rarely(path, options)
    except lock.ImportRunning as exc:
        result = ImportResult()
        result.problems.append(Problem(0, "", exc.message))
        return result


def _collecting_rarely(path, options: dict) -> ImportResult:
    # Reading a census builds millions of small objects that all live until the end, and
    # none of them in cycles: the cyclic collector would only rescan them, again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _import_places(path, **options)
    finally:
        gc.unfreeze()
        (gc.enable if collecting else gc.disable)()


def _import_places(path, *, fmt, encoding, dry_run, update, ignore_unknown, errors_fatal, acting_user, progress,
                   workers, before_commit) -> ImportResult:
    progress = progress or _quiet
    result = ImportResult()
    spill = AttrSpill()  # the rows' bulky attributes, on disk until they are written
    try:
        return _import_spilling(path, spill, result, fmt=fmt, encoding=encoding, dry_run=dry_run, update=update,
                                ignore_unknown=ignore_unknown, errors_fatal=errors_fatal, acting_user=acting_user,
                                progress=progress, workers=workers, before_commit=before_commit)
    finally:
        spill.close()


def _import_spilling(path, spill: AttrSpill, result: ImportResult, *, fmt, encoding, dry_run, update, ignore_unknown,
                     errors_fatal, acting_user, progress, workers, before_commit) -> ImportResult:
    try:
        result.format, columns, raw_rows = read_rows(Path(path), fmt, encoding)
        columns, raw_rows = in_codes(columns, raw_rows, PLACE_HEADERS, PLACE_VALUES)
        result.problems += header_problems(columns, KNOWN_COLUMNS, REQUIRED_COLUMNS, result.format, ignore_unknown)
        if result.problems:
            return result
        rows = _check_rows(raw_rows, result, progress, spill)
        del raw_rows  # the reader (and its file) are done with
    except FileProblem as exc:
        result.problems.append(Problem(0, "", str(exc)))
        return result
    existing = _existing_codes([r.code for r in rows if r.code])
    seen: dict[str, int] = {}
    for row in rows:
        if row.code:
            if row.code in seen:
                result.problems.append(Problem(row.line, "code", _("Code %(code)s also appears on line %(line)s.") % {"code": row.code, "line": seen[row.code]}))
            seen.setdefault(row.code, row.line)
            if row.code in existing and not update:
                result.problems.append(Problem(row.line, "code", _("Code %(code)s already exists (use --update to update it).") % {"code": row.code}))
    new_rows = [r for r in rows if not (r.code and r.code in existing)]
    updates = [r for r in rows if r.code and r.code in existing]
    result.rows = len(rows)
    if result.problems:
        result.failed = result.problems.lines
        return result
    try:
        _write(new_rows, updates, result, spill, dry_run=dry_run, errors_fatal=errors_fatal, acting_user=acting_user,
               workers=workers, progress=progress, before_commit=before_commit)
    finally:
        _shared.clear()  # the groups and romanizations of a large file: not kept by a web worker
    if result.created > 10_000 and connection.vendor == "postgresql":
        # Fresh statistics, so that the planner keeps using the lookup indexes after a bulk load.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Place._meta.db_table}, {PlaceName._meta.db_table}")
    return result


def _quiet(count: int, stage: str = "read", total: int | None = None) -> None:
    pass


class _Stopped(Exception):
    """The findings stop the import: what was written is rolled back."""


def _write(new_rows: list[PlaceRow], updates: list[PlaceRow], result: ImportResult, spill: AttrSpill, *, dry_run: bool,
           errors_fatal: bool, acting_user, workers: int | None, progress: Callable[..., None],
           before_commit: Callable[[ImportResult], None] | None) -> None:
    """Judge the new rows' names and, unless they stop the import, write everything."""
    plan = _plan(new_rows, workers)
    # The workers (and, after them, this process) collect as usual, but never scan what
    # lives until the end: the rows, romanizations and groups are frozen out of reach.
    gc.freeze()
    gc.enable()
    # Once forked, the workers have the comparison groups: this process writes without them.
    with started(_judge_chunk, plan.work, workers=workers, forked=lambda: _shared.pop("groups")) as judging:
        if dry_run:  # the findings decide what would happen: wait for them, write nothing
            _count_findings(new_rows, _collect(judging, progress, len(plan.work)), result, errors_fatal)
            if result.problems:
                result.failed = result.problems.lines
                return
            result.created, result.updated = len(new_rows), len(updates)
            return
        try:
            with lock.writing(_writing_seconds(len(new_rows))), transaction.atomic():
                # Places and names are written while the workers judge; the findings follow, and
                # when they stop the import everything written is rolled back.
                revision = _create(new_rows, plan, acting_user, spill, progress)
                found = _collect(judging, progress, len(plan.work))
                _count_findings(new_rows, found, result, errors_fatal)
                if result.problems:
                    raise _Stopped
                _record_findings(new_rows, found, revision, acting_user)
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


def _collect(judging, progress: Callable[..., None], total: int) -> dict[int, tuple]:
    """{line: findings} of the judged rows, each distinct set of findings held once."""
    found: dict[int, tuple] = {}
    seen: dict[tuple, tuple] = {}
    for count, (line, rules) in enumerate(judging, start=1):
        found[line] = seen.setdefault(rules, rules)
        if count % 1000 == 0 or count == total:
            progress(count % 1000 or 1000, "check", total)
    return found


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
                result.problems.append(Problem(row.line, "name", _("“%(name)s” breaks the naming rules: %(rule)s. %(message)s")
                                               % {"name": row.name, "rule": rule_label(rule), "message": message}))
        else:
            result.flagged.append(FlaggedRow(row.line, row.name, errors))
    if errors_fatal and any(p.column == "name" for p in result.problems):
        result.notices.append(_("Names that break the naming rules are not imported as new names: new names go "
                                "through naming proposals. If these rows are names that already exist on the ground "
                                "(legacy data), import them with “record legacy names” (manage.py import_places "
                                "--legacy): they are then recorded with their findings, shown in the name check "
                                "column."))


def _check_rows(raw_rows, result: ImportResult, progress, spill: AttrSpill) -> list[PlaceRow]:
    """The checked rows, their ``attrs`` moved to ``spill`` (memory keeps what the cross-row checks read)."""
    divisions = set(Division.objects.values_list("code", flat=True))
    rows = []
    for count, (line, raw) in enumerate(raw_rows, start=1):
        row, problems = check_row(line, raw, divisions=divisions)
        result.problems.extend(problems)
        if row is not None:
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
        found |= set(Place.objects.filter(code__in=codes[start:start + 900]).values_list("code", flat=True))
    return found


_shared: dict = {}


def _judge_chunk(chunk: list[int]) -> list[tuple]:
    """(line, ((rule, severity, message), …)) for each row (by its index in the import) of a chunk."""
    from registry.validation import judge

    lexicon, groups, spellings, rows = _shared["lexicon"], _shared["groups"], _shared["roman"], _shared["rows"]
    out = []
    for index in chunk:
        row = rows[index]
        if row.pinyin:  # a given pinyin is compared with every standard form, tone marks included
            roman = romanize(row.name, row.category)
        else:
            s = spellings[(row.name, row.category)]
            roman = Romanization(s.pinyin, s.pinyin.upper(), s.key, s.initials, (), row.name)
        findings = judge(row.name, row.category, division_code=row.division, exclude_pk=-row.line, pinyin=row.pinyin,
                         details=None, lexicon=lexicon, exact=groups.exact, similar=groups.similar, roman=roman)
        # The message only for errors, which are reported row by row; warnings are counted.
        out.append((row.line, tuple((f.rule, f.severity, f.message if f.is_error else "") for f in findings)))
    return out


@dataclass
class _Plan:
    """What the name check of an import needs, prepared before the workers fork."""

    roman: dict[tuple[str, str], _Spelling] = field(default_factory=dict)  # for each distinct (name, category)
    work: list[int] = field(default_factory=list)  # one row (its index) of each group of alike rows


class _Spelling(NamedTuple):
    """A distinct name's romanization and comparison key, as the workers send them back
    (plain strings: pickling 50k ``Romanization`` objects costs more than making them)."""

    pinyin: str
    key: str
    initials: str
    name_key: str


def _romanize_chunk(chunk: list[tuple[str, str]]) -> list[tuple]:
    out = []
    for name, category in chunk:
        roman = romanize(name, category)
        key = name_key(name, category)
        out.append((roman.pinyin, roman.key, roman.initials, None if key == name else key))  # None: the name itself
    return out


def _plan(rows: list[PlaceRow], workers: int | None) -> _Plan:
    """Romanize each distinct name once (in worker processes), group the registry and the file
    for comparisons, and pick the rows to judge."""
    from registry.freshness import snapshot
    from registry.validation.audit import _Groups
    from registry.validation.lexicon import get_lexicon

    plan = _Plan()
    if not rows:
        return plan
    distinct = list(dict.fromkeys(
        [(r.name, r.category) for r in rows]
        + [(n, r.category) for r in rows for n, _s, _e in r.former]
        + [(e["name"], r.category) for r in rows for e in r.names or ()]
    ))
    for (name, category), (pinyin, key, initials, comparison) in zip(
            distinct, map_chunks(_romanize_chunk, distinct, workers=workers)):
        plan.roman[(name, category)] = _Spelling(pinyin, key, initials, name if comparison is None else comparison)
    del distinct
    existing = Place.objects.filter(status=PlaceStatus.ACTIVE).values_list(
        "pk", "code", "name", "category", "division_id", "name_key", "pinyin_key").iterator(chunk_size=10_000)
    incoming = ((-r.line, r.code or None, r.name, r.category, r.division,
                 plan.roman[(r.name, r.category)].name_key, plan.roman[(r.name, r.category)].key)
                for r in rows if r.status == PlaceStatus.ACTIVE)
    _shared.update(groups=_Groups(chain(existing, incoming)), roman=plan.roman, rows=rows,
                   lexicon=get_lexicon(snapshot().lexicon))
    # Rows alike in everything the check reads (the name, its scope, the given pinyin,
    # whether the row is active and so one of the compared places) get the same rules:
    # each sees the same others, itself left out. One is judged for all of them.
    representative: dict[tuple, int] = {}
    prefixes: dict[tuple[str, str], str] = {}  # one string per scope, not one per row
    for index, r in enumerate(rows):
        prefix = prefixes.get((r.category, r.division))
        if prefix is None:
            prefix = prefixes[(r.category, r.division)] = scope_prefix(r.category, r.division)
        alike = (r.name, r.category, prefix, r.pinyin, r.status == PlaceStatus.ACTIVE)
        if alike not in representative:
            representative[alike] = r.line
            plan.work.append(index)
        r.judged_as = representative[alike]
    return plan


def _create(rows: list[PlaceRow], plan: _Plan, acting_user, spill: AttrSpill,
            progress: Callable[..., None] = _quiet) -> int:
    """Write the new places (their findings still blank) and their names; the revision stamped on them."""
    if not rows:
        return 0
    revision = freshness.lock()  # also the first write, which takes SQLite's write lock
    needing: dict[str, list[PlaceRow]] = defaultdict(list)
    for row in rows:
        if not row.code:
            needing[f"{row.division[:6]}{CATEGORY_LETTERS[row.category]}"].append(row)
    for prefix, group in needing.items():
        for row, code in zip(group, place_services.allocate_codes(prefix=prefix, count=len(group))):
            row.code = code
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
        # Staged: their findings are still being judged (``_record_findings`` publishes them).
        fast_insert.insert(Place, (_place_values(row, plan, revision, now) for row in batch), table=staging)
        # Before their places, in the same transaction: foreign keys are checked at commit.
        fast_insert.insert(PlaceName, (name for row in batch for name in _name_values(row, copy_official, revision, now)),
                           explicit_pk=False)
        release(batch)
        progress(len(batch), "write", len(rows))
    if copy_official:
        _official_names_from_places(revision, STAGED_PLACES)
    fast_insert.copy_history(PlaceName, revision=revision, user=acting_user)
    return revision


def _place_values(row: PlaceRow, plan: _Plan, revision: int, now) -> dict:
    roman = plan.roman[(row.name, row.category)]
    specific, generic = split_generic(row.name, row.category)
    return {
        "id": row.pk, "code": row.code, "name": row.name, "specific": specific, "generic": generic,
        "pinyin": row.pinyin or roman.pinyin, "pinyin_key": roman.key, "initials": roman.initials,
        "name_key": roman.name_key, "category": row.category, "division_id": row.division,
        "status": row.status, "revision": revision, "created_at": now, "updated_at": now, **row.attrs,
    }


def _name_values(row: PlaceRow, copy_official: bool, revision: int, now) -> list[dict]:
    if row.names is not None:
        entries = row.names
    else:
        entries = [{"name": n, "kind": NameKind.FORMER, "valid_from": s, "valid_to": e} for n, s, e in row.former]
        if not copy_official:
            entries.append({"name": row.name, "kind": NameKind.OFFICIAL, "valid_from": "", "valid_to": ""})
    out = []
    for entry in entries:
        roman = _romanized(entry["name"], row.category)
        if entry["name"] == row.name and row.pinyin:
            pinyin = row.pinyin
        else:
            pinyin = roman.pinyin
        start = partial_dates.parse(entry.get("valid_from") or "")
        end = partial_dates.parse(entry.get("valid_to") or "")
        out.append({
            "place_id": row.pk, "name": entry["name"], "kind": entry["kind"],
            "pinyin": entry.get("pinyin") or pinyin, "pinyin_key": roman.key, "initials": roman.initials,
            "valid_from": str(start) if start else "", "valid_to": str(end) if end else "",
            "valid_from_key": start.first_key if start else None, "valid_to_key": end.last_key if end else None,
            "decision_document": entry.get("decision_document") or "",
            "decision_date": _date(entry.get("decision_date")), "source": entry.get("source") or "",
            "note": entry.get("note") or "", "revision": revision, "created_at": now, "updated_at": now,
        })
    return out


def _record_findings(rows: list[PlaceRow], found: dict[int, tuple], revision: int, acting_user) -> None:
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
    listed = [row for row in rows if row.heritage]
    if listed:
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
    blank = {"kind": NameKind.OFFICIAL, "valid_from": "", "valid_to": "", "decision_document": "", "source": "",
             "note": ""}
    return fast_insert.insert_select(
        PlaceName, [*copied, "place_id", *blank], table, [*copied, "id", *["%s"] * len(blank)],
        where="revision = %s", params=[*blank.values(), revision])


def _romanized(name: str, category: str):
    """The romanization of a name of the file (made once per distinct name by ``_plan``)."""
    found = _shared.get("roman", {}).get((name, category))
    return found if found is not None else romanize(name, category)  # same pinyin, key and initials


def _date(value):
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
