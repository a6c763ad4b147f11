"""``Authorization: Token <secret>`` against hashed tokens that expire and can be revoked.

Replaces ``rest_framework.authtoken`` (plain keys, never expiring, one per user for
ever): the header and the keyword stay the same, the secret is looked up by its
SHA-256 (``registry.services.tokens``), and a refused token says why (expired, revoked,
unknown). Kept apart from the views: DRF imports this module while it builds ``APIView``.
"""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's ``Token`` header, checked against hashed tokens that expire and can be revoked."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        from registry.services.tokens import token_for_secret, token_state

        token = token_for_secret(key)
        if token is None:
            reason = token_state(key)
            if reason == "expired":
                raise exceptions.AuthenticationFailed(
                    _("The token has expired: ask for a new one (POST /api/v1/auth/token/).")
                )
            if reason == "revoked":
                raise exceptions.AuthenticationFailed(_("The token has been revoked."))
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)


class TokenChallengeMixin:
    """A failed or missing authentication is a 401 with ``WWW-Authenticate: Token``, not a 403.

    DRF answers 401 only when the view's first authentication class names a challenge;
    the API's views name the token scheme explicitly, whatever the authentication order,
    so that a client is told "who are you?" rather than "you may not"."""

    def get_authenticate_header(self, request):
        return 'Token realm="api"'
