"""``manage.py export_places FILE [--format csv|xlsx|json|geojson] [--kind places|heritage]``: the whole
registry out, or (``--kind heritage``) its heritage listings, one row each."""
from django.core.management.base import BaseCommand, CommandError

from registry.importers.export import export_heritage, export_places


class Command(BaseCommand):
    help = "Export every place with its names history and heritage listings."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", default="auto", choices=("auto", "csv", "xlsx", "json", "geojson"))
        parser.add_argument("--kind", default="places", choices=("places", "heritage"),
                            help="places (with names history and listings) or heritage (the listings, one row each)")

    def handle(self, *args, **options):
        try:
            export = export_heritage if options["kind"] == "heritage" else export_places
            count = export(options["file"], options["format"])
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        noun = "heritage listings" if options["kind"] == "heritage" else "places"
        self.stdout.write(self.style.SUCCESS(f"{count} {noun} written to {options['file']}."))
