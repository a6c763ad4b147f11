"""Authentication answers: 401 with a ``WWW-Authenticate`` challenge, not 403.

DRF answers a failed or missing authentication with 401 only when the first
authentication class names a challenge; the registry's first is the session (for the
browsable API and the admin), which names none, so a wrong token became a 403, which
tells a client "you may not" instead of "who are you?". The API's views name the token
scheme, so a bad token (on any request) and a missing one where a user is needed are 401.
"""
from rest_framework.authtoken.views import ObtainAuthToken

from registry.api.parsers import SafeFormParser, SafeJSONParser, SafeMultiPartParser


class TokenChallengeMixin:
    def get_authenticate_header(self, request):
        return 'Token realm="api"'


class TokenView(ObtainAuthToken):
    """``POST {"username", "password"}`` → ``{"token"}``. Needs no authentication: a stale
    ``Authorization`` header sent along is ignored rather than refused."""

    authentication_classes = []
    parser_classes = (SafeJSONParser, SafeFormParser, SafeMultiPartParser)
