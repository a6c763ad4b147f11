"""Geometry validation (issue #14 item 1): a line or an area that is not well formed is refused
with a Chinese message naming the line or ring and what to do, wherever a geometry is written
(the place services and the admin's form, the boundary import); a well-formed one is kept. Each rule its own row.

Coordinates are test shapes inside 蜀山区's square of tests/test_boundaries.py, not real places.
"""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from registry.geometry import ring_problem, shape_problem
from registry.models import Division, DivisionBoundary, Place
from registry.models.places import validate_geometry
from registry.services.places import place_create
from tests.admin.forms import form_data

pytestmark = pytest.mark.django_db

A, B, C, D = [117.20, 31.80], [117.22, 31.80], [117.22, 31.82], [117.20, 31.82]  # a square, anticlockwise
SQUARE = [A, B, C, D, A]
BOW_TIE = [A, C, B, D, A]  # A→C and B→D cross at its middle
SPIKE = [A, B, [117.24, 31.80], B, C, D, A]  # runs east past B and back


def polygon(*rings):
    return {"type": "Polygon", "coordinates": [list(r) for r in rings]}


def multi(*polygons):
    return {"type": "MultiPolygon", "coordinates": [[list(r) for r in rings] for rings in polygons]}


HOLE = [[117.205, 31.805], [117.205, 31.81], [117.21, 31.81], [117.21, 31.805], [117.205, 31.805]]
OTHER = [[117.23, 31.80], [117.24, 31.80], [117.24, 31.81], [117.23, 31.80]]  # a triangle

# Each rule: a geometry that breaks it, and the whole Chinese message it is refused with.
BROKEN = {
    "ring not closed": (
        polygon([A, B, C, D]),
        "几何的外环未闭合：最后一个坐标须与第一个坐标 [117.2, 31.8] 相同；请在末尾补上 [117.2, 31.8]。",
    ),
    "ring of three positions": (
        polygon([A, B, A]),
        "几何的外环只有 2 个不同的顶点：一个环至少需要三个顶点，且最后一个坐标须与第一个相同"
        "（共 4 个坐标或更多）；请补上缺少的顶点。",
    ),
    "ring of four positions, two repeated": (
        polygon([A, B, B, A]),
        "几何的外环只有 2 个不同的顶点：一个环至少需要三个顶点，且最后一个坐标须与第一个相同"
        "（共 4 个坐标或更多）；请补上缺少的顶点。",
    ),
    "bow-tie": (
        polygon(BOW_TIE),
        "几何的外环在 [117.21, 31.81] 处自相交或自接触（呈蝴蝶结形或有尖刺）：面的边界不得与自身相交或接触；"
        "请调整顶点顺序，或将该面拆成两个多边形（MultiPolygon）。",
    ),
    "spike": (
        polygon(SPIKE),
        "几何的外环在 [117.22, 31.8] 处自相交或自接触（呈蝴蝶结形或有尖刺）：面的边界不得与自身相交或接触；"
        "请调整顶点顺序，或将该面拆成两个多边形（MultiPolygon）。",
    ),
    "hole not closed": (
        polygon(SQUARE, HOLE[:-1]),
        "几何的第 1 个内环（洞）未闭合：最后一个坐标须与第一个坐标 [117.205, 31.805] 相同；"
        "请在末尾补上 [117.205, 31.805]。",
    ),
    "second polygon a bow-tie": (
        multi([OTHER], [BOW_TIE]),
        "几何的第 2 个多边形的外环在 [117.21, 31.81] 处自相交或自接触（呈蝴蝶结形或有尖刺）：面的边界不得与自身相交或接触；"
        "请调整顶点顺序，或将该面拆成两个多边形（MultiPolygon）。",
    ),
    "line of one position": (
        {"type": "LineString", "coordinates": [A]},
        "几何的线只有一个坐标：一条线至少需要两个不同的坐标；请补上另一端，或改为只填写经度和纬度表示一个点。",
    ),
    "line of one position twice": (
        {"type": "LineString", "coordinates": [A, A]},
        "几何的线只有一个坐标：一条线至少需要两个不同的坐标；请补上另一端，或改为只填写经度和纬度表示一个点。",
    ),
    "second line of one position": (
        {"type": "MultiLineString", "coordinates": [[A, B], [C]]},
        "几何的第 2 条线只有一个坐标：一条线至少需要两个不同的坐标；请补上另一端，或改为只填写经度和纬度表示一个点。",
    ),
}

WELL_FORMED = {
    "square": polygon(SQUARE),
    "triangle": polygon(OTHER),
    "square with a hole": polygon(SQUARE, HOLE),
    "a corner on a straight edge": polygon([A, [117.21, 31.80], B, C, D, A]),
    "a repeated position": polygon([A, A, B, C, D, A]),
    "two polygons": multi([SQUARE], [OTHER]),
    "line": {"type": "LineString", "coordinates": [A, B, C]},
    "line crossing itself": {"type": "LineString", "coordinates": BOW_TIE},  # a road may loop
}


def refusal(geometry) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_geometry(geometry)
    assert caught.value.code == "invalid_geometry"
    return caught.value.messages[0]


@pytest.mark.parametrize(("geometry", "message"), BROKEN.values(), ids=BROKEN.keys())
def test_each_broken_rule_is_refused_with_its_chinese_message(geometry, message):
    with translation.override("zh-hans"):
        assert refusal(geometry) == message


@pytest.mark.parametrize(("geometry", "message"), BROKEN.values(), ids=BROKEN.keys())
def test_the_place_service_refuses_it_on_the_geometry_and_saves_nothing(geometry, message):
    category = "road" if "Line" in geometry["type"] else "residential"
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        place_create(
            name="测试几何苑", category=category, division=Division.objects.get(code="340104"), geometry=geometry
        )
    assert caught.value.message_dict["geometry"] == [message]
    assert not Place.objects.filter(name="测试几何苑").exists()


@pytest.mark.parametrize("geometry", WELL_FORMED.values(), ids=WELL_FORMED.keys())
def test_a_well_formed_geometry_is_kept(geometry):
    assert shape_problem(geometry) == ""
    category = "road" if "Line" in geometry["type"] else "residential"
    place = place_create(
        name="测试几何苑", category=category, division=Division.objects.get(code="340104"), geometry=geometry
    )
    assert Place.objects.get(pk=place.pk).geometry == geometry


def test_the_messages_say_the_same_in_english():
    with translation.override("en"):
        assert refusal(polygon(BOW_TIE)) == (
            "In the geometry, the outer ring crosses or touches itself at [117.21, 31.81] (a bow-tie or a spike): "
            "an area's outline must not meet itself; reorder the corners, or split the area into two polygons "
            "(MultiPolygon)."
        )
        assert "In the geometry, polygon 2, hole 1 is not closed" in refusal(multi([OTHER], [SQUARE, HOLE[:-1]]))


@pytest.mark.parametrize(
    ("ring", "problem"),
    [
        (SQUARE, None),
        ([A, B, C, D], ("not_closed", (117.20, 31.80))),
        ([A, B], ("too_few", 2)),
        ([A, B, A], ("too_few", 2)),
        (BOW_TIE, ("crosses_itself", pytest.approx((117.21, 31.81)))),
        ([A, B, C, [117.22, 31.80], D, A], ("crosses_itself", (117.22, 31.80))),  # touches its own corner
        ([A, B, [117.24, 31.80], A], ("crosses_itself", (117.20, 31.80))),  # all on one line, no area
        ([B, A, D, C, B], None),  # clockwise is still a ring
    ],
)
def test_ring_problem(ring, problem):
    assert ring_problem(ring) == problem


def test_a_bow_tie_boundary_is_refused_by_number_and_nothing_is_saved(tmp_path):
    from registry.services.boundaries import boundary_import

    features = [
        {"type": "Feature", "properties": {"code": "340104"}, "geometry": polygon(SQUARE)},
        {"type": "Feature", "properties": {"code": "340111"}, "geometry": polygon(BOW_TIE)},
    ]
    path = tmp_path / "boundaries.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    with translation.override("zh-hans"):
        result = boundary_import(path, source="测试")
    assert result.problems[0].startswith("Feature 2") or result.problems[0].startswith("第 2")
    assert "外环在 [117.21, 31.81] 处自相交" in result.problems[0]
    assert not DivisionBoundary.objects.exists()


def test_the_shipped_boundaries_are_well_formed():
    from django.conf import settings

    path = settings.BASE_DIR / "fixtures" / "hefei_boundaries.geojson"
    for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
        assert shape_problem(feature["geometry"]) == "", feature["properties"]


@pytest.mark.parametrize("case", ["bow-tie", "ring not closed", "line of one position"])
def test_the_admin_form_shows_the_message_on_the_geometry_and_keeps_the_place(admin_client, case):
    geometry, message = BROKEN[case]
    category = "road" if "Line" in geometry["type"] else "residential"
    place = place_create(name="测试几何苑", category=category, division=Division.objects.get(code="340104"))
    url = reverse("admin:registry_place_change", args=[place.pk])
    data = form_data(admin_client.get(url).content.decode(), "place_form")
    data["geometry"] = json.dumps(geometry)
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["geometry"] == [message]
    assert Place.objects.get(pk=place.pk).geometry is None
