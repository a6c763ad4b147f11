"""Request middleware: the language switch, and the API's guard against input no view should see.

- ``QueryLanguageMiddleware``: ``?lang=en`` (or ``zh-hans``) switches the language of a
  request, on top of Accept-Language.
- ``ApiInputGuardMiddleware``: under ``/api/``, a NUL character in the path or the query
  string is a JSON 400 naming the parameter (PostgreSQL refuses NUL in text, so it would
  otherwise become a 500 there and a 404 on SQLite), and a body larger than
  ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is a JSON 413 (Django would answer an HTML 400).
- ``ApiConditionalGetMiddleware``: GET answers under ``/api/`` carry an ``ETag`` (the
  views' revision tag, else a hash of the body), answer ``If-None-Match`` and
  ``If-Modified-Since`` with 304, and say how they may be cached (``Cache-Control``:
  public for anonymous reads, ``REGISTRY_API_MAX_AGE`` seconds, default 0, i.e.
  revalidate each time, which the ETag makes cheap; private for authenticated ones).
- ``ReadOnlyCorsMiddleware``: cross-origin reads of the API for web maps and other
  departments' pages (``REGISTRY_CORS_ORIGINS``); GET, HEAD and their preflights only,
  so no other site's page can make a browser write with its user's session.
- ``ApiGZipMiddleware``: gzip for API reads (GET and HEAD only: a compressed answer
  that mixes a secret with reflected input is what BREACH exploits, so neither the
  admin's pages nor the API's POST answers, the token's among them, are compressed).
"""

from urllib.parse import parse_qsl

from corsheaders.middleware import CorsMiddleware
from django.conf import settings
from django.http import JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.middleware.http import ConditionalGetMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _

_CODES = {code.lower(): code for code, _label in settings.LANGUAGES} | {"zh": "zh-hans", "zh-cn": "zh-hans"}


class QueryLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = _CODES.get(request.GET.get("lang", "").strip().lower())
        if code:
            translation.activate(code)
            request.LANGUAGE_CODE = code
        return self.get_response(request)


def _nul_parameter(query_string: str) -> str | None:
    """The name of the first query parameter whose name or value holds a NUL, or None."""
    for key, value in parse_qsl(query_string, keep_blank_values=True, errors="replace"):
        if "\x00" in key or "\x00" in value:
            return key.replace("\x00", "") or "query"
    return None


class ApiInputGuardMiddleware:
    """Refuse, before any view or database sees it, API input that can only be an attack or a bug."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):
            refusal = self._refusal(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def _refusal(self, request):
        if "\x00" in request.path_info:
            return JsonResponse({"detail": _("The path contains a NUL character.")}, status=400)
        parameter = _nul_parameter(request.META.get("QUERY_STRING", ""))
        if parameter is not None:
            return JsonResponse({parameter: [_("A NUL character is not allowed here.")]}, status=400)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"detail": _("The Content-Length header is not a number.")}, status=400)
        if limit is not None and length > limit:
            return request_too_large(limit)
        return None


def request_too_large(limit: int) -> JsonResponse:
    return JsonResponse(
        {"detail": _("The request body is too large (at most %(limit)s bytes).") % {"limit": limit}}, status=413
    )


def _api_read(request) -> bool:
    return request.path_info.startswith("/api/") and request.method in ("GET", "HEAD")


class ApiConditionalGetMiddleware(ConditionalGetMiddleware):
    def process_response(self, request, response):
        if not _api_read(request) or response.status_code not in (200, 304):
            return response
        private = "HTTP_AUTHORIZATION" in request.META or getattr(
            getattr(request, "user", None), "is_authenticated", False
        )
        if not response.has_header("Cache-Control"):
            if private:
                patch_cache_control(response, private=True, no_cache=True)
            else:
                patch_cache_control(response, public=True, max_age=getattr(settings, "REGISTRY_API_MAX_AGE", 0))
        # The format follows Accept, the messages Accept-Language or the language cookie.
        patch_vary_headers(response, ("Accept", "Accept-Language", "Cookie"))
        return super().process_response(request, response)


class ApiGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        # HTML pages (the browsable API, the docs) may carry a CSRF token: never compressed.
        if not _api_read(request) or response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)


READ_METHODS = ("GET", "HEAD")


class ReadOnlyCorsMiddleware(CorsMiddleware):
    def is_enabled(self, request) -> bool:
        if not request.path_info.startswith("/api/"):
            return False
        if request.method == "OPTIONS":
            return request.headers.get("access-control-request-method", "GET").upper() in READ_METHODS
        return request.method in READ_METHODS
