"""Word classes unsuitable for place names: political, military and religious terms.

Seeded from ``registry/validation/data/word_classes.tsv`` into the word list each row
names (the Jiangsu criteria count such words as 大), with ``kind`` = the class, which
picks the finding's message. After this migration the table is the truth: staff edit
the entries in the admin. An entry already present (same list and term) is left alone;
the ``lexicon`` counter moves so running processes reload.
"""
import csv
from pathlib import Path

from django.db import migrations
from django.db.models import F

DATA = Path(__file__).resolve().parent.parent / "validation" / "data" / "word_classes.tsv"


def rows():
    with open(DATA, encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def seed(apps, schema_editor):
    WordListEntry = apps.get_model("registry", "WordListEntry")
    Revision = apps.get_model("registry", "Revision")
    for row in rows():
        WordListEntry.objects.get_or_create(
            word_list=row["word_list"].strip(), term=row["term"].strip(),
            defaults={"kind": row["kind"].strip(), "ambiguous": row["ambiguous"].strip() == "yes",
                      "note": row["note"].strip(), "source": row["source"].strip()[:200]})
    Revision.objects.get_or_create(name="lexicon")
    Revision.objects.filter(name="lexicon").update(value=F("value") + 1)


class Migration(migrations.Migration):
    dependencies = [("registry", "0023_division_boundary")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
