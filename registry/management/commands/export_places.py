"""``manage.py export_places FILE [--format csv|xlsx|json|geojson|gpkg|shp] [--kind places|heritage] [--chinese]
[--encoding utf-8|gbk]``: the whole registry out, or (``--kind heritage``) its heritage listings, one row each.
GeoPackage and Shapefile are written by GDAL (``registry.importers.gis_export``); ``--encoding gbk``
gives a Shapefile whose attributes older desktop GIS read on a Chinese Windows.

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
from registry.importers.gis_export import GIS_FORMATS, export_gis


class Command(BaseCommand):
    help = "Export every place with its names history and heritage listings."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--format", default="auto", choices=("auto", "csv", "xlsx", "json", "geojson", *GIS_FORMATS)
        )
        parser.add_argument(
            "--kind",
            default="places",
            choices=("places", "heritage"),
            help="places (with names history and listings) or heritage (the listings, one row each)",
        )
        parser.add_argument(
            "--chinese",
            action="store_true",
            help="CSV or XLSX with Chinese headers and labels (编码, 名称, 类别 = 道路街巷 …) instead of codes",
        )
        parser.add_argument(
            "--encoding",
            default="utf-8",
            choices=("utf-8", "gbk"),
            help="Shapefile attributes: UTF-8 (with a .cpg file) or GBK for older desktop GIS",
        )

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
                raise CommandError("--chinese is for CSV and XLSX; JSON, GeoJSON and GIS files always carry codes.")
            if options["encoding"] != "utf-8" and fmt != "shp":
                raise CommandError("--encoding is for Shapefiles; every other format is UTF-8.")
            if fmt in GIS_FORMATS:
                if options["kind"] != "places":
                    raise CommandError("GeoPackage and Shapefile exports are of places (--kind places).")
                count = export_gis(options["file"], fmt, encoding=options["encoding"])
            else:
                count = export(options["file"], options["format"], chinese=options["chinese"])
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        noun = "heritage listings" if options["kind"] == "heritage" else "places"
        self.stdout.write(self.style.SUCCESS(f"{count} {noun} written to {options['file']}."))


def _terminated(signum, frame):
    """Unwind (the temporary file is removed on the way out) and exit 128 + SIGTERM, as the signal would."""
    raise SystemExit(128 + signum)
