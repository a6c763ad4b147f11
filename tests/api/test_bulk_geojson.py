"""GIS clients get the whole registry: a streamed GeoJSON file, and list pages with next links.

OGR's GeoJSON driver reads one document; a paged list gave it 20 features. The bulk file
``/api/v1/places/export.geojson`` has every place; list pages carry OGC API – Features
``links`` (rel next / prev); list features carry the same geometry as the detail.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from rest_framework.test import APIClient

from registry.models import Place
from registry.services.places import place_create

pytestmark = pytest.mark.django_db
EXPORT = "/api/v1/places/export.geojson"


@pytest.fixture(autouse=True)
def fresh_similarity_index():
    """Overrides the suite's per-test reset: the demo's index pending rows stay valid for the module."""
    yield


def _export() -> tuple[object, bytes]:
    response = APIClient().get(EXPORT)
    assert response.status_code == 200 and response.streaming
    return response, b"".join(response.streaming_content)


def test_the_bulk_file_has_every_place_with_chinese_intact(demo):
    response, body = _export()
    assert response["Content-Type"].startswith("application/geo+json")
    assert "places.geojson" in response["Content-Disposition"]
    data = json.loads(body.decode("utf-8"))
    assert data["type"] == "FeatureCollection"
    codes = [f["id"] for f in data["features"]]
    assert codes == sorted(Place.objects.values_list("code", flat=True)) and len(codes) > 300
    names = {f["properties"]["name"] for f in data["features"]}
    assert "三河镇" in names and "三河镇".encode() in body  # UTF-8 text, not \\u escapes
    assert all(f["type"] == "Feature" and "geometry" in f for f in data["features"])


def test_the_bulk_file_is_written_in_chunks(demo):
    chunks = list(APIClient().get(EXPORT).streaming_content)
    assert len(chunks) >= 3  # opening, at least one chunk of features, closing


def test_the_bulk_file_refuses_unknown_parameters(db):
    response = APIClient().get(EXPORT, {"categroy": "road"})
    assert response.status_code == 400 and "categroy" in response.json()


def test_a_geojson_list_page_links_to_the_next_and_previous(demo):
    first = APIClient().get("/api/v1/places/", {"format": "geojson"}).json()
    rels = {link["rel"]: link for link in first["links"]}
    assert set(rels) == {"self", "next"} and rels["next"]["type"] == "application/geo+json"
    assert "format=geojson" in rels["next"]["href"] and "page=2" in rels["next"]["href"]
    second = APIClient().get(rels["next"]["href"]).json()
    assert {link["rel"] for link in second["links"]} == {"self", "next", "prev"}
    assert second["features"][0]["id"] != first["features"][0]["id"]


def test_a_page_negotiated_by_accept_links_to_geojson(demo):
    page = APIClient().get("/api/v1/places/", HTTP_ACCEPT="application/geo+json").json()
    nxt = next(link for link in page["links"] if link["rel"] == "next")
    assert "format=geojson" in nxt["href"]


def test_the_list_shows_the_line_the_detail_shows(shushan):
    line = {"type": "LineString", "coordinates": [[117.28, 31.86], [117.29, 31.86]]}
    place = place_create(name="左圣宫巷", category="road", division=shushan, geometry=line)
    listed, url = [], "/api/v1/places/?format=geojson&page_size=200"
    while url:  # following the next links, as a GIS client does
        page = APIClient().get(url).json()
        listed += page["features"]
        url = next((link["href"] for link in page["links"] if link["rel"] == "next"), None)
    assert len(listed) == Place.objects.count()
    detail = APIClient().get(f"/api/v1/places/{place.code}/", {"format": "geojson"}).json()
    assert detail["geometry"] == line
    assert next(f for f in listed if f["id"] == place.code)["geometry"] == line
    _response, body = _export()
    assert next(f for f in json.loads(body)["features"] if f["id"] == place.code)["geometry"] == line


OGR = pytest.mark.skipif(
    shutil.which("ogrinfo") is None, reason="ogrinfo (GDAL) is not installed; .ci/run installs gdal-bin and runs these"
)


def _ogr_count(path) -> int:
    summary = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-so", str(path)], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    return next(int(line.split(":")[1]) for line in summary.splitlines() if line.startswith("Feature Count:"))


@OGR
def test_ogr_reads_every_place_from_the_bulk_file(demo, tmp_path):
    _response, body = _export()
    path = tmp_path / "places.geojson"
    path.write_bytes(body)
    assert _ogr_count(path) == Place.objects.count()
    full = subprocess.run(
        ["ogrinfo", "-ro", "-al", str(path)], capture_output=True, timeout=120, check=True
    ).stdout.decode("utf-8")
    assert "三河镇" in full


def test_the_schema_documents_the_bulk_file_and_the_links(db):
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()
    export = schema["paths"]["/api/v1/places/export.geojson"]["get"]
    assert set(export["responses"]["200"]["content"]) == {"application/geo+json"}
    assert (
        "links"
        in schema["paths"]["/api/v1/places/"]["get"]["responses"]["200"]["content"]["application/geo+json"]["schema"][
            "properties"
        ]
    )
    detail = schema["paths"]["/api/v1/places/{code}/"]["get"]["responses"]["200"]["content"]["application/ld+json"]
    assert detail["schema"]["properties"]["type"]["enum"] == ["FeatureCollection"]


@OGR
def test_ogr_reads_one_page_of_a_geojson_list_and_the_next_link_has_the_rest(demo, tmp_path):
    """GDAL 3.6 (Debian 12)'s GeoJSON driver reads one document and does not follow ``links``
    rel=next (its paging is for OGC API – Features servers, the OAPIF driver): a list page
    gives it that page. The README sends GIS users to the bulk file; a client that follows
    ``next`` itself gets every place."""
    page = APIClient().get("/api/v1/places/", {"format": "geojson", "page_size": 200}).content
    path = tmp_path / "page.geojson"
    path.write_bytes(page)
    assert _ogr_count(path) == 200 < Place.objects.count()
    nxt = next(link["href"] for link in json.loads(page)["links"] if link["rel"] == "next")
    rest = APIClient().get(nxt).json()
    assert len(rest["features"]) == Place.objects.count() - 200 and not any(
        link["rel"] == "next" for link in rest["links"]
    )
