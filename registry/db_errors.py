"""A database that is down or busy answers 503 "try again", not an HTML 500 (issue #12).

A lock timeout, a PostgreSQL restart or a dropped connection raises Django's
``OperationalError`` / ``InterfaceError``. The request cannot be served, but nothing is
wrong with it: the honest answer is 503 with ``Retry-After``. Under ``/api/`` the body is
JSON (DRF views answer it through ``registry.api.exceptions``; this middleware covers
the rest), elsewhere a short Chinese page rendered without touching the database (no
context processors: the session and the user need it). The error is still logged.
"""
from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger("registry.db_errors")


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        from registry.api.exceptions import RETRY_AFTER_SECONDS, database_unavailable_body

        logger.error("Database unavailable for %s %s: %s", request.method, request.path, exception)
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        if request.path.startswith("/api/"):
            return JsonResponse(database_unavailable_body(), status=503, headers=headers,
                                json_dumps_params={"ensure_ascii": False})
        html = loader.render_to_string("503.html", {
            "title": _("The service is briefly unavailable"),
            "message": _("The database is busy or unavailable for a moment; please try again shortly. "
                         "If you were saving a change, look whether it was recorded before you enter it again."),
        })
        return HttpResponse(html, status=503, headers=headers)
