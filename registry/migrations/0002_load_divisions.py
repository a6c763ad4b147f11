"""Load the division reference data: Anhui, its cities and counties, Hefei's townships.

Reference data, not demo data (SPEC.md "Place categories"): a fresh database must
accept places in Hefei. Reads ``registry/data/divisions.csv`` (2023 statistical codes);
``manage.py load_divisions`` loads later or larger files the same way.
"""
import csv
from pathlib import Path

from django.db import migrations

DIVISIONS_CSV = Path(__file__).resolve().parent.parent / "data" / "divisions.csv"
LEVEL_ORDER = {"province": 0, "city": 1, "county": 2, "township": 3}


def load_divisions(apps, schema_editor):
    Division = apps.get_model("registry", "Division")
    with open(DIVISIONS_CSV, encoding="utf-8") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda r: (LEVEL_ORDER[r["level"]], r["code"]))
    for row in rows:
        Division.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "level": row["level"],
                "parent_id": row["parent"] or None,
                "verification": row["verification"],
                "source": row["source"][:300],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load_divisions, migrations.RunPython.noop)]
