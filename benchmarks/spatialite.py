"""bbox at 100k places: the registry's R*Tree beside SpatiaLite's spatial index, in one run on
the same data (issue #14, item 1: "GeoDjango … SpatiaLite for the embedded default unless
you measure a better choice").

Standalone: plain ``sqlite3``, no Django, so it runs on a Python whose ``sqlite3`` can load
extensions. The project's Python (pyenv) cannot; Debian's can::

    apt-get install libsqlite3-mod-spatialite     # mod_spatialite (5.0.1 on Debian 12)
    flock /tmp/bench.lock /usr/bin/python3 benchmarks/spatialite.py [--size 100000]

The places are ``benchmarks/spatial.py``'s, built by its own functions from the same seed:
``benchmarks.corpus`` names and category mix, points scattered around Hefei's nine
county-level seats (σ ≈ 8 km), every road (about 40 %) a 3-point line of about 1 km through
its point, every residential area (25 %) a rectangle of 200–600 m around it; and the same
200 query points. Each place is one row of a table shaped like ``registry_place`` for what
a box query reads (the same column types and PRAGMAs as ``config/settings.py``), and:

- (a) **the registry today** (``registry.spatial_index``, ``registry.spatial.in_box``):
  an SQLite R*Tree ``rtree(id, west, east, south, north)`` of each place's rectangle (its
  envelope joined with its point), the same two SQL statements Django sends, and in between
  the exact test in Python (``registry.geometry.intersects_box``, imported: it has no
  Django import) for the envelopes crossing the box's edge;
- (b) **SpatiaLite** as GeoDjango would set it up (``InitSpatialMetaData(1)``,
  ``AddGeometryColumn`` ``GEOMETRY`` SRID 4326: the line or area, else the point,
  ``CreateSpatialIndex``), queried the documented way:
  ``ST_Intersects(geom, BuildMbr(…)) AND ROWID IN (SELECT ROWID FROM SpatialIndex WHERE
  f_table_name = 'place' AND search_frame = BuildMbr(…))``;
- (d) what GeoDjango's ``filter(geom__intersects=box)`` sends on SpatiaLite,
  ``Intersects(geom, GeomFromText(…, 4326)) > 0``: GeoDjango creates the spatial index but
  does not ask it (SpatiaLite's index is a separate R*Tree table a query must name), so
  this reads every row (20 query points);
- (c) the full scan in Python (every located place read and tested), the baseline (20 points).

(a) and (b) must return the same places for every query (a MISMATCH line otherwise), and
(c) and (d) the same as (a) on theirs. Timed per query point, the approaches interleaved
(their order rotating) so a change in the machine's load falls on all of them; rows
fetched. Also the time to load the rows and build each index (on rows already there, as a
migration would, and with the index in place while loading, as the importer does) and the
file sizes, by table (SQLite's ``dbstat``).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import corpus  # noqa: E402
from benchmarks.spatial import CENTRES, _area, _line, _point  # noqa: E402  (no Django import)
from registry.geometry import envelope, intersects_box  # noqa: E402  (no Django import)

PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA cache_size=-65536")
TABLE = (  # registry_place's columns a box query reads, with Django's types on SQLite
    "CREATE TABLE place (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, code varchar(20) NOT NULL UNIQUE, "
    "name varchar(100) NOT NULL, category varchar(20) NOT NULL, longitude decimal NULL, latitude decimal NULL, "
    'geometry text NULL CHECK ((JSON_VALID("geometry") OR "geometry" IS NULL)), geometry_west real NULL, '
    "geometry_south real NULL, geometry_east real NULL, geometry_north real NULL)"
)
COLUMNS = (
    "code, name, category, longitude, latitude, geometry, geometry_west, geometry_south, geometry_east, geometry_north"
)
# registry.spatial_index's rectangle (its _SQLITE_RECT), its located condition and fill
_SIDE = "{f}(COALESCE({p}geometry_{s}, CAST({p}{c} AS REAL)), COALESCE(CAST({p}{c} AS REAL), {p}geometry_{s}))"
SIDES = (("min", "west", "longitude"), ("max", "east", "longitude"), ("min", "south", "latitude"))
SIDES += (("max", "north", "latitude"),)


def _rect(p: str) -> str:
    return ", ".join(_SIDE.format(f=f, s=s, c=c, p=p) for f, s, c in SIDES)


LOCATED = "(longitude IS NOT NULL OR geometry_west IS NOT NULL)"
FILL = f"INSERT INTO place_rtree (id, west, east, south, north) SELECT id, {_rect('')} FROM place WHERE {LOCATED}"
RTREE = (
    "CREATE VIRTUAL TABLE place_rtree USING rtree(id, west, east, south, north)",
    "CREATE TRIGGER place_rtree_insert AFTER INSERT ON place BEGIN INSERT OR REPLACE INTO place_rtree "
    f"(id, west, east, south, north) SELECT NEW.id, {_rect('NEW.')} "
    "WHERE (NEW.longitude IS NOT NULL OR NEW.geometry_west IS NOT NULL); END",
)
# registry.spatial.in_box on SQLite: the SQL Django sends (captured), the exact ids between
NARROW = "SELECT id FROM place_rtree WHERE west <= ?1 AND east >= ?2 AND south <= ?3 AND north >= ?4"
CROSSING = (
    f'SELECT "place"."id", "place"."geometry" FROM "place" WHERE ("place"."id" IN ({NARROW}) '
    'AND "place"."geometry_east" >= ?2 AND "place"."geometry_north" >= ?4 AND "place"."geometry_south" <= ?3 '
    'AND "place"."geometry_west" <= ?1 AND NOT ("place"."geometry_east" <= ?1 AND "place"."geometry_east" IS NOT NULL '
    'AND "place"."geometry_north" <= ?3 AND "place"."geometry_north" IS NOT NULL AND "place"."geometry_south" >= ?4 '
    'AND "place"."geometry_south" IS NOT NULL AND "place"."geometry_west" >= ?2 AND "place"."geometry_west" IS NOT NULL '
    'AND "place"."geometry_west" <= ?1 AND "place"."geometry_west" IS NOT NULL))'
)
MEETS = (
    'SELECT "place"."code", "place"."name" FROM "place" WHERE "place"."id" IN (SELECT U0."id" FROM "place" U0 '
    f'WHERE (U0."id" IN ({NARROW}) AND ((U0."geometry_west" IS NULL AND U0."latitude" >= ?4 AND U0."latitude" <= ?3 '
    'AND U0."longitude" >= ?2 AND U0."longitude" <= ?1) OR (U0."geometry_east" <= ?1 AND U0."geometry_north" <= ?3 '
    'AND U0."geometry_south" >= ?4 AND U0."geometry_west" >= ?2 AND U0."geometry_west" <= ?1){exact}))) ORDER BY 1 ASC'
)
GEOM = "CASE WHEN ?6 IS NULL THEN MakePoint(?4, ?5, 4326) ELSE SetSRID(GeomFromGeoJSON(?6), 4326) END"
GEOM_OF_ROW = GEOM.replace("?6", "geometry").replace("?4", "longitude").replace("?5", "latitude")
SPATIALITE_BOX = (
    "SELECT code, name FROM place WHERE ST_Intersects(geom, BuildMbr(?1, ?2, ?3, ?4, 4326)) AND ROWID IN "
    "(SELECT ROWID FROM SpatialIndex WHERE f_table_name = 'place' AND f_geometry_column = 'geom' "
    "AND search_frame = BuildMbr(?1, ?2, ?3, ?4, 4326)) ORDER BY code"
)
GEODJANGO_BOX = "SELECT code, name FROM place WHERE Intersects(geom, GeomFromText(?, 4326)) > 0 ORDER BY code"


def places(size: int) -> tuple[list[tuple], list[tuple[float, float]]]:
    """``benchmarks/spatial.py``'s places (same seed, same draws in the same order) and query points."""
    rng = random.Random(2026)
    rows = []
    for i, (name, category, division) in enumerate(corpus(size)):
        lon, lat = _point(rng, division)
        line = (
            _line(rng, lon, lat) if category == "road" else _area(rng, lon, lat) if category == "residential" else None
        )
        box = envelope(line) or (None, None, None, None)
        rows.append((f"{division}S{i:07d}", name, category, lon, lat, json.dumps(line) if line else None, *box))
    return rows, [_point(rng, rng.choice(list(CENTRES))) for _ in range(200)]


def connect(path: Path, spatialite: bool) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in PRAGMAS:
        connection.execute(pragma)
    if spatialite:
        connection.enable_load_extension(True)
        connection.load_extension("mod_spatialite")
        connection.enable_load_extension(False)
    return connection


def timed(step, times: dict, label: str):
    started = time.perf_counter()
    result = step()
    times[label] = time.perf_counter() - started
    return result


def _insert(connection, rows, geom: bool) -> None:
    marks = ", ".join(f"?{n}" for n in range(1, 11))
    extra, value = (", geom", f", {GEOM}") if geom else ("", "")
    connection.execute("BEGIN")
    connection.executemany(f"INSERT INTO place ({COLUMNS}{extra}) VALUES ({marks}{value})", rows)
    connection.execute("COMMIT")


def _spatialite_schema(connection, times: dict, label: str) -> None:
    timed(lambda: connection.execute("SELECT InitSpatialMetaData(1)").fetchone(), times, label)
    connection.execute(TABLE)


def build(directory: Path, rows: list[tuple]) -> tuple[dict, dict]:
    """The four files: R*Tree / SpatiaLite, built on loaded rows (queried) and kept while loading."""
    times: dict[str, float] = {}
    plain = connect(directory / "rtree.sqlite3", False)
    plain.execute(TABLE)
    timed(lambda: _insert(plain, rows, False), times, f"(a) load {len(rows):,} rows, no spatial index")
    timed(lambda: [plain.execute(sql) for sql in (RTREE[0], FILL)], times, "(a) build the R*Tree on them")
    plain.execute(RTREE[1])
    spatial = connect(directory / "spatialite.sqlite3", True)
    _spatialite_schema(spatial, times, "(b) InitSpatialMetaData(1)")
    timed(lambda: _insert(spatial, rows, False), times, f"(b) load {len(rows):,} rows, no geometry column")

    def add_geometry():
        spatial.execute("SELECT AddGeometryColumn('place', 'geom', 4326, 'GEOMETRY', 'XY')").fetchone()
        spatial.execute(f"UPDATE place SET geom = {GEOM_OF_ROW}")

    timed(add_geometry, times, "(b) add and fill the geometry column")
    timed(
        lambda: spatial.execute("SELECT CreateSpatialIndex('place', 'geom')").fetchone(),
        times,
        "(b) CreateSpatialIndex on them",
    )
    for connection in (plain, spatial):
        connection.execute("ANALYZE")
    live = connect(directory / "rtree_live.sqlite3", False)
    for sql in (TABLE, *RTREE):
        live.execute(sql)
    timed(lambda: _insert(live, rows, False), times, f"(a) load {len(rows):,} rows into the indexed table (triggers)")
    live_spatial = connect(directory / "spatialite_live.sqlite3", True)
    _spatialite_schema(live_spatial, {}, "")
    live_spatial.execute("SELECT AddGeometryColumn('place', 'geom', 4326, 'GEOMETRY', 'XY')").fetchone()
    live_spatial.execute("SELECT CreateSpatialIndex('place', 'geom')").fetchone()
    timed(
        lambda: _insert(live_spatial, rows, True),
        times,
        f"(b) load {len(rows):,} rows into the indexed table (triggers)",
    )
    for connection in (live, live_spatial):
        connection.close()
    return times, {"plain": plain, "spatial": spatial}


GROUPS = (("place_rtree", "(a) R*Tree"), ("idx_place_geom", "(b) spatial index"), ("sqlite_autoindex", "code index"))


def sizes(connection: sqlite3.Connection, path: Path) -> tuple[int, dict[str, int]]:
    """The file's size and its bytes by table or index (SpatiaLite's metadata tables as one)."""
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    by_table: dict[str, int] = {}
    for name, size in connection.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
        group = "place (the table)" if name == "place" else next((g for p, g in GROUPS if name.startswith(p)), None)
        group = group or "schema, statistics and SpatiaLite's metadata"
        by_table[group] = by_table.get(group, 0) + size
    return path.stat().st_size, by_table


def registry_box(plain: sqlite3.Connection, box: tuple) -> list:
    """(a) ``spatial.in_box``: the envelopes crossing the box's edge tested in Python, then the answer."""
    west, south, east, north = box
    params = (east, west, north, south)
    exact = [pk for pk, geometry in plain.execute(CROSSING, params) if intersects_box(json.loads(geometry), box)]
    marks = ", ".join(f"?{n}" for n in range(5, 5 + len(exact)))
    sql = MEETS.format(exact=f' OR U0."id" IN ({marks})' if exact else "")
    return plain.execute(sql, (*params, *exact)).fetchall()


def spatialite_box(spatial: sqlite3.Connection, box: tuple) -> list:
    """(b) ST_Intersects, its candidates from the spatial index (the SpatialIndex virtual table)."""
    return spatial.execute(SPATIALITE_BOX, box).fetchall()


def geodjango_box(spatial: sqlite3.Connection, box: tuple) -> list:
    """(d) GeoDjango's ``geom__intersects`` on SpatiaLite: the index not asked."""
    west, south, east, north = box
    wkt = f"POLYGON(({west} {south}, {east} {south}, {east} {north}, {west} {north}, {west} {south}))"
    return spatial.execute(GEODJANGO_BOX, (wkt,)).fetchall()


def scan(plain: sqlite3.Connection, box: tuple) -> list:
    """(c) every located place read and tested in Python: the line or area if it has one, else the point."""
    west, south, east, north = box
    rows = plain.execute("SELECT code, name, longitude, latitude, geometry FROM place WHERE longitude IS NOT NULL")
    return sorted(
        (code, name)
        for code, name, x, y, geometry in rows
        if (intersects_box(json.loads(geometry), box) if geometry else west <= x <= east and south <= y <= north)
    )


def measure(approaches: dict, points: list, half: float) -> dict[str, tuple[float, float, float]]:
    """p50, p95 (ms) and mean places found per approach; the approaches interleaved, their
    order rotating; every answer compared with the first approach's (MISMATCH otherwise)."""
    labels = list(approaches)
    times: dict[str, list[float]] = {label: [] for label in labels}
    found: dict[str, list[int]] = {label: [] for label in labels}
    for lon, lat in points[:5]:  # warm-up, untimed
        for label in labels:
            approaches[label]((lon - half, lat - half, lon + half, lat + half))
    for i, (lon, lat) in enumerate(points):
        box = (lon - half, lat - half, lon + half, lat + half)
        answers = {}
        for label in labels[i % len(labels) :] + labels[: i % len(labels)]:
            started = time.perf_counter()
            answers[label] = approaches[label](box)
            times[label].append((time.perf_counter() - started) * 1000)
        for label in labels:
            found[label].append(len(answers[label]))
            if answers[label] != answers[labels[0]]:
                missing = set(answers[labels[0]]) ^ set(answers[label])
                print(f"MISMATCH at {box}: {label} differs from {labels[0]} on {sorted(missing)[:5]}")
    out = {}
    for label in labels:
        ordered = sorted(times[label])
        out[label] = (statistics.median(ordered), ordered[int(len(ordered) * 0.95)], statistics.mean(found[label]))
    return out


def report(results: dict, reference: str) -> None:
    base = results[reference][0]
    for label, (p50, p95, mean) in results.items():
        print(f"  {label:<52} p50 {p50:8.2f} ms  p95 {p95:8.2f} ms  found {mean:7.1f}  {p50 / base:6.2f}× (a)")


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--dir", help="keep the files here (default: a temporary directory, removed)")
    args = parser.parse_args()
    print(f"load average before: {loadavg()}")
    rows, points = places(args.size)
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(args.dir or scratch)
        directory.mkdir(parents=True, exist_ok=True)
        times, connections = build(directory, rows)
        plain, spatial = connections["plain"], connections["spatial"]
        versions = spatial.execute("SELECT sqlite_version(), spatialite_version(), geos_version()").fetchone()
        print(f"Python {sys.version.split()[0]}, SQLite {versions[0]}, SpatiaLite {versions[1]}, GEOS {versions[2]}")
        print(
            f"{len(rows):,} places ({sum(1 for r in rows if r[5]):,} with a line or area), {len(points)} query points"
        )
        for label, seconds in times.items():
            print(f"  {label:<58} {seconds:7.2f} s")
        for name, connection in (("rtree", plain), ("spatialite", spatial)):
            total, parts = sizes(connection, directory / f"{name}.sqlite3")
            listed = ", ".join(f"{group} {size / 1e6:.1f}" for group, size in sorted(parts.items()))
            print(f"  {name}.sqlite3: {total / 1e6:.1f} MB ({listed} MB)")
        text, blob = spatial.execute("SELECT sum(length(geometry)), sum(length(geom)) FROM place").fetchone()
        print(
            f"  the geometry as GeoJSON text {text / 1e6:.1f} MB, as SpatiaLite blobs {blob / 1e6:.1f} MB (points too)"
        )
        for live in ("rtree_live", "spatialite_live"):
            print(f"  {live}.sqlite3: {(directory / f'{live}.sqlite3').stat().st_size / 1e6:.1f} MB")
        fast = {
            "(a) R*Tree + exact test in Python (the registry)": lambda box: registry_box(plain, box),
            "(b) SpatiaLite ST_Intersects + SpatialIndex": lambda box: spatialite_box(spatial, box),
        }
        slow = dict(fast)
        slow["(d) SpatiaLite as GeoDjango queries it (no index)"] = lambda box: geodjango_box(spatial, box)
        slow["(c) full scan in Python (baseline)"] = lambda box: scan(plain, box)
        for half, across in ((0.0045, "≈1 km"), (0.0225, "≈5 km")):
            print(f"bbox {across} ({2 * half:.3f}°), {len(points)} query points:")
            report(measure(fast, points, half), next(iter(fast)))
            print(f"bbox {across}, the first 20 query points (p95 = the slowest):")
            report(measure(slow, points[:20], half), next(iter(fast)))
        plain.close()
        spatial.close()
    print(f"load average after: {loadavg()}")


if __name__ == "__main__":
    main()
