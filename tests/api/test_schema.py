"""The OpenAPI schema says what the API really does (item 8 of issue #11)."""
import pytest
from rest_framework.test import APIClient

from registry.validation.findings import RULES


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return APIClient().get("/api/v1/schema/", {"format": "json"}).json()


def params(operation):
    return {(p["name"], p["in"]) for p in operation.get("parameters", [])}


def test_search_documents_its_pages(schema):
    assert {("page", "query"), ("page_size", "query")} <= params(schema["paths"]["/api/v1/search/"]["get"])


def test_every_operation_documents_the_language(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if path.endswith(("/schema/", "/docs/")):
                continue
            assert {("lang", "query"), ("Accept-Language", "header")} <= params(operation), (path, method)


def test_finding_rules_are_an_enum(schema):
    rule = schema["components"]["schemas"]["Finding"]["properties"]["rule"]
    enum = schema["components"]["schemas"][rule["allOf"][0]["$ref"].rsplit("/", 1)[1]]["enum"]
    assert set(enum) == set(RULES)


def test_transition_fields_are_bounded_and_typed(schema):
    # One request body per step (issue #17): the step that takes each field documents it.
    components = schema["components"]["schemas"]
    notice = components["ProposalStartNoticeRequest"]["properties"]
    approval = components["ProposalApproveRequest"]["properties"]
    assert (notice["days"]["minimum"], notice["days"]["maximum"]) == (0, 365)
    assert approval["decided_on"]["format"] == "date"


def test_error_answers_are_documented(schema):
    read = schema["paths"]["/api/v1/places/"]["get"]["responses"]
    write = schema["paths"]["/api/v1/names/check/"]["post"]["responses"]
    assert {"304", "400", "401", "404", "405", "406", "429"} <= set(read)
    assert {"400", "401", "405", "406", "413", "415"} <= set(write)


def test_the_token_endpoint_needs_no_authentication(schema):
    assert schema["paths"]["/api/v1/auth/token/"]["post"]["security"] == []


def test_heritage_rows_carry_an_id(schema):
    assert "id" in schema["components"]["schemas"]["HeritageListing"]["properties"]


def test_heritage_rows_have_their_id_in_the_answer(db):
    from registry.models import Division
    from registry.services.heritage import heritage_listing_create
    from registry.services.places import place_create

    place = place_create(name="三河镇", category="town", division=Division.objects.get(code="340123"))
    listing = heritage_listing_create(place=place, scheme="other", level="municipal")
    row = APIClient().get("/api/v1/heritage/").json()["results"][0]
    assert row["id"] == listing.pk
    assert APIClient().get(f"/api/v1/heritage/{listing.pk}/").json()["place"] == place.code
