"""OpenAPI schema details that drf-spectacular cannot infer.

- Every operation documents its error answers (400, 401, 403, 404, 405, 406, 429; 413
  and 415 for bodies; 409 for writes), each a JSON object naming the field or giving
  ``detail``; reads document their 304 (conditional requests).
- Every operation documents ``lang`` and ``Accept-Language``; the token endpoint says
  it needs no authentication.
- Place lists and details document each output format with its own shape: JSON,
  GeoJSON (Feature / FeatureCollection), Linked Places (GeoJSON-LD) and CSV.
"""
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

ERROR = {
    "type": "object",
    "description": "The problem: {\"field\": [\"message\", …]} or {\"detail\": \"message\"}.",
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
    OpenApiParameter("lang", OpenApiTypes.STR, enum=["zh-hans", "en"], required=False,
                     description="Language of messages and labels (default Chinese); overrides Accept-Language."),
    OpenApiParameter("Accept-Language", OpenApiTypes.STR, location=OpenApiParameter.HEADER, required=False,
                     description="zh-hans (default) or en."),
]

GEOMETRY = {"type": "object", "nullable": True, "additionalProperties": True,
            "description": "A GeoJSON geometry (Point, LineString, …) or null."}
FEATURE = {
    "type": "object", "required": ["type", "geometry", "properties"],
    "properties": {"type": {"type": "string", "enum": ["Feature"]}, "id": {"type": "string"},
                   "geometry": GEOMETRY, "properties": {"type": "object", "additionalProperties": True}},
}
FEATURE_COLLECTION = {
    "type": "object", "required": ["type", "features"],
    "properties": {"type": {"type": "string", "enum": ["FeatureCollection"]},
                   "features": {"type": "array", "items": FEATURE},
                   "count": {"type": "integer"}, "next": {"type": "string", "nullable": True},
                   "previous": {"type": "string", "nullable": True},
                   "links": {"type": "array", "description": "Paging links (OGC API – Features): rel self, "
                             "next, prev.", "items": {
                                 "type": "object", "required": ["href", "rel"],
                                 "properties": {"href": {"type": "string"}, "rel": {"type": "string"},
                                                "type": {"type": "string"}}}}},
}
LPF_FEATURE = {
    "type": "object", "required": ["@id", "type", "properties", "names", "geometry"],
    "properties": {"@id": {"type": "string"},
                   "type": {"type": "string", "enum": ["Feature"]},
                   "properties": {"type": "object", "additionalProperties": True},
                   "names": {"type": "array", "items": {"type": "object", "additionalProperties": True}},
                   "geometry": {"type": "object", "additionalProperties": True,
                                "description": "A GeoJSON geometry; an empty GeometryCollection where the "
                                               "place is not located."}},
    "additionalProperties": True,
}
LPF_COLLECTION = {
    "type": "object", "required": ["type", "features"],
    "properties": {"@context": {"type": "string"}, "type": {"type": "string", "enum": ["FeatureCollection"]},
                   "features": {"type": "array", "items": LPF_FEATURE}},
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
            responses.setdefault(code, {
                "content": {"application/json": {"schema": ERROR}}, "description": description,
            })
        if self.method == "GET":
            responses.setdefault("304", {"description": "Not modified: the ETag (If-None-Match) or the time "
                                                        "(If-Modified-Since) still matches."})
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
