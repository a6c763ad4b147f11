"""``manage.py export_places FILE [--format csv|xlsx|json|geojson] [--kind places|heritage] [--chinese]``:
the whole registry out, or (``--kind heritage``) its heritage listings, one row each.

The file is written beside FILE and renamed over it at the end: an export that fails
or is killed leaves the previous FILE as it was. ``--chinese`` writes a CSV or XLSX for
people (Chinese headers and labels), which imports back too.

SIGTERM (a service manager stopping the job, ``kill``) ends the export as an error
would: its temporary file is removed. After a SIGKILL, which nothing can catch, the
next export to the same FILE removes the temporary file the killed one left."""
import signal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from registry.importers.export import export_heritage, export_places


class Command(BaseCommand):
    help = "Export every place with its names history and heritage listings."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", default="auto", choices=("auto", "csv", "xlsx", "json", "geojson"))
        parser.add_argument("--kind", default="places", choices=("places", "heritage"),
                            help="places (with names history and listings) or heritage (the listings, one row each)")
        parser.add_argument("--chinese", action="store_true",
                            help="CSV or XLSX with Chinese headers and labels (编码, 名称, 类别 = 道路街巷 …) instead of codes")

    def handle(self, *args, **options):
        # Restored on the way out: a process that runs the command in-process (a test, a
        # script) must not keep a handler that turns every later SIGTERM into SystemExit.
        previous = signal.signal(signal.SIGTERM, _terminated)
        try:
            self._export(options)
        finally:
            signal.signal(signal.SIGTERM, previous)

    def _export(self, options):
        try:
            export = export_heritage if options["kind"] == "heritage" else export_places
            fmt = options["format"] if options["format"] != "auto" else Path(options["file"]).suffix.lower().lstrip(".")
            if options["chinese"] and fmt not in ("csv", "xlsx"):
                raise CommandError("--chinese is for CSV and XLSX; JSON and GeoJSON always carry codes.")
            count = export(options["file"], options["format"], chinese=options["chinese"])
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        noun = "heritage listings" if options["kind"] == "heritage" else "places"
        self.stdout.write(self.style.SUCCESS(f"{count} {noun} written to {options['file']}."))


def _terminated(signum, frame):
    """Unwind (the temporary file is removed on the way out) and exit 128 + SIGTERM, as the signal would."""
    raise SystemExit(128 + signum)
