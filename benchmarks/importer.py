"""Benchmark of import_places: 100k (and 1M) census rows on SQLite and PostgreSQL.

For each size and database it writes a census CSV of the realistic corpus
(``benchmarks.corpus.realistic_corpus``: Anhui's 16 cities, distinct names within their
scopes but for 0.4 % exact repeats; ``--corpus repeating`` for the older corpus, where
18 % of the rows repeat), then in a fresh registry
measures the end-to-end import (reading, checking, romanizing each distinct name once,
the name check of every row, bulk writes with history and names), its peak memory
(max RSS of the child process that ran it) and, in the same run, a bare ``bulk_create``
of the same rows (no checks, no pinyin, no history) as the ratio, and on PostgreSQL a bare
``COPY`` of them into the places table.

``--format json`` or ``geojson`` writes the same rows as a JSON list or a FeatureCollection
(without geometries) instead, to measure the streamed JSON readers' memory. ``--tree``
runs the import with another checkout's code (its ``registry``, this benchmark), for a
before-and-after in one run.

Usage: .venv/bin/python benchmarks/importer.py [--sizes 100000 1000000] [--databases sqlite postgres]
       [--corpus realistic|repeating] [--format csv|json|geojson] [--tree /work/main] [--profile out.prof]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(os.environ.get("IMPORT_BENCH_TREE") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(ROOT))
COLUMNS = ["name", "category", "division", "former_names"]


def _records(size: int, kind: str) -> list[list[str]]:
    from benchmarks.corpus import corpus, realistic_corpus

    rows = realistic_corpus(size) if kind == "realistic" else corpus(size)
    return [[n, c, d, f"旧{n}||2000" if i % 10 == 0 else ""] for i, (n, c, d) in enumerate(rows)]


def write_csv(path: Path, size: int, kind: str = "realistic", fmt: str = "csv") -> None:
    """The census file: CSV, or the same records as a JSON list or a GeoJSON FeatureCollection."""
    records = _records(size, kind)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        if fmt == "csv":
            writer = csv.writer(fh)
            writer.writerow(COLUMNS)
            writer.writerows(records)
            return
        fh.write('{"type": "FeatureCollection", "features": [\n' if fmt == "geojson" else "[\n")
        for i, values in enumerate(records):
            data = dict(zip(COLUMNS, values))
            if fmt == "geojson":
                data = {"type": "Feature", "properties": data, "geometry": None}
            fh.write(("" if i == 0 else ",\n") + json.dumps(data, ensure_ascii=False))
        fh.write("\n]}\n" if fmt == "geojson" else "\n]\n")


def _read(path: str) -> list[dict]:
    if path.endswith(".csv"):
        with open(path, encoding="utf-8") as fh:
            return list(csv.DictReader(fh))
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    return [f["properties"] for f in data["features"]] if isinstance(data, dict) else data


def child(kind: str, size: int, path: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    migrated = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = migrated.ru_utime + migrated.ru_stime
    if kind == "import":
        from registry.importers.places import import_places

        profile = os.environ.get("IMPORT_PROFILE")
        if profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        started = time.perf_counter()
        result = import_places(path, legacy=True)  # a census holds legacy conflicts
        elapsed = time.perf_counter() - started
        if profile:
            profiler.disable()
            profiler.dump_stats(profile)
        assert result.ok and result.created == size, result.problems[:3]
    else:
        from registry.models import Division, Place

        divisions = {d.code: d for d in Division.objects.all()}
        rows = _read(path)
        started = time.perf_counter()
        places = [
            Place(code=f"B{i:09d}", name=r["name"], category=r["category"], division=divisions[r["division"]])
            for i, r in enumerate(rows)
        ]
        if kind == "copy":
            _copy(places)
        else:
            Place.objects.bulk_create(places, batch_size=2000)
        elapsed = time.perf_counter() - started
    mine, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = max(mine.ru_maxrss, workers.ru_maxrss) / 1024
    # CPU seconds of the process (after its migration) and its reaped workers: on a shared
    # machine they move less with the load than the wall clock does.
    cpu = sum(u.ru_utime + u.ru_stime for u in (mine, workers)) - cpu_before
    print(f"RESULT {elapsed:.3f} {peak:.0f} {cpu:.1f}")


def _copy(places) -> None:
    """The same rows as bulk_create writes them (every concrete column, the model's
    defaults), in one ``COPY`` on PostgreSQL."""
    from django.db import connection, transaction

    from registry.models import Place

    fields = [f for f in Place._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {Place._meta.db_table} ({columns}) FROM STDIN") as copy:
            for place in places:
                copy.write_row([f.get_db_prep_save(f.pre_save(place, True), connection) for f in fields])


def run(kind: str, size: int, path: Path, database: str) -> tuple[float, float, float]:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings")
    created = None
    if database == "sqlite":
        db = tempfile.mkdtemp()
        env["DATABASE_URL"] = f"sqlite:///{db}/bench.sqlite3"
    else:
        created = f"{os.environ.get('BENCH_DB_PREFIX', 'registry_bench')}_{os.getpid()}_{kind}"
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", "-E", "UTF8", "-T", "template0", created], check=True
        )
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{created}"
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--child", kind, str(size), str(path)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout
    finally:
        if created:
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", created], check=False)
    _, seconds, peak, cpu = next(line for line in out.splitlines() if line.startswith("RESULT")).split()
    return float(seconds), float(peak), float(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--corpus", choices=["realistic", "repeating"], default="realistic")
    parser.add_argument("--format", choices=["csv", "json", "geojson"], default="csv")
    parser.add_argument("--tree", help="import with this checkout's code (default: this one)")
    parser.add_argument("--profile", help="write the import's cProfile stats here (forked workers not included)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, size, path = args.child
        child(kind, int(size), path)
        return
    if args.tree:
        os.environ["IMPORT_BENCH_TREE"] = str(Path(args.tree).resolve())
        print(f"code of {args.tree}", flush=True)
    if args.profile:
        os.environ["IMPORT_PROFILE"] = str(Path(args.profile).resolve())
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = Path(tmp) / f"census-{size}.{args.format}"
            write_csv(path, size, args.corpus, args.format)
            distinct = len({tuple(r) for r in _records(size, args.corpus)})
            print(f"{args.corpus} corpus, {size:,} rows, {distinct:,} distinct rows, {args.format}", flush=True)
            for database in args.databases:
                seconds, peak, cpu = run("import", size, path, database)
                bare, _, _ = run("bare", size, path, database)
                line = (
                    f"{database:<9} {size:>9,} rows: import {seconds:7.1f} s = {size / seconds:8,.0f} rows/s, "
                    f"cpu {cpu:5.1f} s, peak {peak:6,.0f} MB; bare bulk_create {bare:6.1f} s = {size / bare:8,.0f} "
                    f"rows/s; ratio {bare / seconds:.2f}"
                )
                if database == "postgres":
                    copy, _, _ = run("copy", size, path, database)
                    line += f"; bare COPY {copy:5.1f} s = {size / copy:8,.0f} rows/s, ratio {copy / seconds:.2f}"
                print(line, flush=True)
            with open("/proc/loadavg") as fh:
                print(f"load average: {fh.read().strip()}", flush=True)


if __name__ == "__main__":
    main()
