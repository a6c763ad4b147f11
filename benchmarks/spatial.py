"""bbox and near at 100k places on SQLite and PostgreSQL: the spatial index beside the old B-tree
queries and a full scan, in the same run (issue #14).

Builds 100k synthetic places (``benchmarks.corpus`` names and category mix) located
around the centres of Hefei's nine county-level divisions (normal scatter, σ ≈ 8 km),
so a box over a town centre holds many places and one over fields few, as in a real
registry. Then, for 200 query points drawn the same way, times through the API's own
querysets (``registry.spatial``):

- ``bbox`` of about 1 km and 5 km across (``spatial.in_box``) and ``near`` with 500 m
  and 3 km radii (``spatial.near``, nearest first, with distances), answered from the
  spatial index (``registry.spatial_index``: the R*Tree on SQLite, the GiST on
  PostgreSQL; migration ``0028_spatial_index``);
- the same querysets the way they were before the spatial index (the index not asked,
  ``spatial_index.narrow`` leaving the queryset as it is), from the B-tree indexes 0022 and 0025 had,
  ``place_location`` on (longitude, latitude) and ``place_geometry_box`` on the envelope,
  created again for this second pass (so the first pass could not use them);
- the radius name check (``validation.nearby.nearby_findings``, 10 km) on both passes;
- on PostgreSQL with PostGIS (Debian: ``postgresql-15-postgis-3``), the first pass answers a
  box from the PostGIS feature column (``registry.postgis``, as the application does), and a
  second pass answers the same queries from the box GiST and the exact test in Python, as the
  application does where PostGIS is missing (the same answers are checked);
- the full scan: every located place's point and line read and tested in Python (the
  same exact test), the answer an application without a spatial index gives, as the baseline.

Every road (about 40 % of the places) has a line, a 3-point polyline of about 1 km through
its point, and every residential area (25 %) a polygon of 200–600 m across around it, so a
box query also meets lines and areas whose point lies outside it. The B-tree pass must find
exactly what the index found (checked: a MISMATCH line otherwise).

Usage: .venv/bin/python benchmarks/spatial.py [--databases sqlite postgres] [--size 100000]
       [--pg-database NAME]  (a scratch PostgreSQL database, created and dropped)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CENTRES = {  # county-level seats, approximate (for synthetic scatter only)
    "340102": (117.31, 31.86),
    "340103": (117.28, 31.88),
    "340104": (117.23, 31.85),
    "340111": (117.30, 31.79),
    "340121": (117.17, 32.47),
    "340122": (117.47, 31.89),
    "340123": (117.16, 31.72),
    "340124": (117.29, 31.25),
    "340181": (117.87, 31.60),
}


def _point(rng: random.Random, division: str) -> tuple[float, float]:
    lon, lat = CENTRES[division]
    return round(rng.gauss(lon, 0.085), 6), round(rng.gauss(lat, 0.072), 6)


def child(size: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from benchmarks.corpus import corpus
    from registry.geometry import intersects_box
    from registry.models import Division, Place
    from registry.models.places import ENVELOPE_COLUMNS, envelope_columns
    from registry.spatial import Box, in_box, near

    call_command("migrate", verbosity=0)
    rng = random.Random(2026)
    divisions = {d.code: d for d in Division.objects.all()}
    batch = []
    for i, (name, category, division) in enumerate(corpus(size)):
        lon, lat = _point(rng, division)
        line = (
            _line(rng, lon, lat) if category == "road" else _area(rng, lon, lat) if category == "residential" else None
        )
        batch.append(
            Place(
                code=f"{division}S{i:07d}",
                name=name,
                category=category,
                division=divisions[division],
                longitude=lon,
                latitude=lat,
                status="active",
                revision=1,
                source="benchmark",
                geometry=line,
                **dict(zip(ENVELOPE_COLUMNS, envelope_columns(line))),
            )
        )
        if len(batch) == 10_000:
            Place.objects.bulk_create(batch)
            batch.clear()
    Place.objects.bulk_create(batch)
    queries = [_point(rng, rng.choice(list(CENTRES))) for _ in range(200)]
    places = Place.objects.all()

    def timed(run) -> tuple[float, float, float]:
        times, found = [], []
        for lon, lat in queries:
            started = time.perf_counter()
            found.append(run(lon, lat))
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        return statistics.median(times), times[int(len(times) * 0.95)], statistics.mean(found)

    def box(half_deg):
        return lambda lon, lat: len(
            list(
                in_box(places, Box(lon - half_deg, lat - half_deg, lon + half_deg, lat + half_deg)).values_list(
                    "code", "name"
                )
            )
        )

    def within(radius):
        return lambda lon, lat: len(list(near(places, lon, lat, radius).values_list("code", "distance_m")))

    def scan(half_deg):
        def run(lon, lat):
            rows = Place.objects.filter(longitude__isnull=False).values_list(
                "code", "longitude", "latitude", "geometry"
            )
            area = (lon - half_deg, lat - half_deg, lon + half_deg, lat + half_deg)
            return sum(
                1
                for _c, x, y, g in rows
                if (intersects_box(g, area) if g else area[0] <= float(x) <= area[2] and area[1] <= float(y) <= area[3])
            )

        return run

    from django.db import connection

    from registry import postgis, spatial_index
    from registry.validation import nearby

    def analyze():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE registry_place")

    def names_near(lon, lat):
        place = places_by_index[int((lon * 1e6) % len(places_by_index))]
        return len(nearby.nearby_findings(place[0], place[1], None, place[2], (lon, lat), set()))

    places_by_index = list(Place.objects.order_by("pk").values_list("name", "category", "pinyin_key")[:5000])
    queries_all = list(queries)

    def suite(tag):
        return {
            f"bbox ≈1 km, {tag}": timed(box(0.0045)),
            f"bbox ≈5 km, {tag}": timed(box(0.0225)),
            f"near 500 m, {tag}": timed(within(500)),
            f"near 3 km, {tag}": timed(within(3000)),
            f"name check 10 km, {tag}": timed(names_near),
        }

    analyze()
    results = suite("spatial index")
    if postgis.available(connection.alias):  # the same queries from the box GiST, PostGIS not asked
        postgis.available = lambda alias: False
        results.update(suite("box GiST, no PostGIS"))
    with connection.cursor() as cursor:  # the B-tree indexes of migrations 0022 and 0025
        cursor.execute(
            "CREATE INDEX place_location ON registry_place (longitude, latitude) WHERE longitude IS NOT NULL"
        )
        cursor.execute(
            "CREATE INDEX place_geometry_box ON registry_place (geometry_west, geometry_south, geometry_east, "
            "geometry_north) WHERE geometry_west IS NOT NULL"
        )
    analyze()
    spatial_index.narrow = lambda queryset, *box: queryset  # the index not asked: the columns' B-trees
    results.update(suite("old B-tree"))
    queries[:] = queries_all[:20]  # the scan is slow: 20 queries suffice
    results["full scan (baseline), ≈5 km box"] = timed(scan(0.0225))
    results["bbox ≈5 km, old B-tree, the scan's 20 points"] = timed(box(0.0225))  # must find what the scan found
    for label, (p50, p95, mean_found) in results.items():
        print(f"RESULT {label}|{p50:.2f}|{p95:.2f}|{mean_found:.1f}")


def _area(rng: random.Random, lon: float, lat: float) -> dict:
    """A residential area of 200–600 m across around (lon, lat): a rectangle."""
    half_x, half_y = rng.uniform(0.001, 0.003), rng.uniform(0.001, 0.003)
    west, east = round(lon - half_x, 6), round(lon + half_x, 6)
    south, north = round(lat - half_y, 6), round(lat + half_y, 6)
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def _line(rng: random.Random, lon: float, lat: float) -> dict:
    """A road of about 1 km through (lon, lat): three points, a bend in the middle."""
    dx, dy = rng.uniform(-0.005, 0.005), rng.uniform(-0.004, 0.004)
    return {
        "type": "LineString",
        "coordinates": [[round(lon - dx, 6), round(lat - dy, 6)], [lon, lat], [round(lon + dy, 6), round(lat + dx, 6)]],
    }


def run(database: str, size: int, pg_database: str) -> None:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings")
    created = None
    if database == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/spatial.sqlite3"
    else:
        created = pg_database
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", "-E", "UTF8", "-T", "template0", created], check=True
        )
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{created}"
    load = Path("/proc/loadavg").read_text().split(" ")[:3]
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(size)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=3600,
        ).stdout
    finally:
        if created:
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", created], check=False)
    print(f"\n== {database}, {size:,} located places, 200 query points (scan and its check: 20)")
    print(f"load average before: {load}, after: {Path('/proc/loadavg').read_text().split(' ')[:3]}")
    rows = {line[7:].split("|")[0]: line[7:].split("|")[1:] for line in out.splitlines() if line.startswith("RESULT ")}
    scan_p50 = float(rows["full scan (baseline), ≈5 km box"][0])
    if rows["bbox ≈5 km, old B-tree, the scan's 20 points"][2] != rows["full scan (baseline), ≈5 km box"][2]:
        print("MISMATCH: bbox found other places than the scan on the scan's points")
    for label, (p50, p95, found) in rows.items():
        line = f"{label:<46} p50 {float(p50):8.2f} ms  p95 {float(p95):8.2f} ms  found (mean) {float(found):7.1f}"
        if label.endswith("no PostGIS"):
            ours = rows[label.replace("box GiST, no PostGIS", "spatial index")]
            if ours[2] != found:
                print(f"MISMATCH: {label} found {found} on average, the spatial index {ours[2]}")
            line += f"  {float(p50) / float(ours[0]):5.2f}× the spatial index's time"
        if label.endswith("spatial index"):
            old = rows[label.replace("spatial index", "old B-tree")]
            if old[2] != found:
                print(f"MISMATCH: {label} found {found} on average, the old B-tree query {old[2]}")
            line += f"  {float(old[0]) / float(p50):5.1f}× faster than the B-tree"
        if not label.startswith("name check") and not label.endswith("no PostGIS"):
            line += f"  {scan_p50 / float(p50):7.1f}× faster than the scan"
        print(line)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(int(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--pg-database", default=f"registry_spatialbench_{os.getpid()}")
    args = parser.parse_args()
    for database in args.databases:
        run(database, args.size, args.pg_database)


if __name__ == "__main__":
    main()
