"""Every error is a JSON 4xx naming the field and the problem; services' refusals included.

DRF turns its own exceptions into JSON; this handler adds the registry's: Django's
ValidationError (from services, models, the checker) becomes 400 with the same
field → messages shape, a refused deletion 409, a database conflict 409, a database
that is down or busy 503 with ``Retry-After``.

Error bodies say what is wrong and nothing about the machinery (issue #12): a body
that is not JSON gets one generic sentence, not the decoder's "Expecting value: line 1
column 1"; a refusal for want of a permission does not name the permission's codename
(``registry.review_proposal``), only that the user may not.
"""

import re

from django.apps import apps
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, InterfaceError, OperationalError
from django.utils.translation import gettext as _
from rest_framework import exceptions as drf_exceptions
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler

from registry.exceptions import DeletionRefused, RegistryError, TransitionNotAllowed

#: Seconds a client should wait before retrying when the database is unavailable.
RETRY_AFTER_SECONDS = 30


_PATTERNS = None


def _patterns() -> tuple[re.Pattern, re.Pattern]:
    global _PATTERNS
    if _PATTERNS is None:
        labels = "|".join(sorted((re.escape(c.label) for c in apps.get_app_configs()), key=len, reverse=True))
        codename = rf"\b(?:{labels})\.[a-z0-9_]+\b"
        # A bracketed aside holding a codename: "(it needs the permission registry.x)", "（需要权限 registry.x）".
        aside = rf"\s*[(（][^()（）]*{codename}[^()（）]*[)）]"
        _PATTERNS = re.compile(aside), re.compile(codename)
    return _PATTERNS


def without_codenames(message: str) -> str:
    """``message`` without the permission codenames (``app_label.codename``) it names.

    An aside in brackets naming one is dropped ("You may not “approve” (it needs the
    permission registry.decide_proposal)." → "You may not “approve”."); a message that
    would still name one becomes DRF's generic "You do not have permission …".
    """
    aside, codename = _patterns()
    if not codename.search(message):
        return message
    cleaned = re.sub(r"\s+([.。,，;；!！])", r"\1", aside.sub("", message)).strip()
    if len(cleaned) < 4 or codename.search(cleaned):
        return _("You do not have permission to perform this action.")
    return cleaned


def _parse_error(request) -> Response:
    content_type = getattr(request, "content_type", "") or ""
    if "json" in content_type.lower():
        message = _("The request body is not valid JSON.")
    else:
        message = _("The request body could not be read in the format it declares (Content-Type).")
    return Response({"detail": message}, status=status.HTTP_400_BAD_REQUEST)


def database_unavailable_body() -> dict:
    return {"detail": _("The database is busy or unavailable for a moment; please try again shortly.")}


def _detail(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {
            field: [str(m) for m in DjangoValidationError(errors).messages] for field, errors in exc.error_dict.items()
        }
    return {"non_field_errors": [str(m) for m in exc.messages]}


def registry_exception_handler(exc, context):
    # Errors are JSON whatever format was asked for (a CSV or GeoJSON client included).
    request = context.get("request")
    if request is not None:
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    if isinstance(exc, RequestDataTooBig):
        return Response({"detail": str(exc) or "The request body is too large."}, status=413)
    if isinstance(exc, TooManyFieldsSent):
        return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        return Response(_detail(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, (DeletionRefused, IntegrityError)):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, TransitionNotAllowed):
        return Response({"detail": without_codenames(str(exc))}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, RegistryError):  # InvalidTransition, Conflict
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, (OperationalError, InterfaceError)):  # a lock timeout, a restarting server, an import
        from registry.db_errors import unavailable_answer

        body, retry_after = unavailable_answer(exc)
        return Response(body, status=status.HTTP_503_SERVICE_UNAVAILABLE, headers={"Retry-After": str(retry_after)})
    if isinstance(exc, drf_exceptions.ParseError):
        return _parse_error(request)
    response = exception_handler(exc, context)
    if isinstance(exc, drf_exceptions.PermissionDenied) and response is not None and isinstance(response.data, dict):
        detail = response.data.get("detail")
        if isinstance(detail, str):
            response.data["detail"] = without_codenames(detail)
    return response


def not_found(request, exception=None):
    """Django's 404 for URLs no view matched: JSON under /api/ (and /ogc/ for a GIS client), the site's page elsewhere."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    if (
        request.path.startswith("/ogc/")
        and request.GET.get("f") != "html"
        and "text/html" not in request.headers.get("Accept", "")
    ):
        return JsonResponse({"code": "NotFound", "description": "Not found."}, status=404)
    return page_not_found(request, exception)
