"""Marketing morphemes and more word classes (issue 16).

Seeded from two files in ``registry/validation/data/`` into the word list each row names:
``coined.tsv`` (marketing morphemes of housing and building names, 怪 list, ``kind`` coined:
尊, 铂, 臻 judged wherever they stand in the proper name, 荟, 悦, 秀 only where they end a name
that has no generic; ``registry/validation/coined.py``) and ``content_words_more.tsv``
(political, military and religious terms, enterprises and brands). As in 0029, an entry
already present (same list and term) is left alone, and after this migration the table is
the truth: staff edit the entries in the admin. The ``lexicon`` counter moves so running
processes reload.
"""

import csv
from pathlib import Path

from django.db import migrations
from django.db.models import F

DATA = Path(__file__).resolve().parent.parent / "validation" / "data"
FILES = ("coined.tsv", "content_words_more.tsv")


def rows(filename):
    with open(DATA / filename, encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def seed(apps, schema_editor):
    WordListEntry = apps.get_model("registry", "WordListEntry")
    Revision = apps.get_model("registry", "Revision")
    for filename in FILES:
        for row in rows(filename):
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
    dependencies = [("registry", "0030_read_indexes")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
