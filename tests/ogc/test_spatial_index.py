"""The spatial index (issue #14, ``registry/spatial_index.py``): ``bbox`` and ``near`` are
answered from an R*Tree on SQLite and a GiST on PostgreSQL, and the index follows every
write path: the services, ``import_places`` (new rows and ``--update``), a bulk or raw
update. The suite runs on both databases."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from registry import postgis, spatial_index
from registry.apps import _repair_spatial_index
from registry.models import Place
from registry.services.places import place_retire, place_update
from registry.spatial import Box, in_box, near

pytestmark = pytest.mark.django_db

OLD = (117.2800, 31.8600)
NEW = (117.4000, 31.7000)  # about 19 km south-east: never in a box or radius around OLD
LINE_AT_NEW = {"type": "LineString", "coordinates": [[117.395, 31.70], [117.405, 31.70]]}


def _box_around(lon: float, lat: float, half: float = 0.002) -> str:
    return f"{lon - half},{lat - half},{lon + half},{lat + half}"


def _found(code: str, lon: float, lat: float) -> dict[str, bool]:
    """Whether the API's bbox and near (200 m), with and without the retired, find the place."""
    client = APIClient()
    answers = {}
    for label, params in (
        ("bbox", {"bbox": _box_around(lon, lat)}),
        ("near", {"near": f"{lon},{lat}", "radius": "200"}),
    ):
        response = client.get("/api/v1/places/", params)
        assert response.status_code == 200, response.content[:300]
        answers[label] = code in {row["code"] for row in response.json()["results"]}
    return answers


def _moves_by_service(place):
    place_update(place=place, longitude=NEW[0], latitude=NEW[1])


def _moves_its_line_by_service(place):
    place_update(place=place, longitude=NEW[0], latitude=NEW[1], geometry=LINE_AT_NEW)


def _moves_by_bulk_update(place):
    place.longitude, place.latitude = NEW
    Place.objects.bulk_update([place], ["longitude", "latitude"])


def _moves_by_raw_update(place):
    Place.objects.filter(pk=place.pk).update(longitude=NEW[0], latitude=NEW[1])


@pytest.mark.parametrize(
    "move", [_moves_by_service, _moves_its_line_by_service, _moves_by_bulk_update, _moves_by_raw_update]
)
def test_a_moved_place_is_found_at_its_new_location_only(make_place, move):
    place = make_place("测试迁路", longitude=OLD[0], latitude=OLD[1])
    assert _found(place.code, *OLD) == {"bbox": True, "near": True}
    move(place)
    assert _found(place.code, *OLD) == {"bbox": False, "near": False}
    assert _found(place.code, *NEW) == {"bbox": True, "near": True}


def test_a_line_moved_away_from_its_point_is_found_by_its_line_and_near_by_its_point(make_place):
    place = make_place("测试线路", longitude=OLD[0], latitude=OLD[1])
    place_update(place=place, geometry=LINE_AT_NEW)
    # bbox meets the line (around NEW), near measures from the point (still at OLD)
    assert _found(place.code, *NEW) == {"bbox": True, "near": False}
    assert _found(place.code, *OLD) == {"bbox": False, "near": True}
    place_update(place=place, geometry=None)  # the line removed: the point again for both
    assert _found(place.code, *NEW) == {"bbox": False, "near": False}
    assert _found(place.code, *OLD) == {"bbox": True, "near": True}


def test_a_place_located_later_or_unlocated_follows(make_place):
    place = make_place("测试后定路")
    assert _found(place.code, *OLD) == {"bbox": False, "near": False}
    place_update(place=place, longitude=OLD[0], latitude=OLD[1])
    assert _found(place.code, *OLD) == {"bbox": True, "near": True}
    place_update(place=place, longitude=None, latitude=None)
    assert _found(place.code, *OLD) == {"bbox": False, "near": False}


def test_a_retired_place_stays_where_it_was(make_place):
    place = make_place("测试销路", longitude=OLD[0], latitude=OLD[1])
    place_retire(place=place, effective="2026-01-01")
    box = Box(OLD[0] - 0.001, OLD[1] - 0.001, OLD[0] + 0.001, OLD[1] + 0.001)
    assert list(in_box(Place.objects.filter(status="retired"), box)) == [place]
    assert list(in_box(Place.objects.filter(status="active"), box)) == []
    assert [p.code for p in near(Place.objects.all(), *OLD, 100)] == [place.code]


def test_import_places_new_rows_and_updates_are_indexed(db, tmp_path):
    def feature(geometry, **properties):
        return {"type": "Feature", "geometry": geometry, "properties": properties}

    path = tmp_path / "places.geojson"
    base = {"code": "340104R90001", "name": "测试导入路", "category": "road", "division": "340104"}
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": [feature({"type": "Point", "coordinates": OLD}, **base)]}),
        encoding="utf-8",
    )
    call_command("import_places", str(path), verbosity=0)
    assert _found("340104R90001", *OLD) == {"bbox": True, "near": True}
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": [feature(LINE_AT_NEW, **base)]}), encoding="utf-8"
    )
    call_command("import_places", str(path), "--update", verbosity=0)
    place = Place.objects.get(code="340104R90001")
    assert place.geometry == LINE_AT_NEW
    assert _found("340104R90001", *NEW)["bbox"] is True


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())


@pytest.mark.parametrize("query", ["bbox", "near"])
def test_the_queries_read_the_spatial_index(make_place, query):
    make_place("测试索引路", longitude=OLD[0], latitude=OLD[1])
    places = Place.objects.all()
    if query == "bbox":
        queryset = in_box(places, Box(117.27, 31.85, 117.29, 31.87))
    else:
        queryset = near(places, *OLD, 1000)
    plan = _plan(queryset)
    if connection.vendor == "sqlite":
        expected = spatial_index.RTREE
    elif query == "bbox" and postgis.available(connection.alias):
        expected = postgis.INDEX  # a box is answered from the PostGIS column where there is one
    else:
        expected = spatial_index.GIST
    assert expected in plan, plan


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="the R*Tree and its triggers are SQLite's")
def test_triggers_a_table_rebuild_dropped_are_put_back_after_migrate(make_place):
    place = make_place("测试重建路", longitude=OLD[0], latitude=OLD[1])
    with connection.cursor() as cursor:
        for name in spatial_index.TRIGGERS:  # what Django's table rebuild on SQLite leaves
            cursor.execute(f"DROP TRIGGER {name}")
    Place.objects.filter(pk=place.pk).update(longitude=NEW[0], latitude=NEW[1])  # not seen by the tree
    assert _found(place.code, *NEW)["bbox"] is False
    _repair_spatial_index(sender=None, using="default")  # post_migrate
    assert _found(place.code, *NEW) == {"bbox": True, "near": True}
    Place.objects.filter(pk=place.pk).update(longitude=OLD[0], latitude=OLD[1])  # the triggers are back
    assert _found(place.code, *OLD) == {"bbox": True, "near": True}
    assert spatial_index.ensure(connection) is False  # nothing left to repair


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="the R*Tree is SQLite's")
def test_the_tree_holds_one_rectangle_per_located_place_covering_point_and_line(make_place):
    make_place("测试无坐标二路")
    point = make_place("测试点二路", longitude=OLD[0], latitude=OLD[1])
    line = make_place("测试线二路", longitude=OLD[0], latitude=OLD[1], geometry=LINE_AT_NEW)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, west, east, south, north FROM {spatial_index.RTREE} ORDER BY id")
        rows = {row[0]: row[1:] for row in cursor.fetchall()}
    assert set(rows) == {point.pk, line.pk}
    west, east, south, north = rows[line.pk]
    assert west <= OLD[0] and east >= 117.405 and south <= 31.70 and north >= OLD[1]
    west, east, south, north = rows[point.pk]
    assert west <= OLD[0] <= east and south <= OLD[1] <= north and east - west < 1e-4
