"""``manage.py import_boundaries FILE.geojson --source "…"``: division boundaries, all or none."""

from django.core.management.base import BaseCommand, CommandError

from registry.services.boundaries import boundary_import


class Command(BaseCommand):
    help = "Load division boundaries (GeoJSON Polygons/MultiPolygons with a code or adcode property)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--source", required=True, help="where the boundaries come from (publisher, date, URL)")

    def handle(self, *args, **options):
        try:
            result = boundary_import(options["file"], source=options["source"])
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        if not result.ok:
            for problem in result.problems[:50]:
                self.stderr.write(problem)
            raise CommandError(f"{len(result.problems)} problem(s); nothing was saved.")
        self.stdout.write(self.style.SUCCESS(f"{result.saved} boundaries saved, {result.unchanged} unchanged."))
