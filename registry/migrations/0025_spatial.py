"""The geometry's envelope on each place, indexed: a bbox query narrows lines and areas by it
before the exact intersection (``registry.spatial.in_box``). Filled here for the places that
already have a geometry; ``Place.save`` and the importer keep it from now on."""
from django.db import migrations, models


def fill(apps, schema_editor):
    from registry.models.places import ENVELOPE_COLUMNS, envelope_columns

    Place = apps.get_model("registry", "Place")
    changed = []
    for place in Place.objects.filter(geometry__isnull=False).only("pk", "geometry").iterator(chunk_size=2000):
        for column, value in zip(ENVELOPE_COLUMNS, envelope_columns(place.geometry)):
            setattr(place, column, value)
        changed.append(place)
    Place.objects.bulk_update(changed, list(ENVELOPE_COLUMNS), batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("registry", "0024_word_classes")]

    operations = [
        migrations.AddField("place", "geometry_west", models.FloatField(
            blank=True, editable=False, null=True, verbose_name="geometry envelope, west")),
        migrations.AddField("place", "geometry_south", models.FloatField(
            blank=True, editable=False, null=True, verbose_name="geometry envelope, south")),
        migrations.AddField("place", "geometry_east", models.FloatField(
            blank=True, editable=False, null=True, verbose_name="geometry envelope, east")),
        migrations.AddField("place", "geometry_north", models.FloatField(
            blank=True, editable=False, null=True, verbose_name="geometry envelope, north")),
        migrations.AddIndex("place", models.Index(
            condition=models.Q(geometry_west__isnull=False),
            fields=["geometry_west", "geometry_south", "geometry_east", "geometry_north"], name="place_geometry_box")),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
