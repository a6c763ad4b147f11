"""Read responses of the public place lookups, kept per registry revision.

Place lists, details and searches are public, and the same lookups repeat (map layers,
other departments' systems polling a district). Their serialized data is cached per
process, keyed by the full URL, the negotiated format and language, and the ``places``
revision: any write to places, names or heritage listings moves the revision, so a
cached answer is never stale. A hit skips the filtering, the queries and the
serialization; it still goes through authentication, throttling and rendering.
"""
from __future__ import annotations

from collections import OrderedDict

from django.db import connection
from django.utils import translation
from rest_framework.response import Response

from registry.revisions import current

_responses: OrderedDict = OrderedDict()
MAX_ENTRIES = 2000


def cached(view_method):
    def wrapper(self, request, *args, **kwargs):
        if request.method != "GET" or connection.in_atomic_block:
            return view_method(self, request, *args, **kwargs)
        renderer = getattr(request, "accepted_renderer", None)
        key = (request.build_absolute_uri(), getattr(renderer, "format", ""), translation.get_language(),
               view_method.__qualname__)
        revision = current().get("places", 0)
        hit = _responses.get(key)
        if hit is not None and hit[0] == revision:
            _responses.move_to_end(key)
            return Response(hit[1])
        response = view_method(self, request, *args, **kwargs)
        if response.status_code == 200:
            _responses[key] = (revision, response.data)
            while len(_responses) > MAX_ENTRIES:
                _responses.popitem(last=False)
        return response

    wrapper.__name__ = view_method.__name__
    wrapper.__doc__ = view_method.__doc__
    wrapper.__wrapped__ = view_method
    return wrapper
