"""The 洋 and person lists' notes in Chinese, in a registry seeded while they were English.

``registry/validation/data/foreign.tsv`` and ``persons.tsv`` now carry the Chinese note in
``note`` (外文原名：Marriott; 政治局常委、国务院副总理) and the English that migration 0004
seeded in ``note_en``. As ``manage.py translate_seed_notes`` does, a note is replaced only
where it is still exactly the shipped English: a note the bureau edited is left alone. Each
replaced note leaves an audit entry (change reason "seed text: Chinese"), and the
``lexicon`` counter moves so running processes reload. A registry seeded from the Chinese
files has nothing to replace.
"""

import csv
from pathlib import Path

from django.db import migrations
from django.db.models import F
from django.utils import timezone

DATA = Path(__file__).resolve().parent.parent / "validation" / "data"
LISTS = {"foreign.tsv": "foreign", "persons.tsv": "person"}
SEED_TEXT = "seed text: Chinese"


def translations(filename):
    """(term, shipped English) → Chinese."""
    with open(DATA / filename, encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    found = {}
    for row in csv.DictReader(lines, delimiter="\t"):
        english, chinese = (row.get("note_en") or "").strip(), (row.get("note") or "").strip()
        if english and chinese and english != chinese:
            found[(row["term"].strip(), english)] = chinese
    return found


def translate(apps, schema_editor):
    WordListEntry = apps.get_model("registry", "WordListEntry")
    History = apps.get_model("registry", "HistoricalWordListEntry")
    Revision = apps.get_model("registry", "Revision")
    now, audit = timezone.now(), []
    for filename, word_list in LISTS.items():
        table = translations(filename)
        for entry in WordListEntry.objects.filter(word_list=word_list, term__in={t for t, _e in table}):
            chinese = table.get((entry.term, entry.note))
            if not chinese:
                continue
            entry.note, entry.updated_at = chinese, now
            entry.save(update_fields=["note", "updated_at"])
            fields = {f.attname: getattr(entry, f.attname) for f in WordListEntry._meta.concrete_fields}
            audit.append(History(**fields, history_date=now, history_type="~", history_change_reason=SEED_TEXT))
    History.objects.bulk_create(audit)
    if audit:
        Revision.objects.get_or_create(name="lexicon")
        Revision.objects.filter(name="lexicon").update(value=F("value") + 1)


class Migration(migrations.Migration):
    dependencies = [("registry", "0031_validator_words_more")]
    operations = [migrations.RunPython(translate, migrations.RunPython.noop)]
