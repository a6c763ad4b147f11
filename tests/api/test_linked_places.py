"""Every place of the Hefei demo registry is a valid Linked Places (LPF v1.2.2) feature.

Checked against World Historical Gazetteer's own validation schema (a verbatim copy in
tests/data/lpf/, sources in SOURCES.md) with ``jsonschema``, and against the rules of the
LPF specification (LinkedPasts/linked-places-format, README) that the schema does not
express: a ``when`` or a cited year on every feature, a citation on at least one name,
every timespan with a start, identifiers as full URIs or prefixes the LPF context
defines, a GeoJSON geometry (an empty GeometryCollection for an unlocated place), and a
permanent ``@id`` from ``REGISTRY_URI_BASE``, never the request's host.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
from rest_framework.test import APIClient

from registry.models import Place

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data" / "lpf"
SCHEMA = json.loads((DATA / "schema_lpf_v1.2.json").read_text(encoding="utf-8"))
CONTEXT = json.loads((DATA / "linkedplaces-context-v1.1.jsonld").read_text(encoding="utf-8"))["@context"]
PREFIXES = {key for key, value in CONTEXT.items() if isinstance(value, str) and value.startswith("http")}
GEOMETRY_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
FCLASSES = set("AHLPRST")
BASE = "https://registry.test/placenames/"


@pytest.fixture(autouse=True)
def fresh_similarity_index():
    """Overrides the suite's per-test reset: the demo's index pending rows stay valid for the module."""
    yield


@pytest.fixture
def uri_base(settings):
    settings.REGISTRY_URI_BASE = BASE


def _all_features(client) -> list[dict]:
    features, url, params = [], "/api/v1/places/", {"format": "lpf", "page_size": 200}
    while url:
        response = client.get(url, params)
        assert response.status_code == 200 and response["Content-Type"].startswith("application/ld+json")
        page = response.json()
        assert page["type"] == "FeatureCollection" and page["@context"].endswith("linkedplaces-context-v1.1.jsonld")
        features += page["features"]
        url, params = page.get("next"), None
    return features


def _uri_or_prefixed(value: str) -> bool:
    if value.startswith(("http://", "https://")):
        return True
    prefix, colon, rest = value.partition(":")
    return bool(colon and rest) and prefix in PREFIXES


def _whens(feature: dict):
    yield feature.get("when")
    for key in ("names", "types", "relations"):
        for item in feature.get(key, []):
            yield item.get("when")
    for geometry in feature["geometry"].get("geometries", [feature["geometry"]]):
        yield geometry.get("when")


def _valid_position(position) -> bool:
    return (
        isinstance(position, list)
        and len(position) >= 2
        and all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in position)
        and -180 <= position[0] <= 180
        and -90 <= position[1] <= 90
    )


def _valid_geometry(geometry: dict) -> bool:
    """RFC 7946 shapes: positions, lines of two or more, closed rings of four or more."""
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "GeometryCollection":
        return isinstance(geometry.get("geometries"), list) and all(_valid_geometry(g) for g in geometry["geometries"])
    if kind not in GEOMETRY_TYPES or not isinstance(coords, list):
        return False
    line = lambda c: isinstance(c, list) and len(c) >= 2 and all(map(_valid_position, c))  # noqa: E731
    ring = lambda c: line(c) and len(c) >= 4 and c[0] == c[-1]  # noqa: E731
    polygon = lambda c: isinstance(c, list) and len(c) >= 1 and all(map(ring, c))  # noqa: E731
    return {
        "Point": lambda: _valid_position(coords),
        "MultiPoint": lambda: all(map(_valid_position, coords)),
        "LineString": lambda: line(coords),
        "MultiLineString": lambda: all(map(line, coords)),
        "Polygon": lambda: polygon(coords),
        "MultiPolygon": lambda: all(map(polygon, coords)),
    }[kind]()


def _problems(feature: dict, sources: set[str]) -> list[str]:
    """The LPF specification's rules, one message per broken rule."""
    problems = [
        f"schema: {e.message} at {list(e.absolute_path)}"
        for e in jsonschema.Draft7Validator(SCHEMA).iter_errors(feature)
    ]
    if not feature["@id"].startswith(BASE) or "testserver" in feature["@id"]:
        problems.append("@id is not under REGISTRY_URI_BASE")
    if not feature["properties"].get("fclasses") or not set(feature["properties"]["fclasses"]) <= FCLASSES:
        problems.append("fclasses missing or not GeoNames classes")
    if not _valid_geometry(feature.get("geometry") or {}):
        problems.append(f"geometry is not a GeoJSON geometry: {feature.get('geometry')!r}")
    cited_year = any("year" in c for n in feature["names"] for c in n.get("citations", []))
    if not feature.get("when") and not cited_year:
        problems.append("neither a record-level when nor a citation year")
    if not any(n.get("citations") for n in feature["names"]):
        problems.append("no name has a citation")
    for when in _whens(feature):
        if when is not None and not when.get("timespans"):
            problems.append("a when without timespans")
        for span in (when or {}).get("timespans", []):
            if not span.get("start"):
                problems.append(f"a timespan without start: {span}")
    for name in feature["names"]:
        for citation in name.get("citations", []):
            if citation.get("label", "").strip() in ("", "地名登记") or citation["label"] not in sources:
                problems.append(f"citation label is not the record's source: {citation}")
            if "year" in citation and not isinstance(citation["year"], int):
                problems.append(f"citation year is not a year: {citation}")
    for item in feature.get("types", []):
        if not _uri_or_prefixed(item["identifier"]):
            problems.append(f"type identifier {item['identifier']} has no URI or known prefix")
    for relation in feature.get("relations", []):
        for key in ("relationType", "relationTo"):
            if not _uri_or_prefixed(relation[key]):
                problems.append(f"{key} {relation[key]} has no URI or known prefix")
    return problems


def _sources() -> set[str]:
    from registry.models import PlaceName

    found = set(Place.objects.values_list("source", flat=True))
    for document, source in PlaceName.objects.values_list("decision_document", "source"):
        found |= {document, source}
    return {s.strip() for s in found if s and s.strip()}


def test_every_demo_feature_is_valid_linked_places(demo, uri_base):
    features = _all_features(APIClient())
    assert len(features) == Place.objects.count() > 300
    sources = _sources()
    invalid = {f["@id"]: problems for f in features if (problems := _problems(f, sources))}
    assert not invalid, f"{len(invalid)} of {len(features)} features invalid, e.g. {list(invalid.items())[:3]}"


def test_a_detail_is_a_collection_of_one_valid_feature(demo, uri_base):
    place = Place.objects.filter(longitude__isnull=False).order_by("code").first()
    response = APIClient().get(f"/api/v1/places/{place.code}/", {"format": "lpf"})
    data = response.json()
    assert data["@context"].endswith("linkedplaces-context-v1.1.jsonld") and data["type"] == "FeatureCollection"
    (feature,) = data["features"]
    assert "@context" not in feature and feature["@id"] == f"{BASE}places/{place.code}"
    assert feature["geometry"] == {"type": "Point", "coordinates": [float(place.longitude), float(place.latitude)]}
    assert not _problems(feature, _sources())


def test_the_uri_base_never_comes_from_the_request(demo, uri_base, settings):
    settings.ALLOWED_HOSTS = ["internal.proxy"]
    code = Place.objects.order_by("code").values_list("code", flat=True).first()
    feature = APIClient().get(f"/api/v1/places/{code}/", {"format": "lpf"}, HTTP_HOST="internal.proxy:8443").json()
    assert feature["features"][0]["@id"] == f"{BASE}places/{code}" and "8443" not in json.dumps(feature)
    assert all(r["relationTo"].startswith(f"{BASE}divisions/") for r in feature["features"][0]["relations"])


def test_a_line_keeps_its_geometry_and_a_renamed_name_its_dates(baohe, uri_base):
    """The demo has points only; a LineString road renamed by a decision, as in tests/api/test_api.py."""
    from registry.services.places import place_create, place_rename

    place = place_create(
        name="左圣宫巷",
        category="road",
        division=baohe,
        named_on="1900",
        source="《合肥地名录》",
        geometry={"type": "LineString", "coordinates": [[117.28, 31.86], [117.29, 31.86]]},
    )
    place_rename(
        place=place,
        new_name="庐江路",
        effective="1956-06-01",
        decision_document="合政〔1956〕12号",
        decision_date=dt.date(1956, 5, 20),
    )
    feature = APIClient().get(f"/api/v1/places/{place.code}/", {"format": "lpf"}).json()["features"][0]
    assert feature["geometry"]["type"] == "LineString" and not _problems(feature, _sources())
    zh = [n for n in feature["names"] if n["lang"] == "zh"]
    assert zh[0]["toponym"] == "左圣宫巷" and zh[0]["when"]["timespans"][0]["start"] == {"in": "1900"}
    assert feature["when"]["timespans"][0]["start"] == {"in": "1900"}
    cited = [c for n in zh for c in n["citations"]]
    assert {"label": "合政〔1956〕12号", "year": 1956} in cited and "地名登记" not in json.dumps(
        feature, ensure_ascii=False
    )


def test_an_unlocated_place_has_an_empty_geometry_collection(demo, uri_base):
    place = Place.objects.filter(longitude__isnull=True, geometry__isnull=True).order_by("code").first()
    assert place is not None
    feature = APIClient().get(f"/api/v1/places/{place.code}/", {"format": "lpf"}).json()["features"][0]
    assert feature["geometry"] == {"type": "GeometryCollection", "geometries": []}


@pytest.mark.parametrize(
    "start,end,expected",
    [
        ("1900", "1956-05-31", {"start": {"in": "1900"}, "end": {"in": "1956-05-31"}}),
        ("1956", "", {"start": {"in": "1956"}}),
        ("", "1956-05-31", {"start": {"latest": "1956-05-31"}, "end": {"in": "1956-05-31"}}),
        ("", "", None),
    ],
)
def test_a_timespan_always_has_a_start(start, end, expected):
    from registry.api.renderers import _timespan

    assert _timespan(start, end) == expected


def test_the_default_uri_base_is_documented_and_not_a_real_host(settings):
    from registry.api.renderers import place_uri

    del settings.REGISTRY_URI_BASE
    assert place_uri("X1") == "https://example.invalid/placenames/places/X1"
