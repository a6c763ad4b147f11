"""App config: wires the deletion guard and loads the place-name reading dictionary once."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Place-name registry")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from registry import signals  # noqa: F401  (connects the deletion guard)
        from registry.romanization import readings

        readings.load()
