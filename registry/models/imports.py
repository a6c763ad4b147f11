"""The record of every completed import: which file (by its SHA-256), who, when, what it did.

A bureau must be able to say where each place came from and must not load the same
census twice: retrying an import that in fact succeeded (a 500 page, a lost
connection) used to write every row again, so the same places existed twice, both
active. The importer looks a file's digest up here and refuses a repeat (unless it is
an ``--update``, which is idempotent, or the command's ``--allow-repeat``). Records are
written once, in the import's own transaction, and never changed or deleted.

The model also carries the registry's export permission (``registry.export_registry``):
a full export is a copy of the whole registry, so it is granted by role, not to every
staff user (migration 0013 gives it to reviewers and approvers).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models.base import UndeletableModel


class ImportKind(models.TextChoices):
    PLACES = "places", _("places")
    HERITAGE = "heritage", _("heritage listings")


class ImportRecord(UndeletableModel):
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, db_index=True)
    file_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("records"), max_length=10, choices=ImportKind.choices, default=ImportKind.PLACES)
    format = models.CharField(_("format"), max_length=10, blank=True)
    size = models.BigIntegerField(_("size (bytes)"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The name as it was at the time: the record outlives a renamed or removed account.
    imported_by_name = models.CharField(_("imported by (name)"), max_length=150, blank=True)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now, db_index=True)
    via = models.CharField(
        _("imported through"), max_length=10, choices=[("admin", _("admin form")), ("command", _("command"))]
    )
    update = models.BooleanField(_("update existing"), default=False)
    legacy = models.BooleanField(_("legacy names recorded"), default=False)
    repeat_allowed = models.BooleanField(_("repeat allowed"), default=False)
    rows = models.IntegerField(_("rows"), default=0)
    created = models.IntegerField(_("created"), default=0)
    updated = models.IntegerField(_("updated"), default=0)
    unchanged = models.IntegerField(_("unchanged"), default=0)
    findings = models.JSONField(_("name check (counts per rule)"), default=dict, blank=True)

    class Meta:
        verbose_name = _("import record")
        verbose_name_plural = _("import records")
        ordering = ["-imported_at", "-id"]
        permissions = [("export_registry", _("Can export the whole registry"))]

    def __str__(self) -> str:
        return f"{self.file_name} · {timezone.localtime(self.imported_at):%Y-%m-%d %H:%M}"

    @property
    def who(self) -> str:
        return self.imported_by_name or "-"


class ImportLock(models.Model):
    """The import running now, if any: one row (id 1), for the messages of those who wait.

    Two imports at once judged their names against a registry without each other's
    rows (2,174 duplicates went unflagged between two 100k imports, issue #12), so
    imports are serialised (``registry.importers.lock``). What serialises them is a
    lock that dies with its process (PostgreSQL's advisory lock, a file lock for
    SQLite); this row only says who holds it, since when, and, while the import holds
    the registry's write lock, until about when (``writing_until``), so that another
    writer is told "try again in N s" at once instead of waiting for a timeout.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    holder = models.CharField(_("started by"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    token = models.CharField(_("lock token"), max_length=32)
    writing_until = models.DateTimeField(_("writing until about"), null=True, blank=True)

    class Meta:
        verbose_name = _("running import")
        verbose_name_plural = _("running imports")
