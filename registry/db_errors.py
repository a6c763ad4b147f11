"""A database that is down or busy answers 503 "try again", not an HTML 500 (issue #12).

A lock timeout, a PostgreSQL restart or a dropped connection raises Django's
``OperationalError`` / ``InterfaceError``. The request cannot be served, but nothing is
wrong with it: the honest answer is 503 with ``Retry-After``. Under ``/api/`` the body is
JSON (DRF views answer it through ``registry.api.exceptions``; this middleware covers
the rest), elsewhere a short Chinese page rendered without touching the database (no
context processors: the session and the user need it). The error is still logged.

While an import holds the registry's write lock (``registry.importers.lock``), a writer
is told so at once, "导入正在进行…, N 秒后重试", with ``Retry-After: N``: on SQLite a
POST (PUT, PATCH, DELETE) is answered before its view runs, since its transaction would
wait at BEGIN for the lock; on PostgreSQL the transaction's first ``freshness.lock``
raises ``ImportInProgress``. Either way, and for any outage that meets a form's POST,
the page keeps what the user typed: the fields are listed and sent again, unchanged,
with one button (files and passwords excepted).
"""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger("registry.db_errors")


SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


def import_in_progress(exception: Exception | None = None):
    """The ``ImportInProgress`` that explains ``exception`` (or, with none, a write now), else None.

    A lock timeout while an import writes is that import's doing: say so, not "busy".
    """
    from registry.importers.lock import ImportInProgress, busy

    if isinstance(exception, ImportInProgress):
        return exception
    if exception is not None and "locked" not in str(exception).lower():
        return None
    try:
        return busy()
    except (OperationalError, InterfaceError):  # the database is down: the generic answer
        return None


def unavailable_answer(exception: Exception) -> tuple[dict, int]:
    """(JSON body, Retry-After seconds) for a database error of the API."""
    from registry.api.exceptions import RETRY_AFTER_SECONDS, database_unavailable_body

    found = import_in_progress(exception)
    if found is not None:
        return {"detail": found.message, "retry_after": found.retry_after}, found.retry_after
    return database_unavailable_body(), RETRY_AFTER_SECONDS


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in SAFE_METHODS or connection.vendor != "sqlite":
            return None
        found = import_in_progress()
        if found is None:
            return None
        logger.warning("Write refused while an import writes: %s %s", request.method, request.path)
        return self._import_answer(request, found)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        from registry.api.exceptions import RETRY_AFTER_SECONDS, database_unavailable_body

        logger.error("Database unavailable for %s %s: %s", request.method, request.path, exception)
        found = import_in_progress(exception)
        if found is not None:
            return self._import_answer(request, found)
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        if request.path.startswith("/api/"):
            return JsonResponse(
                database_unavailable_body(), status=503, headers=headers, json_dumps_params={"ensure_ascii": False}
            )
        title = _("The service is briefly unavailable")
        if request.method not in SAFE_METHODS:
            return _kept_entries_page(
                request,
                title,
                _(
                    "The database is busy or unavailable for a moment. Look whether your change was recorded "
                    "before you send it again."
                ),
                RETRY_AFTER_SECONDS,
            )
        html = loader.render_to_string(
            "503.html",
            {
                "title": title,
                "message": _(
                    "The database is busy or unavailable for a moment; please try again shortly. "
                    "If you were saving a change, look whether it was recorded before you enter it again."
                ),
            },
        )
        return HttpResponse(html, status=503, headers=headers)

    def _import_answer(self, request, found) -> HttpResponse:
        headers = {"Retry-After": str(found.retry_after)}
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": found.message, "retry_after": found.retry_after},
                status=503,
                headers=headers,
                json_dumps_params={"ensure_ascii": False},
            )
        return _kept_entries_page(request, _("An import is in progress"), found.message, found.retry_after)


def _kept_entries_page(request, title: str, message: str, seconds: int) -> HttpResponse:
    """A 503 page that keeps what the user typed: listed, and sent again unchanged with one
    button (files cannot be kept; passwords are neither shown nor kept: typed again)."""
    typed = [(key, value) for key, values in request.POST.lists() for value in values if "password" not in key.lower()]
    html = loader.render_to_string(
        "503_kept_entries.html",
        {
            "title": title,
            "message": message,
            "action": request.get_full_path(),
            "typed": typed,
            "shown": [(k, v) for k, v in typed if k != "csrfmiddlewaretoken" and v],
            "files": bool(request.FILES),
            "seconds": seconds,
        },
    )
    return HttpResponse(html, status=503, headers={"Retry-After": str(seconds)})
