"""``manage.py export_places FILE [--format csv|xlsx|json|geojson]``: the whole registry out."""
from django.core.management.base import BaseCommand, CommandError

from registry.importers.export import export_places


class Command(BaseCommand):
    help = "Export every place with its names history and heritage listings."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", default="auto", choices=("auto", "csv", "xlsx", "json", "geojson"))

    def handle(self, *args, **options):
        try:
            count = export_places(options["file"], options["format"])
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{count} places written to {options['file']}."))
