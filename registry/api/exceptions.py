"""Every error is a JSON 4xx naming the field and the problem; services' refusals included.

DRF turns its own exceptions into JSON; this handler adds the registry's: Django's
ValidationError (from services, models, the checker) becomes 400 with the same
field → messages shape, a refused deletion 409, a database conflict 409.
"""
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler

from registry.exceptions import DeletionRefused, RegistryError, TransitionNotAllowed


def _detail(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in DjangoValidationError(errors).messages] for field, errors in exc.error_dict.items()}
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
        return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, RegistryError):  # InvalidTransition, Conflict
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    return exception_handler(exc, context)


def not_found(request, exception=None):
    """Django's 404 for URLs no view matched: JSON under /api/, the usual page elsewhere."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)
