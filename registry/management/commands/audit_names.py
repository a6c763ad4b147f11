"""``manage.py audit_names``: judge every active name in the registry (a clean-up campaign).

Writes a CSV or JSON report (code, name, rule, severity, message, matched codes),
prints counts per rule, shows a progress bar on a terminal, and stores each place's
worst finding for the admin's list filter.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from registry.choices import Category
from registry.models import Place
from registry.validation.audit import audit_places

FIELDS = ["code", "name", "category", "rule", "severity", "message", "matched_codes"]


class Command(BaseCommand):
    help = "Check every active place name against the naming rules and report the findings."

    def add_arguments(self, parser):
        parser.add_argument(
            "--category", action="append", choices=Category.values, help="Only this category (repeatable)."
        )
        parser.add_argument("--output", help="Report file: .csv (default) or .json.")
        parser.add_argument("--no-store", action="store_true", help="Do not store the summary on each place.")

    def handle(self, *args, **options):
        output = Path(options["output"]) if options.get("output") else None
        if output is not None and output.suffix.lower() not in {".csv", ".json"}:
            raise CommandError("The report must be a .csv or .json file.")
        started = time.perf_counter()
        total, results = audit_places(categories=options.get("category"))
        counts: Counter = Counter()
        levels: Counter = Counter()
        rows: list[dict] = []
        updates: list[Place] = []
        show = sys.stderr.isatty() and options["verbosity"] > 0
        for audited in tqdm(results, total=total, disable=not show, unit="名", desc="audit"):
            levels[audited.level or "ok"] += 1
            for f in audited.findings:
                counts[(f.rule, f.severity)] += 1
                rows.append(
                    {
                        "code": audited.code,
                        "name": audited.name,
                        "category": audited.category,
                        "rule": f.rule,
                        "severity": f.severity,
                        "message": f.message,
                        "matched_codes": " ".join(m.code for m in f.matches),
                    }
                )
            level, rules = audited.summary()
            updates.append(Place(pk=audited.pk, finding_level=level, finding_rules=rules))
        if not options["no_store"]:
            with transaction.atomic():
                Place.objects.bulk_update(updates, ["finding_level", "finding_rules"], batch_size=2000)
        if output is not None:
            self._write(output, rows)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Audited {total} places in {elapsed:.1f} s: {levels['error']} with errors, "
            f"{levels['warning']} with warnings only, {levels['ok']} without findings."
        )
        for (rule, severity), n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            self.stdout.write(f"  {rule:<24} {severity:<8} {n}")
        if output is not None:
            self.stdout.write(f"Report: {output} ({len(rows)} findings)")

    def _write(self, output: Path, rows: list[dict]) -> None:
        output.parent.mkdir(parents=True, exist_ok=True)
        if output.suffix.lower() == ".json":
            output.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
            return
        # UTF-8 with BOM, so that Excel in a Chinese locale opens it correctly.
        with open(output, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=FIELDS)
            writer.writeheader()
            writer.writerows(rows)
