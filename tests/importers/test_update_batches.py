"""``--update`` writes a bounded batch per transaction (issue #12, item 4).

One transaction for the whole file held SQLite's only write lock throughout and made
each rename's name check re-read every row already written: 1,000 renames 25 s, 10,000
over 11 minutes, clerks' saves failing meanwhile. Each batch is now its own transaction
(a revision each), the work per rename is bounded by the batch, and a batch that fails
leaves the batches before it written and says precisely what was and was not.
"""

import csv

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.importers.places import import_places
from registry.models import ImportRecord, Place
from registry.services.places import place_retire

# Transactions are what is tested: each test commits for real (divisions restored after).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NAMES = ["甲一路", "乙二路", "丙三路", "丁四路", "戊五路", "己六路", "庚七路"]


def _places(make_place, count):
    return [make_place(f"旧名{i}巷") for i in range(count)]


def _renames(tmp_path, places, names=NAMES):
    path = tmp_path / "renames.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["code", "name", "category", "division"])
        for place, name in zip(places, names):
            writer.writerow([place.code, name, place.category, place.division_id])
    return path


def test_each_batch_is_its_own_transaction(db, make_place, tmp_path, settings):
    settings.REGISTRY_IMPORT_UPDATE_BATCH = 2
    places = _places(make_place, 5)
    result = import_places(_renames(tmp_path, places), update=True, legacy=True)
    assert result.ok and result.written and result.updated == 5
    renamed = Place.objects.filter(pk__in=[p.pk for p in places])
    assert sorted(renamed.values_list("name", flat=True)) == sorted(NAMES[:5])
    # one revision per transaction: three batches (2 + 2 + 1), not one for the file
    assert renamed.values("revision").distinct().count() == 3


def test_the_work_per_rename_does_not_grow_with_the_rows_written_before_it(db, make_place, tmp_path, settings):
    """The pending rows a rename's check reads are those of its batch, not of the whole file."""
    settings.REGISTRY_IMPORT_UPDATE_BATCH = 2
    places = _places(make_place, 6)
    with CaptureQueriesContext(connection) as queries:
        assert import_places(_renames(tmp_path, places), update=True, legacy=True).updated == 6
    pending = [
        q["sql"] for q in queries.captured_queries if 'FROM "registry_place"' in q["sql"] and '"revision" >' in q["sql"]
    ]
    assert pending  # the similarity index's pending rows are read per check …
    revisions = {int(sql.split('"revision" >')[1].split()[0].strip("()")) for sql in pending}
    assert len(revisions) >= 3  # … after the revision before each batch, never the file's first


def test_a_failing_batch_leaves_the_batches_before_it_and_says_so(db, make_place, tmp_path, settings):
    settings.REGISTRY_IMPORT_UPDATE_BATCH = 2
    places = _places(make_place, 5)
    place_retire(place=places[3], effective="2020")  # line 5 of the file: a retired place is not renamed
    result = import_places(_renames(tmp_path, places), update=True, legacy=True)
    assert not result.ok and result.written
    assert result.updated == 2  # the first batch (lines 2 and 3) is written and kept
    names = list(Place.objects.filter(pk__in=[p.pk for p in places]).order_by("pk").values_list("name", flat=True))
    assert names == [NAMES[0], NAMES[1], "旧名2巷", "旧名3巷", "旧名4巷"]  # the failing batch and after: not
    row, summary = result.problems[0], result.problems[1]
    assert row.line == 5 and "retired" in row.message
    assert "stopped at line 5" in summary.message and "lines before line 4 (2 places updated" in summary.message
    assert "Not written: line 4 and every update after it" in summary.message


def test_the_command_says_partly_imported_and_a_second_run_completes_it(db, make_place, tmp_path, settings, capsys):
    settings.REGISTRY_IMPORT_UPDATE_BATCH = 2
    places = _places(make_place, 3)
    path = _renames(tmp_path, places)
    place_retire(place=places[2], effective="2020")
    with pytest.raises(CommandError, match="Partly imported: 0 created, 2 updated"):
        call_command("import_places", str(path), "--update", verbosity=0)
    assert "line 4" in capsys.readouterr().err
    assert not ImportRecord.objects.exists()  # the record is written with the last batch
    retired = _renames(tmp_path, places[:2], NAMES[:2])  # the same file without the retired place
    call_command("import_places", str(retired), "--update", verbosity=0)
    assert ImportRecord.objects.get().unchanged == 2
