"""bbox and near at 100k places on SQLite and PostgreSQL, beside a full scan in the same run (issue #14).

Builds 100k synthetic places (``benchmarks.corpus`` names and category mix) located
around the centres of Hefei's nine county-level divisions (normal scatter, σ ≈ 8 km),
so a box over a town centre holds many places and one over fields few, as in a real
registry. Then, for 200 query points drawn the same way, times through the API's own
querysets (``registry.spatial``):

- ``bbox`` of about 1 km and 5 km across, and ``near`` with 500 m and 3 km radii
  (nearest first, with distances), each answered from the ``place_location`` index;
- the full scan: every located place's coordinates read and filtered in Python, the
  answer an application without a spatial index gives, as the baseline.

Usage: .venv/bin/python benchmarks/spatial.py [--databases sqlite postgres] [--size 100000]
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
    from registry.models import Division, Place
    from registry.spatial import Box, near

    call_command("migrate", verbosity=0)
    rng = random.Random(2026)
    divisions = {d.code: d for d in Division.objects.all()}
    batch = []
    for i, (name, category, division) in enumerate(corpus(size)):
        lon, lat = _point(rng, division)
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
                places.filter(
                    Box(lon - half_deg, lat - half_deg, lon + half_deg, lat + half_deg).condition()
                ).values_list("code", "name")
            )
        )

    def within(radius):
        return lambda lon, lat: len(list(near(places, lon, lat, radius).values_list("code", "distance_m")))

    def scan(half_deg):
        def run(lon, lat):
            rows = Place.objects.filter(longitude__isnull=False).values_list("code", "longitude", "latitude")
            return sum(1 for _c, x, y in rows if abs(float(x) - lon) <= half_deg and abs(float(y) - lat) <= half_deg)

        return run

    results = {
        "bbox ≈1 km": timed(box(0.0045)),
        "bbox ≈5 km": timed(box(0.0225)),
        "near 500 m": timed(within(500)),
        "near 3 km": timed(within(3000)),
    }
    scan_queries, queries[:] = queries, queries[:20]  # the scan is slow: 20 queries suffice
    results["full scan (baseline), ≈5 km box"] = timed(scan(0.0225))
    queries[:] = scan_queries
    for label, (p50, p95, mean_found) in results.items():
        print(f"RESULT {label}|{p50:.2f}|{p95:.2f}|{mean_found:.1f}")


def run(database: str, size: int) -> None:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings")
    created = None
    if database == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/spatial.sqlite3"
    else:
        created = f"registry_spatialbench_{os.getpid()}"
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", "-E", "UTF8", "-T", "template0", created], check=True
        )
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{created}"
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
    print(f"\n== {database}, {size:,} located places, 200 query points (scan: 20)")
    rows = [line[7:].split("|") for line in out.splitlines() if line.startswith("RESULT ")]
    scan_p50 = float(rows[-1][1])
    for label, p50, p95, found in rows:
        print(
            f"{label:<34} p50 {float(p50):8.2f} ms  p95 {float(p95):8.2f} ms  places found (mean) {float(found):8.1f}"
            f"  ({scan_p50 / float(p50):6.1f}× faster than the scan)"
        )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(int(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--size", type=int, default=100_000)
    args = parser.parse_args()
    for database in args.databases:
        run(database, args.size)


if __name__ == "__main__":
    main()
