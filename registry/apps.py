"""App config: wires the deletion guard, loads the place-name reading dictionary once, and keeps
the SQLite spatial index's triggers after every ``migrate`` (``registry.spatial_index.ensure``),
and the PostGIS feature column where PostgreSQL has PostGIS (``registry.postgis.ensure``)."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Place-name registry")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from registry import checks, signals  # noqa: F401  (the deploy checks; the deletion guard)
        from registry.romanization import readings

        readings.load()
        post_migrate.connect(_repair_spatial_index, sender=self)


def _repair_spatial_index(sender, using="default", **kwargs) -> None:
    """A migration that rebuilds ``registry_place`` on SQLite drops the R*Tree's triggers: put them
    back; on PostgreSQL with PostGIS, add the feature column if it is missing."""
    from django.db import connections

    from registry import postgis, spatial_index

    spatial_index.ensure(connections[using])
    postgis.ensure(connections[using])
