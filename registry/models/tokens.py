"""API tokens: stored as a hash, valid for a limited time, one per login, revocable.

The secret a client sends (``Authorization: Token <secret>``) is shown once, when it is
issued, and never stored: the database keeps its SHA-256 (``key_hash``), so a copy of
the database or a backup does not let anyone call the API as a clerk. A secret is 32
random bytes, so a fast hash is enough (nothing to brute-force, unlike a password).
The first characters (``prefix``) stay readable to tell a user's tokens apart in the
admin. Issuing and revoking go through ``registry.services.tokens`` (audited).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    key_hash = models.CharField(_("key hash (SHA-256)"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        _("key prefix"),
        max_length=8,
        editable=False,
        help_text=_("The first characters of the key, to tell tokens apart."),
    )
    name = models.CharField(
        _("purpose"),
        max_length=100,
        blank=True,
        help_text=_("Who or what uses this token, e.g. the mapping department's system."),
    )
    created_at = models.DateTimeField(_("issued at"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("revoked by"),
    )

    # Who issued and who revoked a token, and when (use is not history: last_used_at).
    history = HistoricalRecords(
        verbose_name=_("API token history"),
        verbose_name_plural=_("API token history"),
        excluded_fields=["last_used_at"],
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
