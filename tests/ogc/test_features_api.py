"""OGC API – Features Part 1 Core at ``/ogc/``: the answers a GIS client relies on.

Checked against the demo registry: a client that follows ``next`` from every
collection's first page reads every place exactly once; ``bbox`` returns exactly the
places inside; ``datetime`` answers a renamed road under its old name; parameters the
API does not define are a 400 (/req/core/query-param-unknown).
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.test import Client

from registry.models import HeritageListing, Place

pytestmark = pytest.mark.django_db
CATEGORIES = ["road", "water", "bridge", "building", "residential", "town", "village"]


@pytest.fixture(autouse=True)
def fresh_similarity_index():
    """Overrides the suite's per-test reset: the demo's index pending rows stay valid for the module."""
    yield


def _json(path, **params):
    response = Client().get(path, params)
    assert response.status_code == 200, (path, response.content[:300])
    return response


def _read_all(collection: str, **params) -> list[dict]:
    features, url = [], f"/ogc/collections/{collection}/items"
    page = _json(url, **params).json()
    while True:
        features += page["features"]
        nxt = next((link["href"] for link in page["links"] if link["rel"] == "next"), None)
        if nxt is None:
            return features
        page = _json(nxt).json()


def test_the_landing_page_links_to_conformance_and_data(demo):
    links = {link["rel"]: link for link in _json("/ogc/").json()["links"]}
    assert {"self", "alternate", "conformance", "data", "service-doc"} <= set(links)
    conforms = _json("/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in conforms
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conforms


def test_one_collection_per_category_and_one_for_heritage(demo):
    collections = _json("/ogc/collections").json()["collections"]
    assert [c["id"] for c in collections] == CATEGORIES + ["heritage"]
    for c in collections:
        assert any(link["rel"] == "items" and link["type"] == "application/geo+json" for link in c["links"])


def test_following_next_reads_every_place_once(demo):
    read = []
    for category in CATEGORIES:
        read += [f["id"] for f in _read_all(category)]
    assert sorted(read) == sorted(Place.objects.values_list("code", flat=True))
    assert len(read) == len(set(read)) > 300


def test_the_heritage_collection_holds_the_listed_places_with_their_listings(demo):
    features = _read_all("heritage", limit=5)
    listed = set(HeritageListing.objects.exclude(status="removed").values_list("place__code", flat=True))
    assert {f["id"] for f in features} == listed
    assert all(f["properties"]["listings"] for f in features)


def test_items_are_geojson_with_counts_and_chinese_intact(demo):
    response = _json("/ogc/collections/town/items", limit=5)
    assert response["Content-Type"].startswith("application/geo+json")
    page = response.json()
    assert page["type"] == "FeatureCollection" and page["numberReturned"] == 5
    assert page["numberMatched"] == Place.objects.filter(category="town").count()
    assert "镇".encode() in response.content


def test_bbox_returns_exactly_the_places_inside(demo):
    box = (117.30, 31.70, 117.35, 31.72)
    inside = set(
        Place.objects.filter(
            longitude__gte=box[0], latitude__gte=box[1], longitude__lte=box[2], latitude__lte=box[3]
        ).values_list("code", flat=True)
    )
    assert inside  # the demo's located memorial hall
    found = set()
    for category in CATEGORIES:
        found |= {f["id"] for f in _read_all(category, bbox=",".join(map(str, box)))}
    assert found == inside


def test_datetime_answers_a_renamed_road_under_its_old_name(demo):
    code = "340103R00009"  # 淮河路, called 江淮路 before its renaming
    then = {f["id"]: f["properties"]["name"] for f in _read_all("road", datetime="1950-01-01")}
    now = {f["id"]: f["properties"]["name"] for f in _read_all("road")}
    assert then[code] == "江淮路" and now[code] == "淮河路"
    as_datetime = {f["id"]: f["properties"]["name"] for f in _read_all("road", datetime="1950-01-01T12:00:00Z")}
    assert as_datetime[code] == "江淮路"


def test_one_feature_by_code(demo):
    response = _json("/ogc/collections/road/items/340103R00009")
    feature = response.json()
    assert feature["type"] == "Feature" and feature["id"] == "340103R00009"
    assert any(link["rel"] == "collection" for link in feature["links"])
    wrong = Client().get("/ogc/collections/water/items/340103R00009")
    assert wrong.status_code == 404 and wrong.json()["code"] == "NotFound"


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"limt": "5"}, "limt"),
        ({"limit": "0"}, "at least 1"),
        ({"limit": "x"}, "whole number"),
        ({"offset": "-1"}, "whole number"),
        ({"bbox": "1,2,3"}, "4 comma-separated"),
        ({"datetime": "2020-01-01/2021-01-01"}, "intervals"),
        ({"datetime": "2020-13-01"}, "datetime"),
        ({"datetime": "2020-01-01Tnonsense"}, "RFC 3339"),
    ],
)
def test_bad_parameters_are_a_400_with_the_standard_body(demo, params, fragment):
    response = Client().get("/ogc/collections/road/items", params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "InvalidParameterValue" and fragment in body["description"]


def test_a_refusal_is_in_chinese_by_default(demo):
    body = Client().get("/ogc/collections/road/items", {"limit": "0"}).json()
    assert body["description"] == "limit 不能小于 1。"


def test_limit_above_the_maximum_is_capped(demo):
    page = _json("/ogc/collections/town/items", limit="100000").json()
    assert page["numberReturned"] == page["numberMatched"]


def test_an_unknown_collection_is_a_json_404_and_an_html_page_for_a_browser(demo):
    assert Client().get("/ogc/collections/nope/items").json()["code"] == "NotFound"
    page = Client().get("/ogc/collections/nope/items", HTTP_ACCEPT="text/html")
    assert page.status_code == 404 and "页面不存在" in page.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/ogc/",
        "/ogc/conformance",
        "/ogc/collections",
        "/ogc/collections/road",
        "/ogc/collections/road/items",
        "/ogc/collections/road/items/340103R00009",
    ],
)
def test_every_resource_has_an_html_page_in_chinese(demo, path):
    response = Client().get(path, {"f": "html"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert 'lang="zh-Hans"' in response.content.decode()


OGR = pytest.mark.skipif(
    shutil.which("ogrinfo") is None, reason="ogrinfo (GDAL) is not installed; .ci/run installs gdal-bin and runs it"
)


def _ogrinfo(*args) -> str:
    return subprocess.run(["ogrinfo", "-ro", *args], capture_output=True, timeout=180, check=True).stdout.decode()


@OGR
@pytest.mark.gis_client
def test_gdal_reads_every_collection_across_pages_bbox_and_datetime(transactional_db, live_server):
    """GDAL's OAPIF driver, a client nobody here wrote, against a live server with the demo."""
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    landing = f"OAPIF:{live_server.url}/ogc/"
    listing = _ogrinfo("-so", landing)
    for collection in CATEGORIES + ["heritage"]:
        assert f": {collection} (" in listing
    total = 0
    for category in CATEGORIES:
        total += _ogrinfo("-al", "-q", landing, category).count("OGRFeature(")
    assert total == Place.objects.count()
    boxed = _ogrinfo("-al", "-q", "-spat", "117.30", "31.70", "117.35", "31.72", landing, "building")
    assert boxed.count("OGRFeature(") == 1 and "渡江战役纪念馆" in boxed
    then = _ogrinfo("-al", "-q", f"OAPIF:{live_server.url}/ogc/collections/road?datetime=1950-01-01")
    assert "江淮路" in then and "淮河路" not in then


def test_the_html_pages_link_to_html_pages_that_answer(demo):
    import re

    page = Client().get("/ogc/collections/town/items", {"f": "html", "limit": "3"}).content.decode()
    hrefs = re.findall(r'href="([^"]+)"', page)
    feature = next(h for h in hrefs if h.startswith("items/"))
    assert Client().get("/ogc/collections/town/" + feature.replace("&amp;", "&")).status_code == 200
    nxt = next(h for h in hrefs if "offset=3" in h and "f=html" in h)
    assert Client().get(nxt.replace("&amp;", "&").replace("http://testserver", "")).status_code == 200
