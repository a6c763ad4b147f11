"""Output formats beyond JSON: GeoJSON (RFC 7946), Linked Places Format, CSV.

Each renderer reshapes what the serializers produced, so every format carries the
same fields: a list is a page of places (``results``), a detail one place.
"""
from __future__ import annotations

import csv
import io
import json

from rest_framework.renderers import BaseRenderer, JSONRenderer

from registry.partial_dates import parse

LPF_CONTEXT = "https://raw.githubusercontent.com/LinkedPasts/linked-places/master/linkedplaces-context-v1.1.jsonld"
# Linked Places / GeoNames feature classes: H water, R roads and routes, S spots and
# buildings, P populated places, A administrative units.
FEATURE_CLASSES = {"road": "R", "bridge": "R", "water": "H", "building": "S", "residential": "P", "town": "A",
                   "village": "P"}
_PAGE_KEYS = ("count", "next", "previous")


def _geometry(place: dict) -> dict | None:
    if place.get("geometry"):
        return place["geometry"]
    if place.get("longitude") is not None and place.get("latitude") is not None:
        return {"type": "Point", "coordinates": [place["longitude"], place["latitude"]]}
    return None


def _feature(place: dict) -> dict:
    properties = {k: v for k, v in place.items() if k not in ("geometry", "longitude", "latitude")}
    return {"type": "Feature", "id": place.get("code"), "geometry": _geometry(place), "properties": properties}


def _is_list(data) -> bool:
    return isinstance(data, dict) and "results" in data and isinstance(data["results"], list)


def _is_error(data) -> bool:
    return not isinstance(data, dict) or ("code" not in data and not _is_list(data))


class GeoJSONRenderer(JSONRenderer):
    """``?format=geojson`` or ``Accept: application/geo+json``: Feature / FeatureCollection."""

    media_type = "application/geo+json"
    format = "geojson"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if _is_list(data):
            data = {"type": "FeatureCollection", "features": [_feature(p) for p in data["results"]],
                    **{k: data[k] for k in _PAGE_KEYS if k in data}}
        elif not _is_error(data):
            data = _feature(data)
        return super().render(data, accepted_media_type, renderer_context)


def _timespan(start: str, end: str) -> dict | None:
    span = {}
    if start:
        span["start"] = {"in": start}
    if end:
        span["end"] = {"in": end}
    return span or None


def _lpf_feature(place: dict, base_url: str) -> dict:
    names = []
    for name in place.get("names", []):
        entry = {"toponym": name["name"], "lang": "zh",
                 "citations": [{"label": name.get("decision_document") or name.get("source") or "地名登记"}]}
        span = _timespan(name.get("valid_from", ""), name.get("valid_to", ""))
        if span:
            entry["when"] = {"timespans": [span]}
        names.append(entry)
        if name.get("pinyin"):
            names.append({**entry, "toponym": name["pinyin"], "lang": "zh-Latn-pinyin"})
    starts = [parse(n["valid_from"]) for n in place.get("names", []) if n.get("valid_from")]
    feature = {
        "@id": f"{base_url}{place['code']}/",
        "type": "Feature",
        "properties": {"title": place["name"], "ccodes": ["CN"], "fclasses": [FEATURE_CLASSES.get(place["category"], "S")]},
        "names": names or [{"toponym": place["name"], "lang": "zh", "citations": [{"label": "地名登记"}]}],
        "types": [{"identifier": f"registry:{place['category']}", "label": place["category"]}],
        "geometry": _geometry(place),
        "relations": [{"relationType": "gvp:broaderPartitive", "relationTo": f"division:{place['division']}",
                       "label": place.get("division_name", "")}],
    }
    if starts:
        feature["when"] = {"timespans": [{"start": {"in": str(min(starts, key=lambda d: d.first_key))}}]}
    if place.get("origin"):
        feature["descriptions"] = [{"value": place["origin"], "lang": "zh"}]
    return feature


class LinkedPlacesRenderer(JSONRenderer):
    """``?format=lpf``: Linked Places Format (GeoJSON-LD with dated, cited names) for historical gazetteers."""

    media_type = "application/ld+json"
    format = "lpf"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        request = (renderer_context or {}).get("request")
        base = request.build_absolute_uri("/api/v1/places/") if request else "/api/v1/places/"
        if _is_list(data):
            data = {"@context": LPF_CONTEXT, "type": "FeatureCollection",
                    "features": [_lpf_feature(p, base) for p in data["results"]],
                    **{k: data[k] for k in _PAGE_KEYS if k in data}}
        elif not _is_error(data):
            data = {"@context": LPF_CONTEXT, **_lpf_feature(data, base)}
        return super().render(data, accepted_media_type, renderer_context)


class CSVRenderer(BaseRenderer):
    """``?format=csv``: the rows of a list page as CSV (UTF-8 with BOM, for Excel)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if _is_list(data):
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        else:
            rows = [data]
        out = io.StringIO()
        out.write("\ufeff")
        if rows and isinstance(rows[0], dict):
            writer = csv.DictWriter(out, fieldnames=list(rows[0]), extrasaction="ignore")
            writer.writeheader()
            for row in rows:
                writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v
                                 for k, v in row.items()})
        return out.getvalue().encode("utf-8")
