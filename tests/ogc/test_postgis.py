"""PostGIS on PostgreSQL (issue #14, ``registry.postgis``): the feature column follows every
write, a box answered from it finds exactly what the box index and the exact test in Python
find, and a database without PostGIS (or without the column) still answers from the box index.

PostgreSQL only: SQLite has no PostGIS (its R*Tree is tested in test_spatial_index.py). CI's
PostgreSQL has PostGIS (``.ci/run`` installs Debian's ``postgresql-15-postgis-3``)."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from django.db import connection

from registry import postgis
from registry.models import Place
from registry.services.places import place_update
from registry.spatial import Box, in_box
from tests.ogc.test_geometry_box import PLACES

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostGIS is PostgreSQL's"),
]

# Boxes over the test geometries: the one test_geometry_box.py uses, one at a point's edge,
# one over nothing, one over a hole's rim, one degenerate (a point), one over all of them.
BOXES = [
    (117.30, 31.80, 117.32, 31.82),
    (117.31, 31.805, 117.311, 31.806),
    (117.50, 32.00, 117.60, 32.10),
    (117.285, 31.785, 117.295, 31.795),
    (117.31, 31.805, 117.31, 31.805),
    (117.0, 31.0, 118.0, 32.0),
]


@pytest.fixture(autouse=True)
def _postgis_here():
    postgis.forget()
    if not postgis.available(connection.alias):
        missing = "this PostgreSQL has no PostGIS feature column: install postgresql-15-postgis-3 and migrate"
        if os.environ.get("REGISTRY_CI_POSTGIS"):  # .ci/run installs it: its absence there fails
            pytest.fail(missing)
        pytest.skip(missing)
    yield
    postgis.forget()


@pytest.fixture
def placed(make_place):
    return [
        make_place(name, category=category, longitude=point[0], latitude=point[1], geometry=geometry)
        for name, category, point, geometry, _meets in PLACES
    ]


def _feature(place) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_AsText(feature) FROM registry_place WHERE id = %s", [place.pk])
        return cursor.fetchone()[0]


def _codes(box) -> set[str]:
    return set(in_box(Place.objects.all(), Box(*box)).values_list("code", flat=True))


def _without_postgis(box, monkeypatch) -> set[str]:
    """The same query with PostGIS out of the way (the box index and the test in Python)."""
    with monkeypatch.context() as patch:
        patch.setattr(postgis, "available", lambda alias: False)
        return _codes(box)


@pytest.mark.parametrize("box", BOXES, ids=[",".join(map(str, b)) for b in BOXES])
def test_postgis_finds_what_the_box_index_and_the_exact_test_find(placed, box, monkeypatch):
    assert _codes(box) == _without_postgis(box, monkeypatch)


def test_the_feature_is_the_geometry_else_the_point_after_every_write(make_place):
    place = make_place("测试要素路", longitude=117.3, latitude=31.8)
    assert _feature(place) == "POINT(117.3 31.8)"
    line = {"type": "LineString", "coordinates": [[117.3, 31.8], [117.31, 31.81]]}
    place_update(place=place, geometry=line)
    assert _feature(place) == "LINESTRING(117.3 31.8,117.31 31.81)"
    Place.objects.filter(pk=place.pk).update(geometry=None)  # a raw update, past the services
    assert _feature(place) == "POINT(117.3 31.8)"
    Place.objects.filter(pk=place.pk).update(longitude=None, latitude=None)
    assert _feature(place) is None


def test_a_bulk_import_fills_the_feature(db, tmp_path):
    path = tmp_path / "places.csv"
    path.write_text(
        "code,name,category,division,longitude,latitude\n340104R90002,测试导入要素路,road,340104,117.28,31.86\n",
        encoding="utf-8",
    )
    call_command("import_places", str(path), verbosity=0)
    assert _feature(Place.objects.get(code="340104R90002")) == "POINT(117.28 31.86)"


def test_ensure_adds_the_column_back_and_fills_it(make_place):
    place = make_place("测试补列路", longitude=117.3, latitude=31.8)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending before the ALTER
        cursor.execute("ALTER TABLE registry_place DROP COLUMN feature CASCADE")
    postgis.forget()
    assert not postgis.available(connection.alias)
    assert _codes((117.29, 31.79, 117.31, 31.81)) == {place.code}  # the box index answers meanwhile
    assert postgis.ensure(connection) is True  # what the next migrate does
    assert postgis.available(connection.alias)
    assert _feature(place) == "POINT(117.3 31.8)"
    assert postgis.ensure(connection) is True  # idempotent
    assert _codes((117.29, 31.79, 117.31, 31.81)) == {place.code}


def test_without_postgis_on_the_server_nothing_is_created(monkeypatch):
    class NoPostgis:
        vendor = "sqlite"

    assert postgis.ensure(NoPostgis()) is False
    assert postgis.available("default") is True  # the real database still has it


def test_a_later_migration_may_alter_the_columns_the_feature_is_made_of(make_place):
    """A trigger ``UPDATE OF longitude, …`` would make PostgreSQL refuse this (a column used in
    a trigger definition); the trigger looks at the columns in its body instead."""
    place = make_place("测试改型路", longitude=117.3, latitude=31.8)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE registry_place ALTER COLUMN longitude TYPE numeric(10, 6)")
    Place.objects.filter(pk=place.pk).update(longitude=117.31)
    assert _feature(place) == "POINT(117.31 31.8)"
