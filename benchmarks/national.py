"""The name check at national scale (issue #18): partitioned candidates beside the national index.

Builds the realistic corpus (``benchmarks.corpus``: Anhui's 16 cities by default,
``--region china`` for the national corpus over 342 cities) at ``--size`` names into a
fresh SQLite file or PostgreSQL database, then, in fresh worker processes, for the
partitioned index (``validation/partitions.py``, the default) and for the national index
of before (``INDEX_PARTITIONED = False``, the same run's baseline), prints:

- the first check in a fresh worker (the index or its one partition read from the
  database), median and max over ``--fresh`` workers, each a different query;
- ``check_name`` p50/p95 over ``--queries`` perturbed and fresh names spread over every
  scope: the first pass (partitions loading as their scopes come up) and the steady
  pass after it;
- the worker's RSS after both passes, and its growth from a worker that checked nothing;
- with ``--audit``, the registry-wide audit's time, and per 100k names.

Usage: .venv/bin/python benchmarks/national.py --size 100000 [--db sqlite|postgres]
       [--region anhui|china] [--queries 300] [--fresh 3] [--audit] [--profile FILE]
Timed runs: ``flock /tmp/bench.lock …``; the load average is printed beside the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LETTERS = {"road": "R", "water": "W", "bridge": "B", "building": "J", "residential": "Q", "town": "Z", "village": "C"}
MODES = {"national": False, "partitioned": True}


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def setup(partitioned: bool = True, budget: int | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.REGISTRY_VALIDATION = {**getattr(settings, "REGISTRY_VALIDATION", {}), "INDEX_PARTITIONED": partitioned}
    if budget is not None:
        settings.REGISTRY_VALIDATION["INDEX_MEMORY_MB"] = budget


def _divisions(region: str) -> None:
    """Every division the national corpus places names in (the migration loads Anhui's)."""
    from benchmarks.corpus import division_rows
    from registry.models import Division

    if region == "china":
        known = set(Division.objects.values_list("code", flat=True))
        for code, name, level, parent in division_rows():
            if code not in known:  # a code may come twice (a city's code is its county's)
                known.add(code)
                Division.objects.create(code=code, name=name, level=level, parent_id=parent or None, source="benchmark")


def load(size: int, region: str) -> tuple[float, list]:
    """Write the corpus (romanized, with its keys, as the importer stores it); (seconds, rows)."""
    from django.core.management import call_command
    from django.db import connection

    from benchmarks.corpus import national_corpus, realistic_corpus
    from registry.generics import split_generic
    from registry.models import Place, Revision
    from registry.romanization import romanize
    from registry.validation.normalize import name_key

    call_command("migrate", verbosity=0)
    _divisions(region)
    started = time.perf_counter()
    rows = list(national_corpus(size)) if region == "china" else realistic_corpus(size, region=region)
    batch: list[Place] = []
    for i, (name, category, division) in enumerate(rows):
        roman = romanize(name, category)
        specific, generic = split_generic(name, category)
        batch.append(
            Place(
                code=f"{division}{LETTERS[category]}{i:08d}",
                name=name,
                specific=specific,
                generic=generic,
                pinyin=roman.pinyin,
                pinyin_key=roman.key,
                name_key=name_key(name, category),
                category=category,
                division_id=division,
                status="active",
                revision=1,
                source="benchmark",
            )
        )
        if len(batch) == 5_000:
            Place.objects.bulk_create(batch)
            batch.clear()
    Place.objects.bulk_create(batch)
    Revision.objects.update_or_create(name="places", defaults={"value": 1})
    if connection.vendor == "postgresql":  # a production database has statistics (autovacuum)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE registry_place, registry_placename")
    return time.perf_counter() - started, rows


def worker(queries: list, fresh_only: bool, profile: str | None) -> dict:
    """One worker process: its first check, then two passes over the queries."""
    from registry.validation import check_name
    from registry.validation.partitions import partitions

    before = rss_mb()
    started = time.perf_counter()
    check_name(*queries[0][:2], division=queries[0][2])
    out = {"first_s": time.perf_counter() - started, "idle_rss": before}
    if fresh_only:
        return out
    passes = []
    for _number in range(2):
        times = []
        for name, category, division in queries:
            t = time.perf_counter()
            check_name(name, category, division=division)
            times.append((time.perf_counter() - t) * 1000)
        passes.append(times)
    if profile:  # a third pass, untimed: the profiler's overhead stays out of the figures
        import cProfile

        profiler = cProfile.Profile()
        profiler.runcall(lambda: [check_name(n, c, division=d) for n, c, d in queries])
        profiler.dump_stats(profile)
    held = partitions()
    out.update(
        cold_p50=pct(passes[0], 0.5),
        cold_p95=pct(passes[0], 0.95),
        p50=pct(passes[1], 0.5),
        p95=pct(passes[1], 0.95),
        rss=rss_mb(),
        partitions=len(held.held),
        loads=held.loads,
        estimate_mb=held.memory_bytes() / 2**20,
    )
    return out


def audit() -> float:
    from registry.validation.audit import audit_places

    started = time.perf_counter()
    _total, results = audit_places()
    for _result in results:
        pass
    return time.perf_counter() - started


def child(args) -> None:
    setup(MODES.get(args.mode, True), args.budget)
    if args.child == "load":
        from benchmarks.corpus import queries

        seconds, rows = load(args.size, args.region)
        picked = queries(rows, args.queries + args.fresh, seed=18)
        print("RESULT " + json.dumps({"load_s": seconds, "queries": picked}, ensure_ascii=False))
    elif args.child == "audit":
        print("RESULT " + json.dumps({"audit_s": audit()}))
    else:
        with open(args.queries_file, encoding="utf-8") as fh:
            picked = json.load(fh)
        start = int(args.child[5:]) if args.child.startswith("fresh") else args.fresh
        qs = [tuple(q) for q in picked[start:]] if args.child == "steady" else [tuple(picked[start])]
        print("RESULT " + json.dumps(worker(qs, args.child != "steady", args.profile)))


def run_child(args, env, kind: str, mode: str = "partitioned", queries_file: str = "") -> dict:
    cmd = [sys.executable, __file__, "--child", kind, "--mode", mode, "--size", str(args.size)]
    cmd += ["--region", args.region, "--queries", str(args.queries), "--fresh", str(args.fresh)]
    cmd += ["--queries-file", queries_file] if queries_file else []
    cmd += ["--budget", str(args.budget)] if args.budget is not None else []
    cmd += ["--profile", args.profile] if args.profile and mode == "partitioned" and kind == "steady" else []
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(next(line for line in out.splitlines() if line.startswith("RESULT "))[7:])


def database(kind: str, tmp: str) -> tuple[str, str | None]:
    if kind == "sqlite":
        return f"sqlite:///{tmp}/national.sqlite3", None
    name = f"{os.environ.get('BENCH_DB_PREFIX', 'h_D_national')}_{os.getpid()}"
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "-E", "UTF8", "-T", "template0", name], check=True)
    return f"postgres://postgres@127.0.0.1:5432/{name}", name


def measure(args, env, queries_file: str) -> dict:
    """Both modes, each in fresh workers, alternating (national first)."""
    results = {}
    for mode in MODES:
        fresh = [run_child(args, env, f"fresh{i}", mode, queries_file)["first_s"] for i in range(args.fresh)]
        results[mode] = {**run_child(args, env, "steady", mode, queries_file), "fresh": fresh}
    return results


def report(args, load_s: float, results: dict, audit_s: float | None) -> None:
    with open("/proc/loadavg") as fh:
        load_avg = " ".join(fh.read().split()[:3])
    print(f"\n== {args.size:,} names, realistic corpus ({args.region}), {args.db}; load {load_s:.0f} s")
    print(f"loadavg {load_avg}; {args.queries} queries over every scope, first checks in {args.fresh} fresh workers")
    for mode, r in results.items():
        fresh = r["fresh"]
        print(
            f"{mode:12} first check {statistics.median(fresh):.2f} s (max {max(fresh):.2f}); "
            f"check p50 {r['p50']:.2f} ms, p95 {r['p95']:.2f} ms "
            f"(first pass p50 {r['cold_p50']:.2f}, p95 {r['cold_p95']:.2f}); "
            f"RSS {r['rss']:.0f} MB (+{r['rss'] - r['idle_rss']:.0f} over an idle worker)"
        )
        if mode == "partitioned":
            print(f"{'':12} {r['partitions']} partitions held, {r['loads']} loaded, estimate {r['estimate_mb']:.0f} MB")
    if audit_s is not None:
        print(f"audit        {audit_s:.1f} s ({audit_s / args.size * 1e5:.1f} s per 100k names)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--region", choices=("anhui", "china", "hefei"), default="anhui")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--fresh", type=int, default=3, help="fresh workers timing their first check")
    parser.add_argument("--budget", type=int, help="INDEX_MEMORY_MB (default: the setting's)")
    parser.add_argument("--audit", action="store_true", help="also time the registry-wide audit")
    parser.add_argument("--profile", help="cProfile of a third, untimed pass (partitioned), to this file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="partitioned", help=argparse.SUPPRESS)
    parser.add_argument("--queries-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    with tempfile.TemporaryDirectory() as tmp:
        url, created = database(args.db, tmp)
        env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="config.settings")
        try:
            loaded = run_child(args, env, "load")
            queries_file = f"{tmp}/queries.json"
            with open(queries_file, "w", encoding="utf-8") as fh:
                json.dump(loaded["queries"], fh, ensure_ascii=False)
            results = measure(args, env, queries_file)
            audit_s = run_child(args, env, "audit")["audit_s"] if args.audit else None
        finally:
            if created:
                subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", created], check=False)
    report(args, loaded["load_s"], results, audit_s)


if __name__ == "__main__":
    main()
