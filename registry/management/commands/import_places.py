"""``manage.py import_places FILE``: bulk import of census spreadsheets (SPEC.md "Commands"),
or with ``--kind heritage`` of heritage listings (one row per listing, the place by its code).

All-or-nothing by default: every problem is reported with its row and column, and one
bad row means nothing is written and the command exits non-zero. ``--dry-run`` checks
and reports without writing; ``--update`` upserts by code; ``--report OUT`` writes the
problems as CSV; ``--strict`` makes the name check's errors fatal.
"""
from __future__ import annotations

import csv
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from tqdm import tqdm

from registry.importers.heritage import import_heritage
from registry.importers.places import import_places
from registry.importers.readers import FORMATS


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
        parser.add_argument("--encoding", default="auto", help="auto (UTF-8, UTF-8 with BOM, GBK/GB18030) or a codec name")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")
        parser.add_argument("--update", action="store_true", help="Update places whose code exists (names are appended).")
        parser.add_argument("--ignore-unknown", action="store_true", help="Skip unknown columns instead of refusing the file.")
        parser.add_argument("--strict", action="store_true", help="Treat the name check's errors as problems.")
        parser.add_argument("--report", help="Write the problems to this CSV file.")
        parser.add_argument("--language", choices=[c for c, _n in settings.LANGUAGES],
                            help="language of the problems reported: zh-hans (the default, LANGUAGE_CODE) or en")
        parser.add_argument("--kind", default="places", choices=("places", "heritage"),
                            help="places (the default) or heritage: listings of places already in the registry")

    def handle(self, *args, **options):
        if options.get("language"):
            with translation.override(options["language"]):
                return self._import(options)
        return self._import(options)

    def _import(self, options):
        started = time.perf_counter()
        show = sys.stderr.isatty() and options["verbosity"] > 0
        bar = _Bars(show)
        try:
            common = dict(fmt=options["format"], encoding=options["encoding"], dry_run=options["dry_run"],
                          update=options["update"], ignore_unknown=options["ignore_unknown"], progress=bar)
            if options["kind"] == "heritage":
                result = import_heritage(options["file"], **common)
            else:
                result = import_places(options["file"], strict=options["strict"], **common)
        finally:
            bar.close()
        if options.get("report"):
            with open(options["report"], "w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(["line", "column", "message"])
                writer.writerows((p.line, p.column, p.message) for p in result.problems)
        for (rule, severity), count in sorted(result.findings.items(), key=lambda item: -item[1]):
            self.stdout.write(f"  name check {rule:<24} {severity:<8} {count}")
        if result.problems:
            for problem in result.problems[:50]:
                where = f"line {problem.line}" if problem.line else "file"
                self.stderr.write(f"{where}{', ' + problem.column if problem.column else ''}: {problem.message}")
            if len(result.problems) > 50:
                self.stderr.write(f"… and {len(result.problems) - 50} more problems (see --report)")
            raise CommandError(f"Nothing was imported: {len(result.problems)} problems in {result.failed} rows.")
        elapsed = time.perf_counter() - started
        verb = "would be" if options["dry_run"] else "were"
        noun = "heritage listings" if options["kind"] == "heritage" else "places"
        self.stdout.write(self.style.SUCCESS(
            f"{result.rows} rows ({result.format}) in {elapsed:.1f} s: {result.created} {noun} {verb} created, "
            f"{result.updated} updated, {result.unchanged} unchanged, 0 failed."
        ))
