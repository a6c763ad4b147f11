"""Benchmark of ``import_places --update``: renames per second at 1k, 4k and 10k rows.

For each size and database, in a fresh registry: the create path imports ``size`` places
of the synthetic census (``corpus``: real Hefei divisions, the category mix of a census,
about a fifth of the names repeated), which is the same-run baseline; then a file of
the same codes, each with a new distinct name of its category, is imported with
``--update`` (one rename per row, through the services, audit entries and names history
included). Meanwhile a probe thread saves one place every 0.2 s, as a clerk would, and
the longest it waited is reported: with bounded batches it is the time of one batch.

Usage: .venv/bin/python benchmarks/import_update.py [--sizes 1000 4000 10000] [--databases sqlite postgres]
       [--root DIR]   (the checkout whose code is measured, e.g. another worktree for a before/after)
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, os.environ.get("BENCH_ROOT", str(ROOT)))  # the code measured (--root)


def write_files(folder: Path, size: int) -> tuple[Path, Path]:
    """The census (name, category, division) and the renames (code, new name, category, division)."""
    from benchmarks.corpus import corpus, make_name

    rows = corpus(size)
    census, renames = folder / f"census-{size}.csv", folder / f"renames-{size}.csv"
    with open(census, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name", "category", "division"])
        writer.writerows(rows)
    taken = {name for name, _c, _d in rows}
    rng, fresh = random.Random(99), {}
    while sum(len(v) for v in fresh.values()) < size:
        name, category = make_name(rng)
        name = f"新{name}"  # distinct from every current name
        if name not in taken:
            taken.add(name)
            fresh.setdefault(category, []).append(name)
    with open(renames, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["code", "name", "category", "division"])
        for line, (_name, category, division) in enumerate(rows):
            pool = fresh.get(category) or next(v for v in fresh.values() if v)
            writer.writerow([f"@{line}", pool.pop(), category, division])
    return census, renames


def child(census: str, renames: str) -> None:
    import faulthandler
    import signal

    import django

    faulthandler.register(signal.SIGUSR1)  # kill -USR1 <pid>: where each thread is, on stderr

    django.setup()
    from django.core.management import call_command

    from registry.importers.places import import_places
    from registry.models import Place

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    created = import_places(census, legacy=True)  # the synthetic census repeats names: legacy data
    create_seconds = time.perf_counter() - started
    assert created.ok, created.problems[:3]
    codes = list(Place.objects.order_by("pk").values_list("code", flat=True))
    coded = Path(renames).with_suffix(".coded.csv")
    with open(renames, encoding="utf-8") as src, open(coded, "w", encoding="utf-8", newline="") as out:
        reader, writer = csv.reader(src), csv.writer(out)
        writer.writerow(next(reader))
        for row in reader:
            writer.writerow([codes[int(row[0][1:])], *row[1:]])
    probe = _Probe()
    probe.start()
    started = time.perf_counter()
    updated = import_places(coded, update=True, legacy=True)
    update_seconds = time.perf_counter() - started
    probe.stop()
    assert updated.ok and updated.updated == len(codes), (updated.problems[:3], updated.updated)
    print(f"RESULT {create_seconds:.3f} {update_seconds:.3f} {probe.longest:.3f} {probe.failures}")


class _Probe(threading.Thread):
    """A clerk saving one place every 0.2 s: the longest wait and the failed saves."""

    def __init__(self):
        super().__init__(daemon=True)
        self.longest, self.failures, self._done = 0.0, 0, threading.Event()

    def run(self) -> None:
        from django.db import DatabaseError, connection

        from registry.models import Place
        from registry.services.places import place_update

        place = Place.objects.order_by("-pk").first()
        count = 0
        while not self._done.wait(0.2):
            count += 1
            started = time.perf_counter()
            try:
                place_update(place=Place.objects.get(pk=place.pk), reason="probe", source=f"probe {count}")
            except DatabaseError:
                self.failures += 1
            self.longest = max(self.longest, time.perf_counter() - started)
        connection.close()

    def stop(self) -> None:
        self._done.set()
        self.join()


def run(census: Path, renames: Path, database: str, root: Path) -> list[float]:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings", BENCH_ROOT=str(root))
    created = None
    if database == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    else:
        created = f"registry_bench_update_{os.getpid()}"
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", "-E", "UTF8", "-T", "template0", created], check=True
        )
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{created}"
    try:
        out = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child", str(census), str(renames)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            cwd=root,
        ).stdout
    finally:
        if created:
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", created], check=False)
    return [float(v) for v in next(line for line in out.splitlines() if line.startswith("RESULT")).split()[1:]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000, 10_000])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            census, renames = write_files(Path(tmp), size)
            for database in args.databases:
                create, update, longest, failures = run(census, renames, database, args.root.resolve())
                print(
                    f"{database:<9} {size:>7,} renames: update {update:7.1f} s = {size / update:7,.0f} rows/s; "
                    f"create path (same rows) {create:6.1f} s = {size / create:7,.0f} rows/s; "
                    f"ratio {create / update:.3f}; a clerk's save waited at most {longest:.2f} s, "
                    f"{failures:.0f} failed",
                    flush=True,
                )


if __name__ == "__main__":
    main()
