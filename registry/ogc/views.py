"""OGC API – Features, Part 1 Core (OGC 17-069r4), with the GeoJSON and HTML encodings.

A GIS client (QGIS, GDAL's OAPIF driver, a provincial platform) starts at the landing
page, follows ``rel=data`` to the collections and each collection's ``items`` link,
then ``rel=next`` from page to page. Every answer is JSON unless the client asks for
HTML (``f=html`` or a browser's ``Accept: text/html``). Items take ``bbox``
(minlon,minlat,maxlon,maxlat in CRS84, on each place's representative point:
``registry.spatial``), ``limit`` (1–1000, default 10), ``offset`` and ``datetime`` (a
day: each feature carries the name it bore that day, ``registry.timetravel``; places
with no name known then are left out). A parameter the API does not define is a 400,
as the standard requires (/req/core/query-param-unknown).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.ogc.collections import COLLECTIONS
from registry.spatial import SpatialQueryError, parse_bbox
from registry.timetravel import parse_as_of, places_as_of

GEOJSON = "application/geo+json"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
]
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
DEFAULT_LIMIT, MAX_LIMIT = 10, 1000
ITEM_PARAMETERS = {"f", "bbox", "limit", "offset", "datetime"}


class BadParameter(ValueError):
    """A query parameter the client got wrong: answered 400 with the standard's exception body."""


def _html(request) -> bool:
    chosen = request.GET.get("f")
    if chosen in ("html", "json"):
        return chosen == "html"
    accept = request.headers.get("Accept", "")
    return "text/html" in accept and "json" not in accept.split("text/html")[0]


def _url(request, path: str, **query) -> str:
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return request.build_absolute_uri(path) + ("?" + urlencode(query) if query else "")


def _links(request, path: str, title: str, **query) -> list[dict]:
    return [
        {"href": _url(request, path, f="json", **query), "rel": "self", "type": "application/json", "title": title},
        {"href": _url(request, path, f="html", **query), "rel": "alternate", "type": "text/html", "title": title},
    ]


def _answer(request, data: dict, *, content_type: str = "application/json", status: int = 200):
    if _html(request):
        heading = (
            data.get("title") or (data.get("properties") or {}).get("name") or data.get("id") or "OGC API – Features"
        )
        # In a browser, following a link stays in HTML; the machine encoding is offered beside it.
        links = [
            {**link, "page": link["href"].replace("f=json", "f=html")}
            for link in data.get("links", [])
            if link["rel"] != "alternate"
        ]
        return render(
            request, "ogc/page.html", {"data": data, "heading": heading, "links": links, "nav": ""}, status=status
        )
    return JsonResponse(
        data, status=status, content_type=f"{content_type}; charset=utf-8", json_dumps_params={"ensure_ascii": False}
    )


def _refuse(request, message: str, status: int = 400):
    code = "InvalidParameterValue" if status == 400 else "NotFound"
    return JsonResponse(
        {"code": code, "description": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def landing(request):
    data = {
        "title": _("Hefei place-name registry"),
        "description": _("Standard place names of Hefei with their names history, as OGC API – Features."),
        "links": [
            *_links(request, "/ogc/", _("This document")),
            {
                "href": _url(request, "/ogc/conformance", f="json"),
                "rel": "conformance",
                "type": "application/json",
                "title": _("Conformance classes"),
            },
            {
                "href": _url(request, "/ogc/collections", f="json"),
                "rel": "data",
                "type": "application/json",
                "title": _("Collections"),
            },
            {
                "href": request.build_absolute_uri("/api/v1/schema/"),
                "rel": "service-doc",
                "type": "application/vnd.oai.openapi+json;version=3.0",
                "title": _("The registry's REST API"),
            },
        ],
    }
    return _answer(request, data)


def conformance(request):
    return _answer(
        request,
        {
            "title": _("Conformance classes"),
            "conformsTo": CONFORMANCE,
            "links": _links(request, "/ogc/conformance", _("Conformance classes")),
        },
    )


def _collection(request, collection) -> dict:
    items = f"/ogc/collections/{collection.id}/items"
    data = {
        "id": collection.id,
        "title": str(collection.title),
        "description": str(collection.description),
        "itemType": "feature",
        "crs": [CRS84],
        "links": [
            *_links(request, f"/ogc/collections/{collection.id}", str(collection.title)),
            {"href": _url(request, items, f="json"), "rel": "items", "type": GEOJSON, "title": str(collection.title)},
            {
                "href": _url(request, items, f="html"),
                "rel": "items",
                "type": "text/html",
                "title": str(collection.title),
            },
        ],
    }
    extent = collection.extent()
    if extent is not None:
        data["extent"] = {"spatial": {"bbox": [extent], "crs": CRS84}}
    return data


def collections(request):
    data = {
        "title": _("Collections"),
        "links": _links(request, "/ogc/collections", _("Collections")),
        "collections": [_collection(request, c) for c in COLLECTIONS.values()],
    }
    return _answer(request, data)


def _find(collection_id: str):
    collection = COLLECTIONS.get(collection_id)
    if collection is None:
        raise Http404(collection_id)
    return collection


def collection(request, collection_id: str):
    return _answer(request, _collection(request, _find(collection_id)))


def _whole(raw: str | None, name: str, default: int, low: int, high: int | None = None) -> int:
    if raw in (None, ""):
        return default
    if not raw.isdigit():
        raise BadParameter(_("%(name)s must be a whole number.") % {"name": name})
    value = int(raw)
    if value < low:
        raise BadParameter(_("%(name)s must be at least %(low)s.") % {"name": name, "low": low})
    return min(value, high) if high is not None else value


def _day_key(raw: str) -> int:
    """The day of ``datetime``: a date or an RFC 3339 date-time (its date in the registry's time zone)."""
    if "/" in raw:
        raise BadParameter(
            _(
                "datetime: give one day (e.g. 2020-05-01); intervals are not supported, because a "
                "feature's name is answered for one day."
            )
        )
    text = raw.strip()
    if "T" in text or "t" in text:
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            raise BadParameter(
                _("datetime: “%(value)s” is not an RFC 3339 date-time.") % {"value": text[:40]}
            ) from None
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        text = moment.date().isoformat()
    try:
        return parse_as_of(text)
    except ValidationError as exc:
        raise BadParameter("datetime: " + " ".join(exc.messages)) from None


def _item_query(request) -> dict:
    unknown = sorted(set(request.GET) - ITEM_PARAMETERS)
    if unknown:
        raise BadParameter(_("Unknown query parameter: %(names)s.") % {"names": ", ".join(unknown)})
    query = {
        "limit": _whole(request.GET.get("limit"), "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        "offset": _whole(request.GET.get("offset"), "offset", 0, 0),
        "bbox": None,
        "day": None,
    }
    if request.GET.get("bbox"):
        try:
            query["bbox"] = parse_bbox(request.GET["bbox"])
        except SpatialQueryError as exc:
            raise BadParameter(str(exc)) from None
    if request.GET.get("datetime"):
        query["day"] = _day_key(request.GET["datetime"])
    return query


def items(request, collection_id: str):
    collection = _find(collection_id)
    try:
        query = _item_query(request)
    except BadParameter as exc:
        return _refuse(request, str(exc))
    places = collection.places()
    if query["bbox"] is not None:
        places = places.filter(query["bbox"].condition())
    if query["day"] is not None:
        places = places_as_of(places, query["day"])
    places = places.order_by("code")
    matched = places.count()
    page = list(places[query["offset"] : query["offset"] + query["limit"]])
    data = {
        "type": "FeatureCollection",
        "title": str(collection.title),
        "features": [collection.feature(p) for p in page],
        "numberMatched": matched,
        "numberReturned": len(page),
        "timeStamp": timezone.now().replace(microsecond=0).isoformat(),
        "links": _page_links(request, collection, query, matched),
    }
    return _answer(request, data, content_type=GEOJSON)


def _page_links(request, collection, query: dict, matched: int) -> list[dict]:
    path = f"/ogc/collections/{collection.id}/items"
    keep = {k: request.GET.get(k) for k in ("bbox", "datetime")}
    limit, offset = query["limit"], query["offset"]
    links = [
        {
            "href": _url(request, path, f="json", limit=limit, offset=offset or None, **keep),
            "rel": "self",
            "type": GEOJSON,
            "title": _("This page"),
        },
        {
            "href": _url(request, path, f="html", limit=limit, offset=offset or None, **keep),
            "rel": "alternate",
            "type": "text/html",
            "title": _("This page"),
        },
        {
            "href": _url(request, f"/ogc/collections/{collection.id}", f="json"),
            "rel": "collection",
            "type": "application/json",
            "title": str(collection.title),
        },
    ]
    if offset + limit < matched:
        links.append(
            {
                "href": _url(request, path, f="json", limit=limit, offset=offset + limit, **keep),
                "rel": "next",
                "type": GEOJSON,
                "title": _("Next page"),
            }
        )
    if offset > 0:
        links.append(
            {
                "href": _url(request, path, f="json", limit=limit, offset=max(offset - limit, 0) or None, **keep),
                "rel": "prev",
                "type": GEOJSON,
                "title": _("Previous page"),
            }
        )
    return links


def item(request, collection_id: str, feature_id: str):
    collection = _find(collection_id)
    unknown = sorted(set(request.GET) - {"f"})
    if unknown:
        return _refuse(request, _("Unknown query parameter: %(names)s.") % {"names": ", ".join(unknown)})
    place = collection.places().filter(code=feature_id[:40]).first()
    if place is None:
        return _refuse(request, _("No feature “%(id)s” in this collection.") % {"id": feature_id[:40]}, status=404)
    data = collection.feature(place)
    data["links"] = [
        *_links(request, f"/ogc/collections/{collection.id}/items/{place.code}", place.name),
        {
            "href": _url(request, f"/ogc/collections/{collection.id}", f="json"),
            "rel": "collection",
            "type": "application/json",
            "title": str(collection.title),
        },
    ]
    return _answer(request, data, content_type=GEOJSON)
