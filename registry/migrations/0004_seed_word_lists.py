"""Seed the word lists and the allow-list from the shipped defaults.

After this migration the tables are the truth: bureau staff edit them in the admin.
Reads ``registry/validation/data/*.tsv`` (header line, ``#`` comment lines anywhere).
"""
import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "validation" / "data"
LISTS = {
    "exaggerated.tsv": "exaggerated",
    "foreign.tsv": "foreign",
    "feudal.tsv": "feudal",
    "vulgar.tsv": "vulgar",
    "commercial.tsv": "commercial",
    "persons.tsv": "person",
}


def rows(path):
    with open(path, encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def seed(apps, schema_editor):
    WordListEntry = apps.get_model("registry", "WordListEntry")
    AllowListEntry = apps.get_model("registry", "AllowListEntry")
    Revision = apps.get_model("registry", "Revision")
    for filename, word_list in LISTS.items():
        seen = set()
        entries = []
        for row in rows(DATA / filename):
            term = (row.get("term") or "").strip()
            if not term or term in seen:
                continue
            seen.add(term)
            entries.append(WordListEntry(
                word_list=word_list, term=term, kind=(row.get("kind") or "").strip()[:30],
                severity=(row.get("severity") or "").strip() if (row.get("severity") or "").strip() in {"error", "warning"} else "",
                ambiguous=(row.get("ambiguous") or "").strip().lower() == "yes",
                note=(row.get("note") or "").strip(), source=(row.get("source") or "").strip()[:200],
            ))
        WordListEntry.objects.bulk_create(entries)
    AllowListEntry.objects.bulk_create([
        AllowListEntry(term=row["term"].strip(), rules=row["rule"].strip(), reason=row["reason"].strip(),
                       source=(row.get("source") or "").strip()[:200])
        for row in rows(DATA / "allowlist.tsv") if (row.get("term") or "").strip()
    ])
    Revision.objects.get_or_create(name="places")
    Revision.objects.get_or_create(name="lexicon")


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_validator_fields_and_word_lists")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
