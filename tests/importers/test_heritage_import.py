"""import_places --kind heritage and export_places --kind heritage: golden files for each
format and encoding, each kind of bad row, --update, and the round trip."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from registry.models import HeritageListing

DATA = Path(__file__).resolve().parents[1] / "data" / "imports" / "heritage"


@pytest.fixture
def places(db):
    call_command("import_places", str(DATA / "places.csv"), verbosity=0)


def run(name, *args):
    call_command("import_places", str(DATA / name), "--kind", "heritage", *args, verbosity=0)


def snapshot():
    return sorted(
        HeritageListing.objects.values_list(
            "place__code",
            "scheme",
            "level",
            "status",
            "batch",
            "in_use_since",
            "first_recorded_name",
            "preserved_features",
            "protection_measures",
            "notice_start",
            "verification",
        )
    )


@pytest.mark.parametrize("name", ["good_utf8_bom.csv", "good_gbk.csv", "good.xlsx", "good.json"])
def test_each_format_and_encoding_imports_the_same_listings(places, name):
    run(name)
    zhegao = HeritageListing.objects.get(place__code="340181Z00012")
    assert (zhegao.scheme, zhegao.level, zhegao.status) == ("ancient_town", "provincial", "listed")
    assert zhegao.first_recorded_name == "橐皋" and zhegao.in_use_since == -483
    assert zhegao.years_in_use > 2400
    assert HeritageListing.objects.get(place__code="340123Z00001").in_use_since is None  # no year in the sources
    assert HeritageListing.objects.count() == 3
    assert HeritageListing.history.filter(history_type="+").count() == 3  # audit entries


@pytest.mark.parametrize(
    "fragment",
    [
        "line 2, place: Unknown place code “340181Z99999”",
        "line 3, scheme: ",  # Django's choice message, in the active language
        "line 4, in_use_since: A thousand-year listing needs a name in use for 1,000 years or more",
        "line 5, notice_start: “2021-02-30” is not a date",
        "line 6, in_use_since: “春秋” is not a year",
    ],
)
def test_bad_rows_are_reported_and_nothing_is_written(places, capsys, fragment):
    with pytest.raises(CommandError, match="Nothing was imported"):
        run("bad.csv")
    assert fragment in capsys.readouterr().err
    assert HeritageListing.objects.count() == 0


def test_a_listing_twice_in_the_file_is_refused(places, capsys):
    with pytest.raises(CommandError):
        run("duplicate.csv")
    assert "line 3, scheme: 340181Z00012 is listed in ancient_town again (first on line 2)" in capsys.readouterr().err
    assert HeritageListing.objects.count() == 0


def test_a_missing_required_column_is_refused(places, capsys):
    with pytest.raises(CommandError):
        run("missing_scheme.csv")
    assert "Missing required columns: scheme" in capsys.readouterr().err


def test_an_existing_listing_needs_update_and_update_records_the_change(places, capsys):
    run("good_utf8_bom.csv")
    with pytest.raises(CommandError):
        run("update.csv")
    assert "is already listed in ancient_town (use --update" in capsys.readouterr().err
    run("update.csv", "--update")
    zhegao = HeritageListing.objects.get(place__code="340181Z00012")
    assert zhegao.protection_measures.startswith("test: protection measures")
    assert zhegao.history.count() == 2 and HeritageListing.objects.count() == 3
    call_command("import_places", str(DATA / "update.csv"), "--kind", "heritage", "--update")
    assert "0 heritage listings were created, 0 updated, 1 unchanged" in capsys.readouterr().out
    assert zhegao.history.count() == 2


def test_dry_run_writes_nothing(places, capsys):
    call_command("import_places", str(DATA / "good_gbk.csv"), "--kind", "heritage", "--dry-run")
    assert "3 heritage listings would be created" in capsys.readouterr().out
    assert HeritageListing.objects.count() == 0


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "json"])
def test_an_export_imports_back_to_the_same_listings(places, tmp_path, suffix):
    run("good.json")
    before = snapshot()
    out = tmp_path / f"heritage.{suffix}"
    call_command("export_places", str(out), "--kind", "heritage", verbosity=0)
    HeritageListing.objects.all()._raw_delete(HeritageListing.objects.db)  # a fresh catalogue, same places
    assert HeritageListing.objects.count() == 0
    call_command("import_places", str(out), "--kind", "heritage", verbosity=0)
    assert snapshot() == before
