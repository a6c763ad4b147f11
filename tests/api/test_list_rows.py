"""Uncached list reads (issue #18): the written-out list row, the columns read, the division range.

The list row is written out rather than walked field by field (``PlaceSerializer._list_row``):
it must give exactly what DRF's walk gives, for every kind of place and every format.
"""

import pytest
from rest_framework import serializers

from registry.api import serializers as s
from registry.api.filters import under_division
from registry.api.views import PlaceGeoSerializer, PlaceLinkedPlacesSerializer, PlaceViewSet
from registry.models import Place
from tests.api.test_api import api, hefei  # noqa: F401 (fixtures)


def walked(serializer, place) -> dict:
    """What DRF's field-by-field ``to_representation`` gives (plus ``distance``, as the serializer adds it)."""
    data = serializers.Serializer.to_representation(serializer, place)
    if getattr(place, "distance_m", None) is not None:
        data["distance"] = round(place.distance_m, 1)
    return data


def list_queryset(params: dict, fmt: str = "json"):
    from django.test import RequestFactory
    from rest_framework.request import Request

    from registry.api.filters import PlaceFilter

    view = PlaceViewSet(action="list", format_kwarg=None)
    view.request = Request(RequestFactory().get("/api/v1/places/", params))
    view.request.accepted_renderer = next(r() for r in view.renderer_classes if r.format == fmt)
    return PlaceFilter(data=params, queryset=view.get_queryset()).qs


@pytest.mark.parametrize(
    "serializer_class,fmt",
    [(s.PlaceSerializer, "json"), (PlaceGeoSerializer, "geojson"), (s.PlaceSerializer, "csv")],
)
@pytest.mark.parametrize(
    "params",
    [{}, {"as_of": "1955-01-01"}, {"near": "117.2736,31.8380", "radius": "5000"}, {"heritage": "true"}],
)
def test_the_written_out_row_is_the_walked_row(hefei, serializer_class, fmt, params):  # noqa: F811
    places = list(list_queryset(params, fmt))
    assert places  # every case finds some place
    serializer = serializer_class()
    for place in places:
        assert s._writes_list_row(serializer_class)
        assert serializer.to_representation(place) == walked(serializer, place)
        assert list(serializer.to_representation(place)) == list(walked(serializer, place))


def test_a_serializer_with_other_fields_is_walked():
    assert not s._writes_list_row(s.PlaceDetailSerializer)
    assert not s._writes_list_row(PlaceLinkedPlacesSerializer)

    class Renamed(s.PlaceSerializer):
        status = serializers.CharField(source="category", read_only=True)

    assert not s._writes_list_row(Renamed)


def test_a_list_reads_only_the_columns_it_shows(hefei):  # noqa: F811
    deferred = list_queryset({}).query.deferred_loading
    assert deferred[1] is False and "details" not in deferred[0] and "geometry" not in deferred[0]
    assert "geometry" in list_queryset({}, "geojson").query.deferred_loading[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # committed: counts are cached
def test_list_pages_take_the_same_queries_whatever_their_size(api, hefei):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from registry.services.places import place_create

    for i in range(30):
        place_create(name=f"测试{i}路", category="road", division=hefei["jinzhai"].division)
    api.get("/api/v1/places/", {"page_size": 1})  # Last-Modified, looked up once per revision
    done = []
    for size in (1, 20, 200):
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/v1/places/", {"page_size": size, "division": "340104", "ordering": "name"})
        assert response.status_code == 200 and len(response.json()["results"]) == min(size, 32)
        done.append(len(queries))
        snapshots = sum(q["sql"].startswith('SELECT "registry_revision"."name"') for q in queries)
        assert snapshots == 1  # the revisions are read once, by the view, and the count reuses them
    # revision, division check, count, page (and the throttle's cache where it is the database: not in tests)
    # The first page counts; the others reuse the count of this filter at this revision.
    assert done == [done[0], done[0] - 1, done[0] - 1] and done[0] <= 4


@pytest.mark.parametrize(
    "prefix,inside,outside",
    [
        ("340104", ["340104", "340104001000"], ["340103", "340105", "3401", "34010"]),
        ("3401", ["3401", "340100", "340181", "340199001"], ["3402", "340", "3400999"]),
        ("34019", ["34019", "340199"], ["3402", "34018"]),
        ("3499", ["3499", "349901"], ["35", "3498"]),
        ("99", ["99", "999"], ["98"]),
    ],
)
def test_the_division_range_is_startswith(prefix, inside, outside):
    condition = under_division("code", prefix)

    def leaves(q):
        for child in q.children:
            yield from leaves(child) if hasattr(child, "children") else [child]

    assert condition.connector == "AND" and not condition.negated

    def matches(code: str) -> bool:
        # The Q's lookups evaluated in Python, as the database would.
        ok = True
        for name, value in leaves(condition):
            lookup = name.split("__")[-1]
            ok &= {"gte": code >= value, "lt": code < value, "startswith": code.startswith(value)}[lookup]
        return ok

    assert all(matches(code) for code in inside)
    assert not any(matches(code) for code in outside)
    assert any(name.endswith("__gte") for name, _value in leaves(condition))  # the index's range


def test_the_division_filter_finds_what_startswith_finds(api, hefei):  # noqa: F811
    from registry.api.filters import _division_prefix

    for code in ("340104", "340100", "340181"):
        expected = set(
            Place.objects.filter(division__code__startswith=_division_prefix(code)).values_list("code", flat=True)
        )
        response = api.get("/api/v1/places/", {"division": code, "page_size": 200})
        assert {r["code"] for r in response.json()["results"]} == expected


def test_a_detail_reads_heritage_listings_only_for_a_listed_place(api, hefei):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    done = {}
    for key in ("jinzhai", "zhegao"):
        api.get(f"/api/v1/places/{hefei['jinzhai'].code}/", {"format": "json"})  # Last-Modified, per revision
        with CaptureQueriesContext(connection) as queries:
            response = api.get(f"/api/v1/places/{hefei[key].code}/", {"lang": key})  # a URL not cached yet
        done[key] = [q["sql"] for q in queries]
        listings = response.json()["heritage_listings"]
        assert (len(listings) == 1 and listings[0]["scheme"] == "ancient_town") if key == "zhegao" else listings == []
    assert not any(sql.startswith('SELECT "registry_heritagelisting"') for sql in done["jinzhai"])
    assert len(done["zhegao"]) == len(done["jinzhai"]) + 1
