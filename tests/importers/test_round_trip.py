"""Export, then import into an empty registry: every place, name and listing comes back."""

import pytest
from django.core.management import call_command
from django.db import transaction

from registry.importers.export import record
from registry.models import HeritageListing, Place, PlaceName


def everything():
    return [record(p) for p in Place.objects.prefetch_related("names", "heritage_listings").order_by("code")]


@pytest.mark.parametrize("fmt", ["json", "geojson"])
def test_an_export_reimported_reproduces_the_registry(db, tmp_path, fmt):
    path = tmp_path / f"registry.{fmt}"
    savepoint = transaction.savepoint()
    call_command("load_demo", verbosity=0)
    before = everything()
    counts = (Place.objects.count(), PlaceName.objects.count(), HeritageListing.objects.count())
    call_command("export_places", str(path), verbosity=0)
    transaction.savepoint_rollback(savepoint)
    assert Place.objects.count() == 0
    call_command("import_places", str(path), verbosity=0)
    assert (Place.objects.count(), PlaceName.objects.count(), HeritageListing.objects.count()) == counts
    after = everything()
    assert after == before


@pytest.mark.parametrize(
    "fmt,chinese", [("csv", False), ("xlsx", False), ("xlsx", True)], ids=["csv", "xlsx", "xlsx-chinese"]
)
def test_table_exports_reimport_places_and_former_names(db, tmp_path, fmt, chinese):
    path = tmp_path / f"registry.{fmt}"
    savepoint = transaction.savepoint()
    call_command("load_demo", verbosity=0)
    names = {(p.code, p.name, p.category, p.division_id, p.pinyin) for p in Place.objects.all()}
    former = set(PlaceName.objects.exclude(kind="official", valid_to="").values_list("place__code", "name"))
    call_command("export_places", str(path), *(["--chinese"] if chinese else []), verbosity=0)
    transaction.savepoint_rollback(savepoint)
    call_command("import_places", str(path), verbosity=0)
    assert {(p.code, p.name, p.category, p.division_id, p.pinyin) for p in Place.objects.all()} == names
    assert former <= set(PlaceName.objects.values_list("place__code", "name"))
