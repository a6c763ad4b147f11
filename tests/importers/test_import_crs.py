"""``import_places --crs``: Gaode (GCJ-02) and Baidu (BD-09) coordinates stored as WGS-84; points outside
their division's loaded boundary are problems on their line."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from registry.crs import gcj02_to_bd09, wgs84_to_gcj02
from registry.models import DivisionBoundary, Place

pytestmark = pytest.mark.django_db
WGS = (117.2272, 31.8206)


def _csv(tmp_path, lon, lat, name="测试坐标路", geometry=""):
    path = tmp_path / "places.csv"
    path.write_text(
        f'name,category,division,longitude,latitude,geometry\n{name},road,340104,{lon},{lat},"{geometry}"\n',
        encoding="utf-8",
    )
    return str(path)


@pytest.mark.parametrize(
    ("crs", "given"),
    [
        ("wgs84", WGS),
        ("cgcs2000", WGS),
        ("gcj02", wgs84_to_gcj02(*WGS)),
        ("bd09", gcj02_to_bd09(*wgs84_to_gcj02(*WGS))),
    ],
)
def test_each_system_is_stored_as_wgs84(tmp_path, crs, given):
    call_command("import_places", _csv(tmp_path, f"{given[0]:.8f}", f"{given[1]:.8f}"), crs=crs, verbosity=0)
    place = Place.objects.get(name="测试坐标路")
    assert float(place.longitude) == pytest.approx(WGS[0], abs=2e-6)
    assert float(place.latitude) == pytest.approx(WGS[1], abs=2e-6)


def test_the_geometry_is_converted_too(tmp_path):
    a, b = wgs84_to_gcj02(117.28, 31.86), wgs84_to_gcj02(117.29, 31.86)
    line = json.dumps({"type": "LineString", "coordinates": [list(a), list(b)]}).replace('"', '""')
    call_command("import_places", _csv(tmp_path, "", "", geometry=line), crs="gcj02", verbosity=0)
    stored = Place.objects.get(name="测试坐标路").geometry["coordinates"]
    assert stored[0] == pytest.approx([117.28, 31.86], abs=1e-7) and stored[1] == pytest.approx(
        [117.29, 31.86], abs=1e-7
    )


def test_a_point_outside_its_division_is_a_problem_on_its_line(tmp_path):
    DivisionBoundary.objects.create(
        division_id="340104",
        west=117.10,
        south=31.78,
        east=117.25,
        north=31.92,
        source="测试边界",
        geometry={
            "type": "Polygon",
            "coordinates": [[[117.10, 31.78], [117.25, 31.78], [117.25, 31.92], [117.10, 31.92], [117.10, 31.78]]],
        },
    )
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_places", _csv(tmp_path, "117.30", "31.75"), verbosity=0)
    assert not Place.objects.filter(name="测试坐标路").exists()
    from registry.importers.places import import_places

    result = import_places(_csv(tmp_path, "117.30", "31.75"), dry_run=True)
    assert [(p.line, p.column) for p in result.problems] == [(2, "longitude")]
    assert "蜀山区" in result.problems[0].message
    call_command("import_places", _csv(tmp_path, "117.20", "31.85"), verbosity=0)
    assert Place.objects.filter(name="测试坐标路").exists()
