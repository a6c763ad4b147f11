"""Logging in to the API (one new token per login) and the login lock-out's answers.

- ``registry.api.authentication.ExpiringTokenAuthentication`` reads the tokens
  (``Authorization: Token <secret>``, hashed, expiring, revocable).
- ``POST /api/v1/auth/token/`` (``ObtainTokenView``) takes ``{"username", "password"}``
  and answers ``{"token", "expires"}`` with a new token. It passes the Django request to
  ``authenticate()`` so that django-axes counts the failures by user name and address;
  a locked-out client gets a JSON 429 naming the wait, in the request's language.
  ``DELETE`` revokes the token the request carries (log out).
- ``locked_out_response`` is axes' answer for every lock-out (``AXES_LOCKOUT_CALLABLE``):
  JSON under ``/api/``, a Chinese page elsewhere (the admin's login).
"""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from registry.api.parsers import SafeFormParser, SafeJSONParser, SafeMultiPartParser
from registry.models.tokens import ApiToken
from registry.services.tokens import token_issue, token_revoke


def lockout_minutes() -> int:
    cool_off = getattr(settings, "AXES_COOLOFF_TIME", None)
    return max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else 0


def lockout_message() -> str:
    minutes = lockout_minutes()
    if minutes:
        return _(
            "Too many failed logins: this account and address are locked for %(minutes)d minutes. "
            "Try again later or ask an administrator to unlock it."
        ) % {"minutes": minutes}
    return _("Too many failed logins: this account and address are locked. Ask an administrator to unlock it.")


def _retry_after() -> dict:
    minutes = lockout_minutes()
    return {"Retry-After": str(minutes * 60)} if minutes else {}


def locked_out_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: JSON 429 for the API, a Chinese page otherwise."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": lockout_message()}, status=429, headers=_retry_after(), json_dumps_params={"ensure_ascii": False}
        )
    from django.contrib import admin

    context = admin.site.each_context(request) | {"message": lockout_message(), "title": _("Login locked")}
    response = render(request, "registry/locked_out.html", context, status=429)
    for header, value in _retry_after().items():
        response[header] = value
    return response


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, trim_whitespace=False)
    password = serializers.CharField(
        max_length=4096, trim_whitespace=False, style={"input_type": "password"}, write_only=True
    )


TOKEN_RESPONSE = inline_serializer(
    "TokenResponse",
    {
        "token": serializers.CharField(help_text="Send it as `Authorization: Token <token>`; shown only once."),
        "expires": serializers.DateTimeField(help_text="When the token stops working (ISO 8601)."),
    },
)


class ObtainTokenView(APIView):
    """Log in for the API: a new token, valid for REGISTRY_TOKEN_DAYS days; DELETE revokes the one in use."""

    permission_classes = [AllowAny]
    # Bodies nested too deep or too large are a clear 400/413, never a RecursionError.
    parser_classes = (SafeJSONParser, SafeFormParser, SafeMultiPartParser)

    def get_authenticators(self):
        # POST takes a user name and a password; a stale session or token must not stand in the way.
        if self.request is not None and self.request.method == "POST":
            return []
        return super().get_authenticators()

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TOKEN_RESPONSE, 429: OpenApiResponse(description="Locked out after repeated failed logins")},
        auth=[],
    )
    def post(self, request):
        given = TokenRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        django_request = request._request  # axes reads and flags the Django request, not DRF's wrapper
        user = authenticate(
            django_request, username=given.validated_data["username"], password=given.validated_data["password"]
        )
        if getattr(django_request, "axes_locked_out", False):
            return Response(
                {"detail": lockout_message()}, status=status.HTTP_429_TOO_MANY_REQUESTS, headers=_retry_after()
            )
        if user is None:
            raise exceptions.ValidationError({"non_field_errors": [_("Unable to log in with provided credentials.")]})
        token, secret = token_issue(user=user)  # purpose left blank: the admin shows "API login"
        # A successful login: resets the failure count (AXES_RESET_ON_SUCCESS) and records last_login.
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        return Response({"token": secret, "expires": token.expires_at})

    @extend_schema(request=None, responses={204: OpenApiResponse(description="The token is revoked")})
    def delete(self, request):
        if not isinstance(request.auth, ApiToken):
            raise exceptions.NotAuthenticated(_("Send the token to revoke as “Authorization: Token …”."))
        token_revoke(token=request.auth, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
