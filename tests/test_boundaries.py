"""Division boundaries: imported all or none, a point's division found, a place outside its division refused.

The boundaries here are test squares around real division codes (the demo's real outlines,
fixtures/hefei_boundaries.geojson, are tested in tests/test_demo_boundaries.py): 蜀山区 117.10–117.25 E, 31.78–31.92 N, with a hole, and
包河区 117.25–117.40 E, 31.70–31.85 N; a township of 蜀山区 inside it.
"""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from registry.boundaries import boundary_problem, division_at
from registry.geometry import contains
from registry.models import Division, DivisionBoundary, Place
from registry.services.places import place_create

pytestmark = pytest.mark.django_db


def square(west, south, east, north, hole=None):
    rings = [[[west, south], [east, south], [east, north], [west, north], [west, south]]]
    if hole:
        w, s, e, n = hole
        rings.append([[w, s], [w, n], [e, n], [e, s], [w, s]])
    return {"type": "Polygon", "coordinates": rings}


SHUSHAN = square(117.10, 31.78, 117.25, 31.92, hole=(117.15, 31.80, 117.17, 31.82))
BAOHE = square(117.25, 31.70, 117.40, 31.85)


def write(tmp_path, features) -> str:
    path = tmp_path / "boundaries.geojson"
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False), encoding="utf-8"
    )
    return str(path)


def feature(properties, geometry):
    return {"type": "Feature", "properties": properties, "geometry": geometry}


@pytest.fixture
def loaded(tmp_path):
    township = Division.objects.filter(parent_id="340104", level="township").first()
    features = [feature({"code": "340104"}, SHUSHAN), feature({"adcode": 340111}, BAOHE)]
    if township is not None:
        features.append(feature({"code": township.code}, square(117.20, 31.85, 117.24, 31.90)))
    call_command("import_boundaries", write(tmp_path, features), source="测试边界（正方形）", verbosity=0)
    return township


@pytest.mark.parametrize(
    ("point", "inside"),
    [
        ((117.20, 31.85), True),
        ((117.10, 31.85), True),  # inside; on the west edge
        ((117.16, 31.81), False),
        ((117.15, 31.81), True),  # in the hole; on the hole's edge
        ((117.30, 31.85), False),
        ((117.05, 31.85), False),
    ],
)
def test_contains(point, inside):
    assert contains(SHUSHAN, *point) is inside


def test_a_point_suggests_the_most_specific_division(loaded):
    assert division_at(117.30, 31.75).code == "340111"
    assert division_at(117.12, 31.90).code == "340104"
    if loaded is not None:
        assert division_at(117.22, 31.87) == loaded
    assert division_at(117.16, 31.81) is None and division_at(118.5, 33.0) is None


def test_a_place_outside_its_division_is_refused_with_where_it_lies(loaded):
    shushan = Division.objects.get(code="340104")
    with pytest.raises(ValidationError) as caught:
        place_create(name="测试边界路", category="road", division=shushan, longitude=117.30, latitude=31.75)
    message = " ".join(caught.value.message_dict["longitude"])
    assert "蜀山区" in message and "包河区" in message
    assert not Place.objects.filter(name="测试边界路").exists()
    place_create(name="测试边界路", category="road", division=shushan, longitude=117.20, latitude=31.86)


def test_a_township_without_a_boundary_is_checked_against_its_district(loaded):
    township = Division.objects.filter(parent_id="340111", level="township").first()
    if township is None:
        pytest.skip("no township of 包河区 in the reference data")
    assert boundary_problem(township, 117.30, 31.75) == ""
    assert "包河区" in boundary_problem(township, 117.20, 31.86)


def test_without_boundaries_nothing_is_checked(db):
    assert boundary_problem(Division.objects.get(code="340104"), 117.90, 31.20) == ""


@pytest.mark.parametrize(
    ("features", "fragment"),
    [
        ([feature({"code": "999999"}, BAOHE)], "no division with code “999999”"),
        ([feature({}, BAOHE)], "no division with code “”"),
        (
            [feature({"code": "340111"}, {"type": "LineString", "coordinates": [[117.2, 31.8], [117.3, 31.9]]})],
            "Polygon or MultiPolygon",
        ),
        ([feature({"code": "340111"}, square(10.0, 31.7, 10.5, 31.8))], "outside China"),
        (["not a feature"], "not a GeoJSON feature"),
    ],
)
def test_a_bad_feature_is_reported_by_number_and_nothing_is_saved(tmp_path, features, fragment):
    good = feature({"code": "340104"}, SHUSHAN)
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("import_boundaries", write(tmp_path, [good, *features]), source="测试", verbosity=0)
    assert not DivisionBoundary.objects.exists()
    from registry.services.boundaries import boundary_import

    result = boundary_import(write(tmp_path, [good, *features]), source="测试")
    assert result.problems and result.problems[0].startswith("Feature 2") and fragment in result.problems[0]


def test_a_reimport_replaces_the_boundary_and_keeps_its_history(loaded, tmp_path):
    call_command(
        "import_boundaries",
        write(tmp_path, [feature({"code": "340104"}, square(117.0, 31.7, 117.3, 32.0))]),
        source="测试边界（第二版）",
        verbosity=0,
    )
    boundary = DivisionBoundary.objects.get(division_id="340104")
    assert boundary.source == "测试边界（第二版）" and boundary.west == 117.0
    assert boundary.history.count() == 2


def test_a_reimport_of_the_same_boundary_and_source_writes_nothing(loaded, tmp_path):
    from registry.services.boundaries import boundary_import

    history = DivisionBoundary.history.count()
    same = boundary_import(write(tmp_path, [feature({"code": "340104"}, SHUSHAN)]), source="测试边界（正方形）")
    assert (same.saved, same.unchanged) == (0, 1) and DivisionBoundary.history.count() == history
    other = boundary_import(write(tmp_path, [feature({"code": "340104"}, SHUSHAN)]), source="测试边界（另一来源）")
    assert (other.saved, other.unchanged) == (1, 0) and DivisionBoundary.history.count() == history + 1
