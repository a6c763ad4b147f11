"""Marks judged anywhere inside a proper name, and more word classes (issue 16).

Seeded from ``registry/validation/data/content_rules.tsv`` into the word list each row
names: single-character morphemes (欧, 宫, 殿; ``kind`` = char), judged wherever they
stand in the proper name unless part of a real place name; residence words (府第, 宅第);
style marks of 洋 (英伦, 法式); and political, military and religious terms with their
class as ``kind``. After this migration the table is the truth: staff edit the entries in
the admin. An entry already present (same list and term) is left alone; the ``lexicon``
counter moves so running processes reload.
"""

import csv
from pathlib import Path

from django.db import migrations
from django.db.models import F

DATA = Path(__file__).resolve().parent.parent / "validation" / "data" / "content_rules.tsv"


def rows():
    with open(DATA, encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def seed(apps, schema_editor):
    WordListEntry = apps.get_model("registry", "WordListEntry")
    Revision = apps.get_model("registry", "Revision")
    for row in rows():
        WordListEntry.objects.get_or_create(
            word_list=row["word_list"].strip(),
            term=row["term"].strip(),
            defaults={
                "kind": row["kind"].strip(),
                "ambiguous": row["ambiguous"].strip() == "yes",
                "note": row["note"].strip(),
                "source": row["source"].strip()[:200],
            },
        )
    Revision.objects.get_or_create(name="lexicon")
    Revision.objects.filter(name="lexicon").update(value=F("value") + 1)


class Migration(migrations.Migration):
    dependencies = [("registry", "0028_spatial_index")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
