"""API tokens: issue (a new one per login), check, revoke. The one write path for tokens.

A token is valid for ``REGISTRY_TOKEN_DAYS`` days (default 30) from issue. Every login
(``POST /api/v1/auth/token/``) issues a fresh one instead of handing back the same
secret for ever, so a token copied once stops working by itself; a user's old tokens
are revoked in the admin (or by the client: ``DELETE /api/v1/auth/token/``).
Issue and revocation are audited (django-simple-history, the acting user recorded).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from registry.models.tokens import ApiToken, hash_secret

#: Tokens expired longer ago than this are removed when their user logs in again.
PURGE_AFTER = timedelta(days=90)
#: ``last_used_at`` is written at most this often per token (one UPDATE, not one per request).
LAST_USED_RESOLUTION = timedelta(minutes=5)


def token_lifetime() -> timedelta:
    return timedelta(days=max(int(getattr(settings, "REGISTRY_TOKEN_DAYS", 30)), 0))


@transaction.atomic
def token_issue(*, user, acting_user=None, name: str = "", lifetime: timedelta | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it with its secret (shown once, never stored)."""
    now = timezone.now()
    ApiToken.objects.filter(user=user, expires_at__lt=now - PURGE_AFTER).delete()
    secret = secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        key_hash=hash_secret(secret),
        prefix=secret[:8],
        name=name[:100],
        created_at=now,
        expires_at=now + (token_lifetime() if lifetime is None else lifetime),
    )
    token._history_user = acting_user or user
    token._change_reason = "issue"
    token.save()
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, acting_user) -> ApiToken:
    """Revoke ``token`` now (idempotent: an already revoked token keeps its first revocation)."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = acting_user
        token._history_user = acting_user
        token._change_reason = "revoke"
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def token_for_secret(secret: str) -> ApiToken | None:
    """The active token with this secret, or None (unknown, expired or revoked), by its hash."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_secret(secret), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is not None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # not history: use, not change
            token.last_used_at = now
    return token


def token_state(secret: str) -> str:
    """Why a secret is refused: ``unknown``, ``expired`` or ``revoked`` (``active`` if it is not)."""
    token = ApiToken.objects.filter(key_hash=hash_secret(secret)).only("revoked_at", "expires_at").first()
    if token is None:
        return "unknown"
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at <= timezone.now():
        return "expired"
    return "active"
