"""Unknown or repeated query parameters are a 400 naming them, on every endpoint."""

import pytest
from rest_framework.test import APIClient

from registry.models import Division
from registry.services.places import place_create


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def road(db):
    return place_create(name="金寨路", category="road", division=Division.objects.get(code="340104"))


@pytest.mark.parametrize(
    "url,params,name",
    [
        ("/api/v1/places/", {"categroy": "road"}, "categroy"),
        ("/api/v1/places/", {"name": "金寨路"}, "name"),
        ("/api/v1/places/", {"pagesize": "5"}, "pagesize"),
        ("/api/v1/places/ROAD/", {"as_fo": "2000"}, "as_fo"),
        ("/api/v1/places/ROAD/names/", {"kind": "former"}, "kind"),
        ("/api/v1/search/", {"q": "金寨", "categroy": "road"}, "categroy"),
        ("/api/v1/search/", {"q": "金寨", "bboxx": "1,2,3,4"}, "bboxx"),
        ("/api/v1/divisions/", {"levl": "county"}, "levl"),
        ("/api/v1/divisions/340100/", {"x": "1"}, "x"),
        ("/api/v1/heritage/", {"schme": "red"}, "schme"),
    ],
)
def test_an_unknown_parameter_is_a_400_naming_it(api, road, url, params, name):
    response = api.get(url.replace("ROAD", road.code), params)
    assert response.status_code == 400 and name in response.json(), response.content


def test_not_yet_implemented_parameters_say_so(api, road):
    message = api.get("/api/v1/divisions/", {"bbox": "1,2,3,4", "lang": "en"}).json()["bbox"][0]
    assert "not supported" in message


def test_an_unknown_parameter_of_the_name_check_is_a_400(api, db):
    response = api.post("/api/v1/names/check/?strict=1", {"name": "长江路", "category": "road"}, format="json")
    assert response.status_code == 400 and "strict" in response.json()


@pytest.mark.parametrize(
    "query,name",
    [
        ("category=road&category=town", "category"),
        ("page=1&page=2", "page"),
        ("as_of=2000-01-01&as_of=1950-01-01", "as_of"),
    ],
)
def test_a_repeated_parameter_is_a_400(api, road, query, name):
    response = api.get(f"/api/v1/places/?{query}")
    assert response.status_code == 400 and name in response.json()


@pytest.mark.parametrize(
    "url,params",
    [
        (
            "/api/v1/places/",
            {
                "page": 1,
                "page_size": 5,
                "format": "json",
                "lang": "en",
                "ordering": "-code",
                "q": "金寨",
                "as_of": "2999-01-01",
                "category": "road",
                "status": "active",
                "division": "340104",
                "heritage": "false",
            },
        ),
        ("/api/v1/places/ROAD/", {"as_of": "2999-01-01", "format": "geojson", "lang": "en"}),
        ("/api/v1/places/ROAD/names/", {"page": 1, "page_size": 5}),
        ("/api/v1/search/", {"q": "金寨", "category": "road", "as_of": "2999-01-01", "page": 1, "page_size": 5}),
        ("/api/v1/divisions/", {"level": "county", "parent": "340100", "page_size": 5}),
        ("/api/v1/heritage/", {"scheme": "red", "level": "national", "status": "listed", "division": "340100"}),
    ],
)
def test_documented_parameters_are_accepted(api, road, url, params):
    assert api.get(url.replace("ROAD", road.code), params).status_code == 200


@pytest.mark.parametrize("value", ["0", "-5", "abc", "2.5", "１０"])
def test_a_page_size_that_is_not_a_positive_number_is_a_400(api, road, value):
    for url, extra in (("/api/v1/places/", {}), ("/api/v1/search/", {"q": "金寨"})):
        response = api.get(url, {"page_size": value, **extra})
        assert response.status_code == 400 and "page_size" in response.json()


def test_a_large_page_size_is_capped(api, road):
    assert api.get("/api/v1/places/", {"page_size": "5000"}).status_code == 200
