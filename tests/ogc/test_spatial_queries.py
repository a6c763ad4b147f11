"""``bbox`` and ``near`` on the place list: the same answers on SQLite and PostgreSQL (the suite runs on both).

Places are put at known points around 合肥 (distances worked out by hand from the
equirectangular rule ``registry.spatial`` documents); each query's expected codes are
written out, so a wrong edge, order or unit fails.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

# name, longitude, latitude
POINTS = [
    ("测试甲路", 117.2800, 31.8600),
    ("测试乙路", 117.2900, 31.8600),  # ≈ 946 m east of 甲
    ("测试丙路", 117.2800, 31.8700),  # ≈ 1,106 m north of 甲
    ("测试丁路", 117.3500, 31.9000),  # far north-east
    ("测试戊路", 117.2000, 31.8000),  # south-west
]


@pytest.fixture
def located(make_place):
    made = {name: make_place(name, longitude=lon, latitude=lat) for name, lon, lat in POINTS}
    make_place("测试无坐标路")  # not located: never in a spatial answer
    return made


def _names(response, located) -> list[str]:
    assert response.status_code == 200, response.content
    by_code = {p.code: n for n, p in located.items()}
    return [by_code[r["code"]] for r in response.json()["results"]]


@pytest.mark.parametrize(
    ("bbox", "expected"),
    [
        ("117.27,31.85,117.30,31.875", {"测试甲路", "测试乙路", "测试丙路"}),
        ("117.28,31.86,117.28,31.86", {"测试甲路"}),  # a box of one point: edges included
        ("117.285,31.855,117.295,31.865", {"测试乙路"}),
        ("117.0,31.0,118.0,32.0", {n for n, *_ in POINTS}),
        ("116.0,30.0,116.5,30.5", set()),
    ],
)
def test_bbox_returns_exactly_the_places_inside(located, bbox, expected):
    assert set(_names(APIClient().get("/api/v1/places/", {"bbox": bbox}), located)) == expected


@pytest.mark.parametrize(
    ("radius", "expected"),
    [
        ("500", ["测试甲路"]),
        ("1000", ["测试甲路", "测试乙路"]),
        ("1200", ["测试甲路", "测试乙路", "测试丙路"]),
    ],
)
def test_near_returns_nearest_first_with_distances(located, radius, expected):
    response = APIClient().get("/api/v1/places/", {"near": "117.28,31.86", "radius": radius})
    assert _names(response, located) == expected
    distances = [r["distance"] for r in response.json()["results"]]
    assert distances == sorted(distances) and distances[0] == 0.0
    if len(expected) > 1:
        assert 940 <= distances[1] <= 950  # 0.01° of longitude at 31.86° N


def test_distance_is_only_in_a_near_answer(located):
    assert "distance" not in APIClient().get("/api/v1/places/").json()["results"][0]


def test_bbox_and_other_filters_combine(located, make_place):
    make_place("测试己河", category="water", longitude=117.2810, latitude=31.8610)
    response = APIClient().get("/api/v1/places/", {"bbox": "117.27,31.85,117.30,31.875", "category": "water"})
    assert [r["name"] for r in response.json()["results"]] == ["测试己河"]


@pytest.mark.parametrize(
    ("params", "field", "fragment"),
    [
        ({"bbox": "117.3,31.8"}, "bbox", "4 comma-separated numbers"),
        ({"bbox": "a,b,c,d"}, "bbox", "numbers"),
        ({"bbox": "nan,31,118,32"}, "bbox", "finite"),
        ({"bbox": "118,31,117,32"}, "bbox", "south-west"),
        ({"bbox": "31.8,117.2,31.9,117.3"}, "bbox", None),  # swapped: latitude 117 is impossible
        ({"near": "117.28"}, "near", "2 comma-separated numbers"),
        ({"near": "117.28,31.86", "radius": "-5"}, "near", "more than 0"),
        ({"near": "117.28,31.86", "radius": "1e9"}, "near", "at most"),
        ({"near": "117.28,31.86", "radius": "x"}, "near", "metres"),
        ({"radius": "100"}, "radius", "needs near"),
    ],
)
def test_bad_boxes_and_points_are_a_400_naming_the_field(located, params, field, fragment):
    response = APIClient().get("/api/v1/places/", params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert field in body
    if fragment:
        assert fragment in " ".join(body[field])


def test_a_refusal_is_in_chinese_by_default(located):
    body = APIClient().get("/api/v1/places/", {"near": "117.28,31.86", "radius": "-5"}).json()
    assert body["near"] == ["radius 必须大于 0 且不超过 100000 米。"]


def test_the_schema_documents_bbox_near_and_radius(db):
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()
    names = {p["name"] for p in schema["paths"]["/api/v1/places/"]["get"]["parameters"]}
    assert {"bbox", "near", "radius"} <= names
    # distance is present only in a near answer: the schema must not promise it (schemathesis)
    for component in ("Place", "PlaceDetail"):
        assert "distance" not in schema["components"]["schemas"][component].get("required", [])


def test_search_narrowed_by_box_and_radius_keeps_its_rank_order(located):
    everywhere = APIClient().get("/api/v1/search/", {"q": "测试"}).json()["results"]
    assert len(everywhere) >= 6
    boxed = APIClient().get("/api/v1/search/", {"q": "测试", "bbox": "117.27,31.85,117.30,31.875"}).json()["results"]
    assert {r["name"] for r in boxed} == {"测试甲路", "测试乙路", "测试丙路"}
    assert [r["code"] for r in boxed] == [
        r["code"] for r in everywhere if r["name"] in {"测试甲路", "测试乙路", "测试丙路"}
    ]
    near = APIClient().get("/api/v1/search/", {"q": "测试", "near": "117.28,31.86", "radius": "1000"}).json()["results"]
    assert {r["name"]: r["distance"] for r in near}.keys() == {"测试甲路", "测试乙路"}
    bad = APIClient().get("/api/v1/search/", {"q": "测试", "bbox": "x"})
    assert bad.status_code == 400 and "bbox" in bad.json()
