"""``manage.py translate_seed_notes``: the shipped word-list notes and allow-list reasons in Chinese.

A registry seeded before the notes were translated holds the English text that
migration 0004 copied from ``registry/validation/data/*.tsv``. Those files now carry the
Chinese text in ``note``/``reason`` and the former English in ``note_en``/``reason_en``.
This command replaces a stored text only where it is still exactly the shipped English
(an entry the bureau edited is left alone), through the services (audited, reason
"seed text: Chinese"). Running it again changes nothing. It covers every word list and the
allow-list; migration 0032 applies the same to the 洋 and person notes on upgrade.
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from registry.models import AllowListEntry, WordListEntry
from registry.services.lexicon import SEED_TEXT, allow_list_entry_save, word_list_entry_save

DATA = Path(__file__).resolve().parents[2] / "validation" / "data"
WORD_LISTS = {
    "exaggerated.tsv": "exaggerated",
    "foreign.tsv": "foreign",
    "feudal.tsv": "feudal",
    "vulgar.tsv": "vulgar",
    "commercial.tsv": "commercial",
    "persons.tsv": "person",
}


def rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def translations(path: Path, text: str) -> dict[tuple[str, str], str]:
    """(term, shipped English) → Chinese, for the rows of ``path`` that carry both."""
    found = {}
    for row in rows(path):
        english, chinese = (row.get(f"{text}_en") or "").strip(), (row.get(text) or "").strip()
        if english and chinese and english != chinese:
            found[(row["term"].strip(), english)] = chinese
    return found


class Command(BaseCommand):
    help = "Replace the shipped English word-list notes and allow-list reasons with their Chinese text."

    @transaction.atomic
    def handle(self, *args, **options):
        changed = 0
        for filename, word_list in WORD_LISTS.items():
            table = translations(DATA / filename, "note")
            for entry in WordListEntry.objects.filter(word_list=word_list, term__in={t for t, _e in table}):
                chinese = table.get((entry.term, entry.note))
                if chinese:
                    entry.note = chinese
                    word_list_entry_save(entry=entry, reason=SEED_TEXT)
                    changed += 1
        table = translations(DATA / "allowlist.tsv", "reason")
        for entry in AllowListEntry.objects.filter(term__in={t for t, _e in table}):
            chinese = table.get((entry.term, entry.reason))
            if chinese:
                entry.reason = chinese
                allow_list_entry_save(entry=entry, reason=SEED_TEXT)
                changed += 1
        self.stdout.write(f"{changed} notes and reasons given in Chinese.")
