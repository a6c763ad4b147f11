"""``manage.py load_demo``: load the Hefei demo data (idempotent)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from registry.demo import BOUNDARY_FILE, DEMO_FILE, load_demo


class Command(BaseCommand):
    help = "Load the Hefei demo places, names history and heritage listings (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", default=str(DEMO_FILE), help="Demo data file (default: fixtures/hefei_demo.json)."
        )
        parser.add_argument(
            "--boundaries",
            default=str(BOUNDARY_FILE),
            help="Division boundaries, GeoJSON (default: fixtures/hefei_boundaries.geojson; '' for none).",
        )

    def handle(self, *args, **options):
        try:
            result = load_demo(options["file"], boundaries=options["boundaries"] or None)
        except (ValidationError, KeyError, ValueError) as exc:
            raise CommandError(f"Demo data could not be loaded: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {result.created} places created, {result.skipped} already present, "
                f"{result.names} former/historical names, {result.listings} heritage listings, "
                f"{result.boundaries} division boundaries saved ({result.boundaries_unchanged} unchanged)."
            )
        )
