"""``export_places --format gpkg|shp``: the registry as files a desktop GIS opens directly.

Both are written by GDAL's own ``ogr2ogr`` (Debian's gdal-bin; the Makefile installs it
on Debian when missing) from a GeoJSON the registry writes first, so the files are what
GDAL writes for any other source, nothing hand-made:

- **GeoPackage** (``.gpkg``): one layer ``places`` with every place, its line or area
  geometry where it has one and its representative point otherwise, and every column of
  the table export (``TABLE_COLUMNS``) as UTF-8 text, as GeoPackage requires.
- **Shapefile** (``.shp`` with ``.shx``, ``.dbf``, ``.prj`` and ``.cpg``): a Shapefile
  holds one geometry type, so it is the layer of representative points (every place,
  an unlocated one with an empty geometry); field names are cut to the format's ten
  characters by the fixed map ``SHAPEFILE_FIELDS``, and long texts (origin, history) are
  left out, as a DBF field holds 254 bytes. The attributes are UTF-8 by default, with a
  ``.cpg`` file saying so; ``--encoding gbk`` writes GBK (code page 936) for older desktop
  GIS that ignore ``.cpg`` and read the system code page of a Chinese Windows.

Every file is written beside its target and moved over it at the end (``replacing``), so
a failed or killed export leaves the previous files as they were.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from registry.importers.export import TABLE_COLUMNS, _places, _plain, _table_row, replacing, snapshot

GIS_FORMATS = ("gpkg", "shp")
SHAPEFILE_SIDECARS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
# Column → Shapefile field (at most 10 characters); columns not listed are left out.
SHAPEFILE_FIELDS = {
    "code": "code",
    "name": "name",
    "category": "category",
    "division": "division",
    "status": "status",
    "pinyin": "pinyin",
    "generic": "generic",
    "former_names": "former",
    "verification": "verify",
    "approval_authority": "authority",
    "approval_date": "appr_date",
    "approval_document": "appr_doc",
    "announcement_date": "anno_date",
    "source": "source",
}
ENCODINGS = {"utf-8": "UTF-8", "gbk": "CP936"}
DBF_FIELD_BYTES = 254


def fit_dbf(value, encoding: str) -> str:
    """``value`` cut at a character boundary to a DBF field's 254 bytes in ``encoding``, marked "…" when cut.

    GDAL would cut at the byte and could split a Chinese character; a character GBK
    cannot hold (rare traditional or extension characters) becomes "?" rather than failing.
    """
    text = str(value)
    if len(text.encode(encoding, errors="replace")) <= DBF_FIELD_BYTES:
        return text
    while len((text + "…").encode(encoding, errors="replace")) > DBF_FIELD_BYTES:
        text = text[:-1]
    return text + "…"


def ogr2ogr() -> str:
    found = shutil.which("ogr2ogr")
    if found is None:
        raise OSError(
            "GeoPackage and Shapefile exports need GDAL's ogr2ogr: install gdal-bin "
            "(Debian: apt-get install gdal-bin; the Makefile does it on Debian)."
        )
    return found


def _point(place) -> dict | None:
    if place.longitude is None:
        return None
    return {"type": "Point", "coordinates": [float(place.longitude), float(place.latitude)]}


def _write_source(path: Path, *, points_only: bool, encoding: str = "utf-8") -> int:
    """The features ogr2ogr reads: one per place, flat text properties."""
    count = 0
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('{"type": "FeatureCollection", "features": [\n')
        for place in _places():
            row = _table_row(place)
            if points_only:
                properties = {
                    SHAPEFILE_FIELDS[c]: fit_dbf(_plain(row[c]), encoding)
                    for c in TABLE_COLUMNS
                    if c in SHAPEFILE_FIELDS
                }
                geometry = _point(place)
            else:
                properties = {c: _plain(row[c]) for c in TABLE_COLUMNS if c not in ("longitude", "latitude")}
                geometry = place.geometry or _point(place)
            feature = {"type": "Feature", "geometry": geometry, "properties": properties}
            fh.write((",\n" if count else "") + json.dumps(feature, ensure_ascii=False))
            count += 1
        fh.write("\n]}\n")
    return count


def _run(args: list[str]) -> None:
    done = subprocess.run([ogr2ogr(), *args], capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise OSError(f"ogr2ogr failed: {done.stderr.strip()[:500]}")


def export_gis(path: Path | str, fmt: str, *, encoding: str = "utf-8") -> int:
    """Write every place to ``path`` as a GeoPackage or a Shapefile; returns how many."""
    path = Path(path)
    if fmt not in GIS_FORMATS:
        raise ValueError(f"Unknown GIS format “{fmt}” (use gpkg or shp).")
    if encoding not in ENCODINGS:
        raise ValueError(f"Unknown encoding “{encoding}” (use utf-8 or gbk).")
    ogr2ogr()  # say at once if GDAL is missing
    with snapshot(), tempfile.TemporaryDirectory(prefix="registry-gis-") as work:
        source = Path(work) / "places.geojson"
        count = _write_source(source, points_only=fmt == "shp", encoding=encoding)
        if fmt == "gpkg":
            with replacing(path) as temporary:
                temporary.unlink()  # ogr2ogr makes the file itself
                _run(
                    [
                        "-f",
                        "GPKG",
                        "-nln",
                        "places",
                        "-nlt",
                        "GEOMETRY",
                        "-a_srs",
                        "EPSG:4326",
                        str(temporary),
                        str(source),
                    ]
                )
            return count
        built = Path(work) / "out" / (path.stem + ".shp")
        built.parent.mkdir()
        _run(
            [
                "-f",
                "ESRI Shapefile",
                "-nln",
                path.stem,
                "-nlt",
                "POINT",
                "-a_srs",
                "EPSG:4326",
                "-lco",
                f"ENCODING={ENCODINGS[encoding]}",
                str(built),
                str(source),
            ]
        )
        for suffix in SHAPEFILE_SIDECARS:
            part = built.with_suffix(suffix)
            if part.exists():
                with replacing(path.with_suffix(suffix)) as temporary:
                    shutil.copyfile(part, temporary)
    return count
