"""Output formats beyond JSON: GeoJSON (RFC 7946), Linked Places Format, CSV.

Each renderer reshapes what the serializers produced, so every format carries the
same fields: a list is a page of places (``results``), a detail one place.
"""

from __future__ import annotations

import csv
import io
import json

from django.conf import settings
from django.utils.translation import gettext
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.utils.urls import replace_query_param

from registry.partial_dates import parse

LPF_CONTEXT = "https://raw.githubusercontent.com/LinkedPasts/linked-places/master/linkedplaces-context-v1.1.jsonld"
# Linked Places / GeoNames feature classes: H water, R roads and routes, S spots and
# buildings, P populated places, A administrative units.
FEATURE_CLASSES = {
    "road": "R",
    "bridge": "R",
    "water": "H",
    "building": "S",
    "residential": "P",
    "town": "A",
    "village": "P",
}
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
            data = {
                "type": "FeatureCollection",
                "features": [_feature(p) for p in data["results"]],
                **{k: data[k] for k in _PAGE_KEYS if k in data},
                "links": _links(data, renderer_context),
            }
        elif not _is_error(data):
            data = _feature(data)
        return super().render(data, accepted_media_type, renderer_context)


def _links(page: dict, renderer_context) -> list[dict]:
    """OGC API – Features style paging links (``rel`` next / prev), as GDAL and map clients follow them.

    Each link asks for GeoJSON explicitly, so a page negotiated by Accept leads to GeoJSON pages.
    """
    request = (renderer_context or {}).get("request")
    links = []
    if request is not None:
        links.append(
            {
                "href": replace_query_param(request.build_absolute_uri(), "format", "geojson"),
                "rel": "self",
                "type": GeoJSONRenderer.media_type,
            }
        )
    for key, rel in (("next", "next"), ("previous", "prev")):
        if page.get(key):
            links.append(
                {
                    "href": replace_query_param(page[key], "format", "geojson"),
                    "rel": rel,
                    "type": GeoJSONRenderer.media_type,
                }
            )
    return links


def geojson_chunks(places, serializer_class, chunk_size: int = 500):
    """The whole registry as one GeoJSON FeatureCollection, yielded as UTF-8 chunks of features.

    Places are read with ``iterator()`` and serialized a chunk at a time, so memory stays
    flat however many places there are (StreamingHttpResponse sends each chunk at once).
    """
    yield b'{"type":"FeatureCollection","features":[\n'
    batch, first = [], True
    for place in places.iterator(chunk_size=chunk_size):
        batch.append(place)
        if len(batch) == chunk_size:
            yield _chunk(batch, serializer_class, first)
            batch, first = [], False
    if batch:
        yield _chunk(batch, serializer_class, first)
    yield b"\n]}\n"


def _chunk(batch, serializer_class, first: bool) -> bytes:
    features = (
        json.dumps(_feature(row), ensure_ascii=False, separators=(",", ":"))
        for row in serializer_class(batch, many=True).data
    )
    return (("" if first else ",\n") + ",\n".join(features)).encode("utf-8")


def uri_base() -> str:
    """The registry's permanent URI base (``REGISTRY_URI_BASE``), never the request's host.

    A Linked Places ``@id`` must be a unique and permanent URI; a host and port taken from
    the request change with every deployment, proxy and test client.
    """
    base = getattr(settings, "REGISTRY_URI_BASE", "") or "https://example.invalid/placenames/"
    return base if base.endswith("/") else base + "/"


def place_uri(code: str) -> str:
    return f"{uri_base()}places/{code}"


def division_uri(code: str) -> str:
    return f"{uri_base()}divisions/{code}"


# Place types as Getty AAT concepts, from World Historical Gazetteer's supported subset
# (LinkedPasts/linked-places-format, feature-types-AAT_20230609.tsv); ``aat:`` is defined
# by the Linked Places context.
AAT_TYPES = {
    "road": ("aat:300008217", "roads"),
    "bridge": ("aat:300007836", "bridges"),
    "water": ("aat:300266059", "bodies of water (natural)"),
    "building": ("aat:300004790", "single built works"),
    "residential": ("aat:300000742", "residential districts"),
    "town": ("aat:300008375", "towns"),
    "village": ("aat:300008372", "villages"),
}
# An unlocated place: LPF's schema wants a geometry object, GeoJSON a geometry member;
# an empty GeometryCollection is valid for both (RFC 7946 §3.1.8).
NO_GEOMETRY = {"type": "GeometryCollection", "geometries": []}


def _timespan(start: str, end: str) -> dict | None:
    """An LPF timespan always has a start: a name known only to have ended began at the latest then."""
    if start:
        span = {"start": {"in": start}}
        if end:
            span["end"] = {"in": end}
        return span
    if end:
        return {"start": {"latest": end}, "end": {"in": end}}
    return None


def _year(value) -> int | None:
    date = parse(value) if value else None
    return date.year if date else None


def _citation(name: dict, place: dict) -> dict | None:
    """The record's own source (decision document, name source, place source); a year only when known."""
    label = name.get("decision_document") or name.get("source") or place.get("source") or ""
    if not label.strip():
        return None
    citation = {"label": label.strip()}
    # The decision's date dates the decision document; other sources' years are not recorded.
    year = _year(name.get("decision_date")) if name.get("decision_document") else None
    if year is not None:
        citation["year"] = year
    return citation


def _category_label(category: str) -> str:
    from registry.choices import Category

    try:
        return str(Category(category).label)
    except ValueError:
        return category


def _lpf_names(place: dict) -> tuple[list[dict], list]:
    """The place's names as LPF name entries (Hanzi, then pinyin), and every date they carry."""
    names, dates = [], []
    for name in place.get("names", []):
        entry = {"toponym": name["name"], "lang": "zh"}
        citation = _citation(name, place)
        if citation:
            entry["citations"] = [citation]
        span = _timespan(name.get("valid_from", ""), name.get("valid_to", ""))
        if span:
            entry["when"] = {"timespans": [span]}
        names.append(entry)
        if name.get("pinyin"):
            names.append({**entry, "toponym": name["pinyin"], "lang": "zh-Latn-pinyin"})
        dates += [d for d in (parse(name.get("valid_from")), parse(name.get("decision_date"))) if d]
    if not any("citations" in n for n in names) and place.get("source"):
        names.insert(0, {"toponym": place["name"], "lang": "zh", "citations": [{"label": place["source"]}]})
    if not names:
        names = [{"toponym": place["name"], "lang": "zh"}]
    return names, dates


def _lpf_when(place: dict, dates: list) -> dict | None:
    dates = dates + [d for d in (parse(place.get("approval_date")), parse(place.get("announcement_date"))) if d]
    if dates:
        # The earliest evidence of the place: its first dated name or decision, or its approval.
        return {"timespans": [{"start": {"in": str(min(dates, key=lambda d: d.first_key))}}]}
    if place.get("recorded"):
        # LPF wants a when on every feature; with no dated evidence, all that is known is
        # that the place existed at the latest on the day the registry recorded it.
        return {
            "timespans": [{"start": {"latest": str(place["recorded"])[:10]}}],
            "label": gettext("existed by the day the registry recorded it"),
        }
    return None


def _lpf_feature(place: dict) -> dict:
    """One place as a Linked Places (v1.2.2) Feature, without ``@context`` (that is the collection's)."""
    names, dates = _lpf_names(place)
    identifier, aat_label = AAT_TYPES.get(place["category"], ("aat:300004790", "single built works"))
    feature = {
        "@id": place_uri(place["code"]),
        "type": "Feature",
        "properties": {
            "title": place["name"],
            "ccodes": ["CN"],
            "fclasses": [FEATURE_CLASSES.get(place["category"], "S")],
        },
        "names": names,
        "types": [
            {
                "identifier": identifier,
                "label": aat_label,
                "sourceLabels": [{"label": _category_label(place["category"]), "lang": "zh"}],
            }
        ],
        "geometry": _geometry(place) or NO_GEOMETRY,
        "relations": [
            {
                "relationType": "gvp:broaderPartitive",
                "relationTo": division_uri(place["division"]),
                "label": place.get("division_name") or place["division"],
            }
        ],
    }
    when = _lpf_when(place, dates)
    if when:
        feature["when"] = when
    if place.get("origin"):
        feature["descriptions"] = [{"value": place["origin"], "lang": "zh"}]
    return feature


class LinkedPlacesRenderer(JSONRenderer):
    """``?format=lpf``: Linked Places Format (GeoJSON-LD with dated, cited names) for historical gazetteers.

    Always a FeatureCollection carrying ``@context``, a detail too (a collection of one):
    LPF's schema forbids any member of a Feature it does not define, ``@context`` included.
    """

    media_type = "application/ld+json"
    format = "lpf"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if _is_list(data):
            data = {
                "@context": LPF_CONTEXT,
                "type": "FeatureCollection",
                "features": [_lpf_feature(p) for p in data["results"]],
                **{k: data[k] for k in _PAGE_KEYS if k in data},
            }
        elif not _is_error(data):
            data = {"@context": LPF_CONTEXT, "type": "FeatureCollection", "features": [_lpf_feature(data)]}
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
                writer.writerow(
                    {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v for k, v in row.items()}
                )
        return out.getvalue().encode("utf-8")
