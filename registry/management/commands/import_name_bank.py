"""``manage.py import_name_bank FILE [--dry-run] [--encoding gbk]``: the name bank from a spreadsheet.

All or nothing (``registry.importers.name_bank``): every row is checked as the admin
checks a bank entry; one problem and nothing is written, the problems listed by line
and column. ``--dry-run`` checks and writes nothing.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from registry.importers.name_bank import import_name_bank

ENCODINGS = ("auto", "utf-8", "utf-8-sig", "gbk", "gb18030")


class Command(BaseCommand):
    help = "Import name-bank entries from CSV (UTF-8 or GBK) or XLSX: all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The spreadsheet: .csv or .xlsx, with a header row.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row; write nothing.")
        parser.add_argument("--encoding", default="auto", choices=ENCODINGS, help="A CSV's encoding (default: detect).")

    def handle(self, *args, **options):
        result = import_name_bank(Path(options["file"]), dry_run=options["dry_run"], encoding=options["encoding"])
        for problem in result.problems:
            self.stderr.write(str(problem))
        if not result.ok:
            raise CommandError(f"{len(result.problems)} problem(s) in {result.rows} row(s); nothing was imported.")
        verb = "would be entered (dry run)" if result.dry_run else "entered"
        self.stdout.write(self.style.SUCCESS(f"{result.rows} row(s) checked, {result.created} {verb}."))
