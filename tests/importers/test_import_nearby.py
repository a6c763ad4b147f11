"""import_places applies the radius comparison (validation.nearby) between the file's rows and
with the registry, across scope borders, as a single check does."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from registry.models import Place

HEADER = "name,category,division,longitude,latitude\n"


def _write(tmp_path, rows: str):
    path = tmp_path / "villages.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return str(path)


def test_the_same_village_name_across_a_county_border_within_the_radius_is_refused(db, tmp_path, capsys):
    path = _write(tmp_path, "大郢村,village,340104,117.2000,31.8500\n大郢村,village,340123,117.2200,31.8500\n")
    with pytest.raises(CommandError):
        call_command("import_places", path, verbosity=0)
    err = capsys.readouterr().err
    assert "line 2, name:" in err and "line 3, name:" in err and "duplicate name" in err
    assert not Place.objects.exists()


@pytest.mark.parametrize(
    "rows",
    [
        "大郢村,village,340104,117.2000,31.8500\n大郢村,village,340123,117.5000,31.8500\n",  # 28 km apart
        "大郢村,village,340104,,\n大郢村,village,340123,117.2200,31.8500\n",  # one without coordinates
    ],
    ids=["beyond the radius", "no coordinates"],
)
def test_far_apart_or_unlocated_the_names_are_imported(db, tmp_path, rows):
    call_command("import_places", _write(tmp_path, rows), verbosity=0)
    assert Place.objects.filter(name="大郢村").count() == 2
    assert not Place.objects.filter(finding_rules__contains="DUPLICATE").exists()
