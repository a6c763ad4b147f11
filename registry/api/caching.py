"""Read responses of the public place lookups, kept per registry revision; conditional GETs.

Place lists, details and searches are public, and the same lookups repeat (map layers,
other departments' systems polling a district). Their serialized data is cached per
process, keyed by the full URL, the negotiated format and language, and the ``places``
revision: any write to places, names, heritage listings or divisions moves the revision
(``registry.freshness``), so a cached answer is never stale; a request inside a
transaction that wrote places is answered afresh and not kept. A hit skips the
filtering, the queries and the serialization; it still goes through authentication,
throttling and rendering.

The same key makes the answer's ``ETag``: a client that sends it back in
``If-None-Match`` gets a 304 before any filtering or serialization, the first time too
(nothing to rebuild: the revision says nothing changed). ``Last-Modified`` is the time
of the latest write to places, names or heritage listings (the newest audit entry),
looked up once per revision per process.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from django.utils import translation
from django.utils.http import http_date, parse_etags
from rest_framework.response import Response

from registry.freshness import PLACES, Snapshot, snapshot

_responses: OrderedDict = OrderedDict()
MAX_ENTRIES = 2000
_last_modified: dict[str, tuple[int, float | None]] = {}


def last_modified(seen: Snapshot) -> float | None:
    """Epoch seconds of the latest audited write to places, names or listings (per revision)."""
    revision = seen.places
    held = _last_modified.get("places")
    if held is not None and held[0] == revision and seen.cacheable(PLACES):
        return held[1]
    from django.db.models import Subquery

    from registry.models import HeritageListing, Place, PlaceName, Revision

    # One query: the newest audit entry of each table, through its history_date index.
    latest = {
        f"t{i}": Subquery(model.history.order_by("-history_date").values("history_date")[:1])
        for i, model in enumerate((Place, PlaceName, HeritageListing))
    }
    row = Revision.objects.filter(name="places").annotate(**latest).values_list(*latest).first() or ()
    stamps = [stamp for stamp in row if stamp is not None]
    value = max(stamps).timestamp() if stamps else None
    if seen.cacheable(PLACES):
        _last_modified["places"] = (revision, value)
    return value


def etag_for(key: tuple, revision: int) -> str:
    digest = hashlib.sha256(repr((key, revision)).encode("utf-8")).hexdigest()[:32]
    return f'"{revision}-{digest}"'


def _matches(request, etag: str) -> bool:
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header:
        return False
    wanted = parse_etags(header)
    bare = etag.removeprefix("W/")
    return "*" in wanted or any(tag.removeprefix("W/") == bare for tag in wanted)


def _stamp(response, etag: str, modified: float | None):
    response["ETag"] = etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified)
    return response


def cached(view_method):
    def wrapper(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view_method(self, request, *args, **kwargs)
        renderer = getattr(request, "accepted_renderer", None)
        key = (
            request.build_absolute_uri(),
            getattr(renderer, "format", ""),
            translation.get_language(),
            view_method.__qualname__,
        )
        seen = snapshot()
        revision = seen.places
        etag = etag_for(key, revision)
        modified = last_modified(seen)
        if _matches(request, etag):
            return _stamp(Response(status=304), etag, modified)
        if not seen.cacheable(PLACES):  # this transaction's own writes, not committed yet
            response = view_method(self, request, *args, **kwargs)
            return _stamp(response, etag, modified) if response.status_code == 200 else response
        hit = _responses.get(key)
        if hit is not None and hit[0] == revision:
            _responses.move_to_end(key)
            return _stamp(Response(hit[1]), etag, modified)
        request.registry_snapshot = seen  # read by the pagination's count: one revision query a request
        response = view_method(self, request, *args, **kwargs)
        if response.status_code == 200:
            _responses[key] = (revision, response.data)
            while len(_responses) > MAX_ENTRIES:
                _responses.popitem(last=False)
            _stamp(response, etag, modified)
        return response

    wrapper.__name__ = view_method.__name__
    wrapper.__doc__ = view_method.__doc__
    wrapper.__wrapped__ = view_method
    return wrapper
