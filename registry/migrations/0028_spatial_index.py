"""A real spatial index of places (issue #14): an R*Tree kept by triggers on SQLite, a GiST
on a box expression on PostgreSQL (``registry/spatial_index.py``), in place of the B-tree
indexes on the point (0022) and on the geometry's envelope (0025)."""

from django.db import migrations


def create(apps, schema_editor):
    from registry import spatial_index

    spatial_index.create(schema_editor.connection)


def drop(apps, schema_editor):
    from registry import spatial_index

    spatial_index.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("registry", "0026_content_words")]

    operations = [
        migrations.RunPython(create, drop),
        migrations.RemoveIndex("place", "place_location"),
        migrations.RemoveIndex("place", "place_geometry_box"),
    ]
