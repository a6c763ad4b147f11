"""Division boundaries in the Hefei demo: sourced, loaded through the service, holding the demo's points.

``fixtures/hefei_boundaries.geojson`` is Hefei's and its nine districts' and counties'
outlines from the Vonng/adcode dataset (``data/fences/<code>.json``, GCJ-02, a 2016 snapshot
of Amap's district outlines), every vertex converted to WGS-84 and nothing simplified
(``fixtures/build_hefei_boundaries.py``). These tests keep the file tied to its source, load
it with the demo (twice: the second load writes nothing), and check the spatial rules on
real data: each demo point lies inside its division's outline, or is in ``OUTSIDE`` with the
reason; a point suggests its division (``registry.boundaries.division_at``).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from registry.boundaries import boundary_problem, division_at
from registry.crs import gcj02_to_wgs84
from registry.demo import BOUNDARY_FILE, DEMO_FILE, boundary_source
from registry.geometry import bounds, contains
from registry.models import Division, DivisionBoundary, Place
from registry.services.places import place_create

COMMIT = "294c4ef55947d6ba321268ee9f2175db618ef542"

# The first vertex of each source ring as the dataset has it (GCJ-02), and its vertex count:
# read from data/fences/<code>.json at COMMIT on 2026-12-03.
SOURCE_RINGS = {
    "340100": ((117.425701, 30.973878), 2686),
    "340102": ((117.34622, 31.832606), 531),
    "340103": ((117.276582, 31.853547), 1091),
    "340104": ((117.246825, 31.701093), 1450),
    "340111": ((117.402793, 31.725224), 549),
    "340121": ((117.252086, 31.952732), 1128),
    "340122": ((117.681714, 31.871754), 1041),
    "340123": ((117.22097, 31.75475), 1181),
    "340124": ((117.425701, 30.973878), 546),
    "340181": ((117.609219, 31.281257), 985),
}

# Demo points outside their division's loaded outline: code → (the county whose outline holds
# the point, why). The points stay as their sources give them (never moved to fit); the
# boundary check reports each one, and would refuse it on its next edit until a clerk decides.
OUTSIDE = {
    "340103J00003": (
        "340102",
        "明教寺: a personal GPS reading (unverified) 155 m outside 庐阳区's 2016 Amap outline, inside 瑶海区's; "
        "the outline is a web map's generalisation of the old-city district line",
    ),
    "340123J00002": (
        "340104",
        "合肥新桥国际机场: recorded in 肥西县, where it lay when it opened (高刘镇, the record's note); "
        "Amap's 2016 outlines put the airport 11.9 km outside 肥西县, in 蜀山区 (高刘 is now run by "
        "the 经开区 340177, which has no outline)",
    ),
    "340181W00001": (
        "340124",
        "巢湖: the lake spans five districts and counties; its point is Wikipedia's to 1′ (≈1.5 km), "
        "57 m inside 庐江县's share of the lake surface rather than 巢湖市's",
    ),
}


def features():
    with open(BOUNDARY_FILE, encoding="utf-8") as fh:
        return json.load(fh)["features"]


def located():
    with open(DEMO_FILE, encoding="utf-8") as fh:
        return [r for r in json.load(fh)["places"] if "longitude" in r]


def test_the_file_states_its_source_licence_datum_and_precision():
    with open(BOUNDARY_FILE, encoding="utf-8") as fh:
        source = json.load(fh)["source"]
    assert source["repository"] == "https://github.com/Vonng/adcode" and source["commit"] == COMMIT
    assert "CC BY 4.0" in source["licence"] and re.fullmatch(r"\d{4}-\d\d-\d\d", source["read_on"])
    assert "GCJ-02" in source["datum"] and "converted" in source["datum"]
    assert source["precision"].startswith("approximate")
    text = boundary_source()
    assert len(text) <= 300 and text.startswith("〔边界〕近似")
    for fragment in ("Vonng/adcode", COMMIT, "CC BY 4.0", "GCJ-02", "WGS-84", source["read_on"]):
        assert fragment in text, fragment
    assert BOUNDARY_FILE.stat().st_size < 1024 * 1024


@pytest.mark.parametrize("feature", features(), ids=lambda f: f["properties"]["code"])
def test_each_outline_is_its_source_ring_converted_vertex_by_vertex(feature):
    code = feature["properties"]["code"]
    (gcj_lon, gcj_lat), count = SOURCE_RINGS[code]
    ring = feature["geometry"]["coordinates"][0]
    assert feature["geometry"]["type"] == "Polygon" and len(ring) == count and ring[0] == ring[-1]
    lon, lat = gcj02_to_wgs84(gcj_lon, gcj_lat)
    assert ring[0] == [round(lon, 6), round(lat, 6)]
    assert feature["properties"]["source_url"] == (
        f"https://github.com/Vonng/adcode/blob/{COMMIT}/data/fences/{code}.json"
    )


def test_the_file_holds_hefei_and_each_of_its_districts_and_counties():
    assert sorted(f["properties"]["code"] for f in features()) == sorted(SOURCE_RINGS)


@pytest.mark.django_db
def test_load_demo_saves_every_boundary_with_its_source_and_twice_writes_nothing():
    call_command("load_demo", verbosity=0)
    text = boundary_source()
    for feature in features():
        code = feature["properties"]["code"]
        boundary = DivisionBoundary.objects.get(division_id=code)
        assert boundary.division.name == feature["properties"]["name"]
        assert boundary.source == text and boundary.geometry == feature["geometry"]
        assert (boundary.west, boundary.south, boundary.east, boundary.north) == bounds(feature["geometry"])
    history = DivisionBoundary.history.count()
    assert history == len(SOURCE_RINGS)
    call_command("load_demo", verbosity=0)
    assert DivisionBoundary.objects.count() == len(SOURCE_RINGS) and DivisionBoundary.history.count() == history


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo's boundaries imported once for the module, in a transaction rolled back at the end."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("import_boundaries", str(BOUNDARY_FILE), source=boundary_source(), verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def boundaries(loaded, db):
    assert DivisionBoundary.objects.count() == len(SOURCE_RINGS)


@pytest.mark.parametrize("record", located(), ids=lambda r: r["name"])
def test_each_demo_point_is_inside_its_division_or_listed_with_its_reason(boundaries, record):
    division = Division.objects.get(code=record["division"])
    lon, lat = Decimal(str(record["longitude"])), Decimal(str(record["latitude"]))
    problem = boundary_problem(division, lon, lat)
    if record["code"] not in OUTSIDE:
        assert problem == "", problem
        return
    found, reason = OUTSIDE[record["code"]]
    assert record["category"] != "town" and reason.startswith(record["name"] + ": ")
    holder = Division.objects.get(code=found)
    assert division.name in problem and holder.name in problem, problem
    assert division_at(lon, lat) == holder


@pytest.mark.parametrize("record", located(), ids=lambda r: r["name"])
def test_each_demo_point_lies_inside_hefei(boundaries, record):
    assert contains(
        DivisionBoundary.objects.get(division_id="340100").geometry, record["longitude"], record["latitude"]
    )


def test_the_exception_list_names_demo_points():
    codes = {r["code"] for r in located()}
    assert set(OUTSIDE) <= codes


@pytest.mark.parametrize("record", [r for r in located() if r["code"] not in OUTSIDE], ids=lambda r: r["name"])
def test_a_demo_point_suggests_its_division(boundaries, record):
    assert division_at(record["longitude"], record["latitude"]).code == record["division"]


@pytest.mark.parametrize(
    ("point", "code"),
    [
        ((117.2272, 31.8206), "340104"),  # inside 蜀山区's outline (and the city's: the county wins)
        ((117.35, 31.6), "340123"),  # on the lake, in 肥西县's share of its surface
        ((118.7969, 32.0603), None),  # 南京, outside Hefei
        ((116.5, 31.7), None),  # west of 肥西县, outside Hefei
    ],
)
def test_a_point_off_the_demo_suggests_the_division_holding_it_or_none(boundaries, point, code):
    found = division_at(*point)
    assert (found.code if found else None) == code


def test_a_new_place_outside_its_county_is_refused_naming_where_it_lies(boundaries):
    sanhe = next(r for r in located() if r["name"] == "三河镇")
    shushan = Division.objects.get(code="340104")
    with pytest.raises(ValidationError) as caught:
        place_create(
            name="测试边界路",
            category="road",
            division=shushan,
            longitude=sanhe["longitude"],
            latitude=sanhe["latitude"],
        )
    message = " ".join(caught.value.message_dict["longitude"])
    assert "蜀山区" in message and "肥西县" in message


def test_a_place_outside_a_later_boundary_still_takes_edits_that_keep_its_point(boundaries):
    """A boundary loaded after a point was set (the three ``OUTSIDE`` demo places) does not
    lock the place: an edit that keeps the point and the division saves; moving the point,
    or giving another division, is judged against the boundary."""
    from registry.services.places import place_update

    sanhe = next(r for r in located() if r["name"] == "三河镇")
    point = {"longitude": Decimal(str(sanhe["longitude"])), "latitude": Decimal(str(sanhe["latitude"]))}
    place = place_create(name="测试边界路", category="road", division=Division.objects.get(code="340123"), **point)
    # As recorded before 蜀山区's outline was known: the point in 肥西县's land, the division 蜀山区.
    Place.objects.filter(pk=place.pk).update(division_id="340104")
    edited = place_update(place=Place.objects.get(pk=place.pk), reason="补充沿革", history_text="边界核对")
    assert edited.history_text == "边界核对" and edited.division_id == "340104"
    moved = {**point, "longitude": point["longitude"] + Decimal("0.0001")}
    with pytest.raises(ValidationError) as caught:
        place_update(place=Place.objects.get(pk=place.pk), reason="移动", **moved)
    assert "肥西县" in " ".join(caught.value.message_dict["longitude"])
    with pytest.raises(ValidationError):
        place_update(place=Place.objects.get(pk=place.pk), reason="改区", division=Division.objects.get(code="340111"))
