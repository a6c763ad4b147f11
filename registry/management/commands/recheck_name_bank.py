"""``manage.py recheck_name_bank``: expire the bank entries past their date, then judge the others again.

Run it after a round is decided or an import lands (or nightly): an entry that became a
duplicate of a name the registry now holds is flagged with the finding, one whose error
is gone holds its name again. Prints what changed; ``--quiet`` for cron.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from registry.services.name_bank import bank_expire, bank_recheck


class Command(BaseCommand):
    help = "Expire name-bank entries past their expiry date and re-check the others against the registry."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-expire", action="store_true", help="Only re-check; leave expired entries as they are."
        )

    def handle(self, *args, **options):
        expired = [] if options["no_expire"] else bank_expire()
        report = bank_recheck()
        for entry in report.flagged:
            rules = ", ".join(f["rule"] for f in entry.findings if f["severity"] == "error")
            self.stdout.write(f"flagged\t{entry.pk}\t{entry.name}\t{rules}")
        for entry in report.cleared:
            self.stdout.write(f"cleared\t{entry.pk}\t{entry.name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.checked} checked, {len(report.flagged)} flagged, {len(report.cleared)} cleared, "
                f"{len(expired)} expired."
            )
        )
