"""Shared model pieces: timestamps, and the guard that refuses deletion.

Names are never lost (SPEC.md "Place record"): places are retired, names closed,
listings removed by status. Deleting any of these records is refused at every level
Django offers: instance ``delete()``, queryset ``delete()`` and cascades (through the
pre_delete signal in ``registry.signals``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.exceptions import DeletionRefused

DELETION_REFUSED_MESSAGE = _(
    "Records in the place-name registry are never deleted. Retire the place (销名) or close the name instead."
)


class UndeletableQuerySet(models.QuerySet):
    def delete(self):  # type: ignore[override]
        raise DeletionRefused(str(DELETION_REFUSED_MESSAGE))

    delete.alters_data = True
    delete.queryset_only = True


class UndeletableModel(models.Model):
    """A model whose rows stay forever."""

    objects = UndeletableQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):  # type: ignore[override]
        raise DeletionRefused(str(DELETION_REFUSED_MESSAGE))


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True
