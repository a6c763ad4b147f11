"""``manage.py import_places FILE``: bulk import of census spreadsheets (SPEC.md "Commands"),
or with ``--kind heritage`` of heritage listings (one row per listing, the place by its code).

All-or-nothing by default: every problem is reported with its row and column, and one
bad row means nothing is written and the command exits non-zero. ``--dry-run`` checks
and reports without writing; ``--update`` upserts by code (in batches, each its own transaction: a batch that fails leaves
those before it written, and the command says precisely what); ``--report OUT`` writes the
problems as CSV (and, with ``--legacy``, the rows recorded with error findings).

A name with error findings (DUPLICATE, FOREIGN …) is a problem unless ``--legacy``
declares the rows names that already exist on the ground: they are then recorded with
their findings (``--strict`` refuses them even so). Every completed import is recorded
(the file's SHA-256, who, when, the counts); the same file is refused a second time
unless ``--update`` (an upsert) or ``--allow-repeat`` (an import meant to be repeated,
e.g. into a registry rebuilt from scratch, or a file re-sent after its places were
retired; the record then says the repeat was allowed).
"""

from __future__ import annotations

import csv
import getpass
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from tqdm import tqdm

from registry.crs import CRS_CHOICES
from registry.importers.export import safe_cell
from registry.importers.readers import FORMATS
from registry.importers.records import Upload, run_import
from registry.validation.findings import rule_label


class _Bars:
    """One tqdm bar per stage of an import (reading, name checks, writing), on a terminal only."""

    LABELS = {"read": "读取 read", "check": "名称检查 check", "write": "写入 write"}

    def __init__(self, show: bool):
        self.show, self.stage, self.bar = show, None, None

    def __call__(self, count: int, stage: str = "read", total: int | None = None) -> None:
        if not self.show:
            return
        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = tqdm(desc=self.LABELS.get(stage, stage), total=total, unit="行")
        self.bar.update(count)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Command(BaseCommand):
    help = "Import places from CSV (UTF-8 or GBK), XLSX, JSON or GeoJSON; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", default="auto", choices=("auto",) + FORMATS)
        parser.add_argument(
            "--encoding", default="auto", help="auto (UTF-8, UTF-8 with BOM, GBK/GB18030) or a codec name"
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")
        parser.add_argument(
            "--update", action="store_true", help="Update places whose code exists (names are appended)."
        )
        parser.add_argument(
            "--ignore-unknown", action="store_true", help="Skip unknown columns instead of refusing the file."
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Treat the name check's errors as problems (the default unless --legacy).",
        )
        parser.add_argument(
            "--legacy",
            action="store_true",
            help="The rows are names that already exist on the ground: record names with error "
            "findings as they are, with their findings, instead of refusing them.",
        )
        parser.add_argument(
            "--allow-repeat",
            action="store_true",
            help="Import a file even though the same content was imported before (the import "
            "record says so). Without it a repeat is refused, naming the earlier import.",
        )
        parser.add_argument("--report", help="Write the problems to this CSV file.")
        parser.add_argument(
            "--language",
            choices=[c for c, _n in settings.LANGUAGES],
            help="language of the problems reported: zh-hans (the default, LANGUAGE_CODE) or en",
        )
        parser.add_argument(
            "--kind",
            default="places",
            choices=("places", "heritage"),
            help="places (the default) or heritage: listings of places already in the registry",
        )
        parser.add_argument(
            "--crs",
            default="wgs84",
            choices=CRS_CHOICES,
            help="the coordinates' system: wgs84 or cgcs2000 (as they are), gcj02 (Gaode, Tencent) "
            "or bd09 (Baidu), converted to WGS-84",
        )

    def handle(self, *args, **options):
        if options.get("language"):
            with translation.override(options["language"]):
                return self._import(options)
        return self._import(options)

    def _import(self, options):
        started = time.perf_counter()
        if options["strict"] and options["legacy"]:
            raise CommandError("--strict refuses names with errors and --legacy records them: give one of the two.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        bar = _Bars(sys.stderr.isatty() and options["verbosity"] > 0)
        try:
            result = run_import(
                Upload(path, path.name, "command", operator=_operator()),
                kind=options["kind"],
                fmt=options["format"],
                encoding=options["encoding"],
                dry_run=options["dry_run"],
                update=options["update"],
                ignore_unknown=options["ignore_unknown"],
                strict=options["strict"],
                legacy=options["legacy"],
                allow_repeat=options["allow_repeat"],
                acting_user=None,
                progress=bar,
                crs=options["crs"],
            )
        finally:
            bar.close()
        if options.get("report"):
            _write_report(options["report"], result)
        self._findings(result)
        if result.problems:
            self._refuse(result)
        elapsed = time.perf_counter() - started
        verb = "would be" if options["dry_run"] else "were"
        noun = "heritage listings" if options["kind"] == "heritage" else "places"
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.rows} rows ({result.format}) in {elapsed:.1f} s: {result.created} {noun} {verb} created, "
                f"{result.updated} updated, {result.unchanged} unchanged, 0 failed."
            )
        )

    def _findings(self, result) -> None:
        """The name check's findings by rule, the rows recorded as legacy names, the notices."""
        for (rule, severity), count in sorted(result.findings.items(), key=lambda item: -item[1]):
            self.stdout.write(f"  name check {rule:<24} {rule_label(rule)}  {severity:<8} {count}")
        for row in result.flagged[:50]:
            self.stdout.write(
                f"  line {row.line}: {row.name} recorded as a legacy name: "
                + "; ".join(f"[{rule}] {message}" for rule, _severity, message in row.findings)
            )
        for notice in result.notices:
            self.stderr.write(notice)

    def _refuse(self, result) -> None:
        """The problems (the first 50), and the command fails saying what was written."""
        for problem in result.problems[:50]:
            where = f"line {problem.line}" if problem.line else "file"
            self.stderr.write(f"{where}{', ' + problem.column if problem.column else ''}: {problem.message}")
        if len(result.problems) > 50:
            self.stderr.write(f"… and {len(result.problems) - 50} more problems (see --report)")
        if result.written:  # --update batches written before the one that failed stay written
            raise CommandError(
                f"Partly imported: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged, then {result.problems.total} problems "
                f"in {result.failed} rows (see above)."
            )
        raise CommandError(f"Nothing was imported: {result.problems.total} problems in {result.failed} rows.")


def _write_report(path: str, result) -> None:
    """The problems as CSV (line, column, message), then the rows recorded with error findings."""
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["line", "column", "message"])
        writer.writerows((p.line, p.column, safe_cell(p.message)) for p in result.problems)
        writer.writerows(
            (row.line, "name", f"[{rule}] {message}")
            for row in result.flagged
            for rule, _severity, message in row.findings
        )


def _operator() -> str:
    """Who runs the command, for the import record: the system login (there is no user account)."""
    try:
        return f"manage.py ({getpass.getuser()})"
    except (KeyError, OSError):
        return "manage.py"
