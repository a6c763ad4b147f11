"""``bbox`` against lines and areas (issue #14): a place meets the box by its geometry where
it has one, exactly, not by its point or its envelope; the place list and the OGC items
agree, on SQLite and PostgreSQL alike (the suite runs on both)."""

from __future__ import annotations

import pytest
from django.test import Client

from registry.geometry import envelope, intersects_box
from registry.models import Place

pytestmark = pytest.mark.django_db

BOX = (117.30, 31.80, 117.32, 31.82)
BBOX = ",".join(map(str, BOX))


def _ring(west, south, east, north):
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


# name, category, representative point, geometry, meets the box
PLACES = [
    (
        "测试穿路",
        "road",
        (117.28, 31.81),
        {"type": "LineString", "coordinates": [[117.28, 31.81], [117.34, 31.81]]},
        True,
    ),  # the line crosses the box, its point lies west of it
    (
        "测试绕路",
        "road",
        (117.28, 31.79),
        {"type": "LineString", "coordinates": [[117.28, 31.79], [117.34, 31.79], [117.34, 31.83]]},
        False,
    ),  # its envelope covers the box, the line passes south and east of it
    (
        "测试角路",
        "road",
        (117.33, 31.84),
        {"type": "LineString", "coordinates": [[117.31, 31.84], [117.34, 31.81]]},
        False,
    ),  # a diagonal past the box's north-east corner
    (
        "测试边路",
        "road",
        (117.28, 31.82),
        {
            "type": "MultiLineString",
            "coordinates": [[[117.25, 31.85], [117.26, 31.85]], [[117.28, 31.82], [117.31, 31.82]]],
        },
        True,
    ),  # the second part runs along the box's north edge: edges included
    (
        "测试内路",
        "road",
        (117.31, 31.81),
        {"type": "LineString", "coordinates": [[117.305, 31.81], [117.315, 31.81]]},
        True,
    ),  # wholly inside
    ("测试点路", "road", (117.31, 31.805), None, True),  # no geometry: its point
    ("测试外路", "road", (117.35, 31.805), None, False),
    (
        "测试大苑",
        "residential",
        (117.25, 31.75),
        {"type": "Polygon", "coordinates": [_ring(117.2, 31.7, 117.4, 31.9)]},
        True,
    ),  # the area holds the whole box
    (
        "测试环苑",
        "residential",
        (117.25, 31.75),
        {"type": "Polygon", "coordinates": [_ring(117.2, 31.7, 117.4, 31.9), _ring(117.29, 31.79, 117.33, 31.83)]},
        False,
    ),  # the box lies in its hole
    (
        "测试邻苑",
        "residential",
        (117.33, 31.83),
        {"type": "Polygon", "coordinates": [_ring(117.319, 31.819, 117.33, 31.83)]},
        True,
    ),  # overlaps a corner
]


@pytest.fixture
def placed(make_place):
    return {
        name: make_place(name, category=category, longitude=point[0], latitude=point[1], geometry=geometry)
        for name, category, point, geometry, _meets in PLACES
    }


def _codes(response) -> set[str]:
    assert response.status_code == 200, response.content[:300]
    data = response.json()
    return {row.get("code") or row.get("id") for row in data.get("results") or data.get("features")}


def test_the_place_list_keeps_the_places_whose_feature_meets_the_box(placed):
    expected = {placed[name].code for name, *_rest, meets in PLACES if meets}
    assert _codes(Client().get("/api/v1/places/", {"bbox": BBOX, "page_size": 200})) == expected


@pytest.mark.parametrize("category", ["road", "residential"])
def test_the_ogc_items_agree_with_the_place_list(placed, category):
    listed = _codes(Client().get("/api/v1/places/", {"bbox": BBOX, "category": category, "page_size": 200}))
    items = _codes(Client().get(f"/ogc/collections/{category}/items", {"bbox": BBOX, "limit": 1000}))
    assert items == listed
    assert items == {placed[name].code for name, cat, *_rest, meets in PLACES if meets and cat == category}


def test_the_envelope_is_kept_with_the_geometry(placed):
    road = placed["测试穿路"]
    assert (road.geometry_west, road.geometry_south, road.geometry_east, road.geometry_north) == (
        117.28,
        31.81,
        117.34,
        31.81,
    )
    road.geometry = None
    road.save()
    stored = Place.objects.get(pk=road.pk)
    assert stored.geometry_west is None and stored.geometry_north is None


DRAWN = [p for p in PLACES if p[3] is not None]


@pytest.mark.parametrize("name, category, point, geometry, meets", DRAWN, ids=[p[0] for p in DRAWN])
def test_exact_intersection_in_python(name, category, point, geometry, meets):
    assert intersects_box(geometry, BOX) is meets
    west, south, east, north = envelope(geometry)
    assert west <= BOX[2] and east >= BOX[0] and south <= BOX[3] and north >= BOX[1]  # every one passes the prefilter


def test_a_collections_extent_holds_its_areas_not_only_their_points(placed):
    data = Client().get("/ogc/collections/residential", {"f": "json"}).json()
    assert data["extent"]["spatial"]["bbox"][0] == pytest.approx([117.2, 31.7, 117.4, 31.9])
