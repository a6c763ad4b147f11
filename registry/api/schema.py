"""OpenAPI schema details that drf-spectacular cannot infer.

- Every operation documents its error answers (400, 401, 403, 404, 405, 406, 429; 413
  and 415 for bodies; 409 for writes), each a JSON object naming the field or giving
  ``detail``; reads document their 304 (conditional requests).
- Every operation documents ``lang`` and ``Accept-Language``; the token endpoint says
  it needs no authentication.
- Place lists and details document each output format with its own shape: JSON,
  GeoJSON (Feature / FeatureCollection), Linked Places (GeoJSON-LD) and CSV.
- Optional query parameters say that an empty value means "not given" (``allowEmptyValue``,
  as the API treats ``?level=``), except ``page_size``, which refuses it; the search term
  says it must hold a character that is not white space.
- OpenAPI ``links`` say which answer feeds which request (a new proposal's ``id`` to its
  workflow steps, a list row's ``code`` to its detail, a token to its revocation), so a
  client generator or a stateful fuzzer (schemathesis) can chain calls with real values.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

ERROR = {
    "type": "object",
    "description": 'The problem: {"field": ["message", …]} or {"detail": "message"}.',
    "additionalProperties": True,
}
ERROR_CODES = {
    "400": "Bad request",
    "401": "Not authenticated",
    "403": "Not allowed",
    "404": "Not found",
    "405": "Method not allowed",
    "406": "Not acceptable (no format matches the Accept header or ?format=)",
    "414": "URI too long (refused by the HTTP server before the application)",
    "429": "Too many requests (anonymous clients are throttled)",
    "503": "The database is busy or unavailable for a moment: retry after Retry-After seconds",
}
BODY_ERROR_CODES = {
    "413": "Request body too large (DATA_UPLOAD_MAX_MEMORY_SIZE)",
    "415": "Unsupported media type (send application/json)",
}
WRITE_ERROR_CODES = {"409": "Conflict"}
LANGUAGE_PARAMETERS = [
    # No enum: the switch reads zh-hans or en in any case and ignores any other value (then
    # Accept-Language decides), so ``?lang=EN`` and ``?lang=fr`` are answered, not refused.
    OpenApiParameter(
        "lang",
        OpenApiTypes.STR,
        required=False,
        description="Language of messages and labels: zh-hans (default) or en, in any case; "
        "overrides Accept-Language. Any other value is ignored.",
    ),
    OpenApiParameter(
        "Accept-Language",
        OpenApiTypes.STR,
        location=OpenApiParameter.HEADER,
        required=False,
        description="zh-hans (default) or en.",
    ),
]

GEOMETRY = {
    "type": "object",
    "nullable": True,
    "additionalProperties": True,
    "description": "A GeoJSON geometry (Point, LineString, …) or null.",
}
FEATURE = {
    "type": "object",
    "required": ["type", "geometry", "properties"],
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "id": {"type": "string"},
        "geometry": GEOMETRY,
        "properties": {"type": "object", "additionalProperties": True},
    },
}
FEATURE_COLLECTION = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": FEATURE},
        "count": {"type": "integer"},
        "next": {"type": "string", "nullable": True},
        "previous": {"type": "string", "nullable": True},
        "links": {
            "type": "array",
            "description": "Paging links (OGC API – Features): rel self, next, prev.",
            "items": {
                "type": "object",
                "required": ["href", "rel"],
                "properties": {"href": {"type": "string"}, "rel": {"type": "string"}, "type": {"type": "string"}},
            },
        },
    },
}
LPF_FEATURE = {
    "type": "object",
    "required": ["@id", "type", "properties", "names", "geometry"],
    "properties": {
        "@id": {"type": "string"},
        "type": {"type": "string", "enum": ["Feature"]},
        "properties": {"type": "object", "additionalProperties": True},
        "names": {"type": "array", "items": {"type": "object", "additionalProperties": True}},
        "geometry": {
            "type": "object",
            "additionalProperties": True,
            "description": "A GeoJSON geometry; an empty GeometryCollection where the place is not located.",
        },
    },
    "additionalProperties": True,
}
LPF_COLLECTION = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "@context": {"type": "string"},
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": LPF_FEATURE},
    },
    "additionalProperties": True,
}
CSV = {"type": "string", "description": "CSV (UTF-8 with BOM), one row per place."}


def place_responses(json_serializer, many: bool) -> dict:
    return {
        (200, "application/json"): json_serializer,
        (200, "application/geo+json"): OpenApiResponse(FEATURE_COLLECTION if many else FEATURE),
        # A detail too is a collection (of one): LPF's schema allows no @context on a Feature.
        (200, "application/ld+json"): OpenApiResponse(LPF_COLLECTION),
        (200, "text/csv"): OpenApiResponse(CSV),
    }


class RegistryAutoSchema(AutoSchema):
    def get_override_parameters(self):
        return [*super().get_override_parameters(), *LANGUAGE_PARAMETERS]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = dict(ERROR_CODES)
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes.update(WRITE_ERROR_CODES)
            codes.update(BODY_ERROR_CODES)
        for code, description in codes.items():
            responses.setdefault(
                code,
                {
                    "content": {"application/json": {"schema": ERROR}},
                    "description": description,
                },
            )
        if self.method == "GET":
            responses.setdefault(
                "304",
                {
                    "description": "Not modified: the ETag (If-None-Match) or the time "
                    "(If-Modified-Since) still matches."
                },
            )
        return responses


def format_schemas_hook(result, generator, request, public):
    """drf-spectacular wraps every media type of a paginated list in the page envelope;
    GeoJSON, Linked Places and CSV lists are not enveloped, so say what they really are."""
    token = result.get("paths", {}).get("/api/v1/auth/token/", {}).get("post")
    if token is not None:
        token["security"] = []  # no authentication needed (a stale token sent along is ignored)
    operation = result.get("paths", {}).get("/api/v1/places/", {}).get("get")
    if operation:
        content = operation["responses"]["200"]["content"]
        content["application/geo+json"] = {"schema": FEATURE_COLLECTION}
        content["application/ld+json"] = {"schema": LPF_COLLECTION}
        content["text/csv"] = {"schema": CSV}
    return result


# Query parameters the API refuses empty (a page size must be a whole number from 1 to 200).
EMPTY_REFUSED = frozenset({"page_size"})
SEARCH_TERM = {"minLength": 1, "maxLength": 200, "pattern": r"\S"}


def query_parameters_hook(result, generator, request, public):
    """An empty optional query parameter is the same as leaving it out (django-filter, DRF's
    ``format``, ``lang``, ``as_of``, ``page``): say so, so that clients and fuzzers know
    ``?level=`` is not an error; the search term cannot be empty or white space only."""
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") != "query":
                    continue
                if not parameter.get("required") and parameter["name"] not in EMPTY_REFUSED:
                    parameter["allowEmptyValue"] = True
    search = result.get("paths", {}).get("/api/v1/search/", {}).get("get")
    for parameter in (search or {}).get("parameters", []):
        if parameter["name"] == "q" and parameter.get("in") == "query":
            parameter["schema"].update(SEARCH_TERM)
    return result


def _link(operation_id: str, description: str, **parameters: str) -> dict:
    return {"operationId": operation_id, "description": description, "parameters": parameters}


PROPOSAL_ID = "$response.body#/id"
WORKFLOW_STEPS = (
    "submit",
    "start_review",
    "return_for_revision",
    "start_notice",
    "object",
    "approve",
    "reject",
    "withdraw",
)


def _proposal_links() -> dict:
    links = {"RetrieveProposal": _link("proposals_retrieve", "The proposal just written.", id=PROPOSAL_ID)}
    for step in WORKFLOW_STEPS:
        name = "".join(part.title() for part in step.split("_"))
        links[name] = _link(f"proposals_{step}", f"Take the “{step}” step of this proposal.", id=PROPOSAL_ID)
    return links


RESPOND = {
    "RespondToObjection": _link(
        "proposals_objection_respond",
        "Answer the objection just recorded.",
        id=PROPOSAL_ID,
        objection_id="$response.body#/objections/0/id",
    )
}


def _first_row(field: str) -> str:
    return f"$response.body#/results/0/{field}"


#: operationId → status → links of that answer.
LINKS = {
    "proposals_create": {"201": _proposal_links()},
    **{f"proposals_{step}": {"200": _proposal_links()} for step in WORKFLOW_STEPS},
    "proposals_object": {"200": {**_proposal_links(), **RESPOND}},  # only an objection has one to answer
    "proposals_objection_respond": {"200": _proposal_links()},
    "proposals_list": {
        "200": {"RetrieveProposal": _link("proposals_retrieve", "The first proposal listed.", id=_first_row("id"))}
    },
    "places_list": {
        "200": {
            "RetrievePlace": _link("places_retrieve", "The first place listed.", code=_first_row("code")),
            "ListNames": _link("places_names_list", "The first place's names.", code=_first_row("code")),
        }
    },
    "places_retrieve": {
        "200": {"ListNames": _link("places_names_list", "This place's names history.", code="$response.body#/code")}
    },
    "search_retrieve": {"200": {"RetrievePlace": _link("places_retrieve", "The best hit.", code=_first_row("code"))}},
    "heritage_list": {
        "200": {"RetrieveListing": _link("heritage_retrieve", "The first listing.", id=_first_row("id"))}
    },
    "heritage_retrieve": {
        "200": {"RetrievePlace": _link("places_retrieve", "The listed place.", code="$response.body#/place")}
    },
    "divisions_list": {
        "200": {"RetrieveDivision": _link("divisions_retrieve", "The first division listed.", code=_first_row("code"))}
    },
    "divisions_retrieve": {
        "200": {"ListPlaces": _link("places_list", "The places of this division.", division="$response.body#/code")}
    },
    **{
        operation: {
            status: {
                "RetrieveBankEntry": _link(
                    "name_bank_retrieve", "The bank entry just written.", id="$response.body#/id"
                ),
                "EditBankEntry": _link(
                    "name_bank_partial_update", "Edit the bank entry just written.", id="$response.body#/id"
                ),
            }
        }
        for operation, status in (("name_bank_create", "201"), ("name_bank_partial_update", "200"))
    },
    "name_bank_list": {
        "200": {"RetrieveBankEntry": _link("name_bank_retrieve", "The first bank entry listed.", id=_first_row("id"))}
    },
    "auth_token_create": {
        "200": {
            "RevokeToken": _link(
                "auth_token_destroy",
                "Log out: revoke the token just issued.",
                **{"header.Authorization": "Token {$response.body#/token}"},
            )
        }
    },
}


def links_hook(result, generator, request, public):
    """Add the OpenAPI links of ``LINKS`` to the answers they start from."""
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            for status, links in LINKS.get(operation.get("operationId"), {}).items():
                response = operation.get("responses", {}).get(status)
                if response is not None:
                    response.setdefault("links", {}).update(links)
    return result
