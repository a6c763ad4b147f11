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


# --- Found by schemathesis (examples, fuzzing, stateful; authenticated as staff) -------------


def _pointer(document, expression: str):
    """Resolve ``$response.body#/a/0/b`` against a decoded JSON body (RFC 6901, no escapes needed)."""
    node = document
    for part in expression.split("#", 1)[1].strip("/").split("/"):
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def _operations(schema):
    return {
        op["operationId"]: (path, method, op)
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    }


def test_every_link_names_a_real_operation_and_its_parameters(schema):
    operations = _operations(schema)
    links = [
        (op_id, name, link)
        for op_id, (_p, _m, op) in operations.items()
        for response in op["responses"].values()
        for name, link in response.get("links", {}).items()
    ]
    assert len(links) > 40  # proposals' steps, lists to details, the token to its revocation
    for source, name, link in links:
        _path, _method, target = operations[link["operationId"]]
        declared = {p["name"] for p in target.get("parameters", [])}
        for parameter in link["parameters"]:
            location, _, bare = parameter.rpartition(".")
            assert location == "header" or bare in declared, (source, name, parameter)


def test_a_new_proposal_links_to_retrieve_and_every_workflow_step(schema):
    links = _operations(schema)["proposals_create"][2]["responses"]["201"]["links"]
    targets = {link["operationId"] for link in links.values()}
    assert {
        "proposals_retrieve",
        "proposals_submit",
        "proposals_start_review",
        "proposals_start_notice",
        "proposals_object",
        "proposals_approve",
        "proposals_reject",
        "proposals_withdraw",
        "proposals_return_for_revision",
    } <= targets
    objection = _operations(schema)["proposals_object"][2]["responses"]["200"]["links"]["RespondToObjection"]
    assert objection["parameters"]["objection_id"] == "$response.body#/objections/0/id"


READ_LINKS = [  # (source request, link name): following the link gives a 200, as a client would
    ("/api/v1/places/", "places_list", "RetrievePlace"),
    ("/api/v1/places/", "places_list", "ListNames"),
    ("/api/v1/places/{town}/", "places_retrieve", "ListNames"),
    ("/api/v1/search/?q=sanhe", "search_retrieve", "RetrievePlace"),
    ("/api/v1/heritage/", "heritage_list", "RetrieveListing"),
    ("/api/v1/divisions/", "divisions_list", "RetrieveDivision"),
    ("/api/v1/divisions/340123/", "divisions_retrieve", "ListPlaces"),
]


@pytest.fixture
def listed_town(db):
    """A place with a heritage listing (the suite's data, not the demo: no module-wide state)."""
    from registry.models import Division
    from registry.services.heritage import heritage_listing_create
    from registry.services.places import place_create

    place = place_create(name="三河镇", category="town", division=Division.objects.get(code="340123"))
    heritage_listing_create(place=place, scheme="other", level="municipal")
    return place


@pytest.mark.parametrize(("url", "operation_id", "name"), READ_LINKS)
def test_following_a_read_link_reaches_a_real_resource(schema, listed_town, url, operation_id, name):
    operations = _operations(schema)
    link = operations[operation_id][2]["responses"]["200"]["links"][name]
    source = APIClient().get(url.replace("{town}", listed_town.code))
    assert source.status_code == 200
    path, _method, target = operations[link["operationId"]]
    query = {}
    for parameter, expression in link["parameters"].items():
        value = _pointer(source.json(), expression)
        if any(p["name"] == parameter and p["in"] == "path" for p in target["parameters"]):
            path = path.replace("{" + parameter + "}", str(value))
        else:
            query[parameter] = value
    assert APIClient().get(path, query).status_code == 200, (path, query)


def test_following_the_links_of_a_new_proposal_takes_its_steps(schema, db, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("fuzz", is_staff=True)
    user.groups.set(Group.objects.filter(name__in=["clerk", "reviewer", "approver"]))
    client = APIClient()
    client.force_authenticate(user)
    links = _operations(schema)["proposals_create"][2]["responses"]["201"]["links"]
    created = client.post(
        "/api/v1/proposals/",
        {"action": "name", "name": "翡翠湖路", "category": "road", "division": "340104", "reason": "新建道路"},
        format="json",
    )
    assert created.status_code == 201, created.content
    proposal = _pointer(created.json(), links["Submit"]["parameters"]["id"])
    assert client.get(f"/api/v1/proposals/{proposal}/").status_code == 200
    submitted = client.post(f"/api/v1/proposals/{proposal}/submit/", {}, format="json")
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"


def test_the_token_links_to_its_revocation(schema, db, django_user_model):
    django_user_model.objects.create_user("clerk", password="pw-clerk-123")
    link = _operations(schema)["auth_token_create"][2]["responses"]["200"]["links"]["RevokeToken"]
    issued = APIClient().post("/api/v1/auth/token/", {"username": "clerk", "password": "pw-clerk-123"}, format="json")
    header = link["parameters"]["header.Authorization"].replace("{$response.body#/token}", issued.json()["token"])
    assert APIClient().delete("/api/v1/auth/token/", HTTP_AUTHORIZATION=header).status_code == 204


def _empty_values(schema):
    for path, methods in schema["paths"].items():
        operation = methods.get("get")
        if operation is None or "{" in path or path.endswith("/schema/"):
            continue
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and not parameter.get("required"):
                yield path, parameter["name"], parameter.get("allowEmptyValue", False)


def test_an_empty_optional_query_parameter_is_answered_as_the_schema_says(schema, db, django_user_model):
    client = APIClient()
    client.force_authenticate(django_user_model.objects.create_user("staff", is_staff=True))
    cases = list(_empty_values(schema))
    assert len(cases) > 25
    for path, name, allowed in cases:
        query = {name: ""} | ({"q": "长江"} if path.endswith("/search/") else {})
        status = client.get(path, query).status_code
        assert status == (200 if allowed else 400), (path, name, status)
    assert ("/api/v1/places/", "page_size", False) in cases and ("/api/v1/heritage/", "level", True) in cases


def test_the_search_term_must_hold_a_visible_character(schema, db):
    q = next(p for p in schema["paths"]["/api/v1/search/"]["get"]["parameters"] if p["name"] == "q")
    assert (q["schema"]["minLength"], q["schema"]["maxLength"], q["schema"]["pattern"]) == (1, 200, r"\S")
    assert APIClient().get("/api/v1/search/", {"q": "   "}).status_code == 400


def test_lang_is_documented_as_what_it_does(schema, db):
    lang = next(p for p in schema["paths"]["/api/v1/places/"]["get"]["parameters"] if p["name"] == "lang")
    assert "enum" not in lang["schema"]  # ?lang=EN works and ?lang=fr is ignored, not refused
    assert APIClient().get("/api/v1/places/", {"lang": "fr"}).status_code == 200
    english = APIClient().get("/api/v1/places/", {"lang": "EN", "categroy": "road"}).json()
    assert "Unknown parameter" in english["categroy"][0]
