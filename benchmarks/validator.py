"""Benchmark of the name validator at 10k, 100k and 1M names (not a test: it prints figures).

For each corpus size it builds a fresh SQLite registry, then measures, in the same run:
- index build time and memory (RSS growth and the index's own estimate);
- full ``check_name`` latency, p50/p95, over perturbed and fresh queries;
- homophone lookup latency (romanize the query + indexed pinyin-key lookup);
- top-10 score-recall of the candidate index against exhaustive rapidfuzz ``ratio``;
- the same top-10 query by brute-force rapidfuzz and by difflib, as ratios;
- optionally (``--audit``) the registry-wide audit time.

Usage: .venv/bin/python benchmarks/validator.py [--sizes 10000 100000 1000000] [--queries 200] [--audit]
"""

from __future__ import annotations

import argparse
import difflib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def setup_registry(size: int) -> float:
    from django.core.management import call_command

    from benchmarks.corpus import corpus
    from registry.models import Division, Place, Revision
    from registry.romanization import romanize
    from registry.generics import split_generic
    from registry.validation.normalize import name_key

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    divisions = {d.code: d for d in Division.objects.all()}
    romanized: dict[tuple[str, str], tuple[str, str, str]] = {}
    batch: list[Place] = []
    letters = {
        "road": "R",
        "water": "W",
        "bridge": "B",
        "building": "J",
        "residential": "Q",
        "town": "Z",
        "village": "C",
    }
    for i, (name, category, division) in enumerate(corpus(size)):
        cached = romanized.get((name, category))
        if cached is None:
            roman = romanize(name, category)
            cached = romanized[(name, category)] = (roman.pinyin, roman.key, name_key(name, category))
        specific, generic = split_generic(name, category)
        batch.append(
            Place(
                code=f"{division}{letters[category]}{i:07d}",
                name=name,
                specific=specific,
                generic=generic,
                pinyin=cached[0],
                pinyin_key=cached[1],
                name_key=cached[2],
                category=category,
                division=divisions[division],
                status="active",
                revision=1,
                source="benchmark",
            )
        )
        if len(batch) == 10_000:
            Place.objects.bulk_create(batch)
            batch.clear()
    Place.objects.bulk_create(batch)
    Revision.objects.update_or_create(name="places", defaults={"value": 1})
    from django.db import connection

    if connection.vendor == "postgresql":  # a production database has statistics (autovacuum)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE registry_place, registry_placename")
    return time.perf_counter() - started


def score_recall(ours: list[float], exhaustive: list[float]) -> float:
    """Share of the exhaustive top-10 scores that the index's top-10 also reaches (ties count)."""
    if not exhaustive:
        return 1.0
    remaining = sorted(ours, reverse=True)
    hit = 0
    for score in sorted(exhaustive, reverse=True):
        if remaining and remaining[0] >= score - 1e-9:
            remaining.pop(0)
            hit += 1
    return hit / len(exhaustive)


def _warm_partitions(qs) -> tuple[int, float] | None:
    """Load the SIMILAR partitions of the queries' scopes (``registry.validation.partitions``),
    untimed in the checks, as the national index is built before them: the check is then timed
    in its steady state under either index. Returns (partitions, seconds), None if not partitioned."""
    from registry.freshness import snapshot
    from registry.validation import partitions
    from registry.validation.comparisons import scope_prefix
    from registry.validation.conf import conf

    if not conf("INDEX_PARTITIONED"):
        return None
    started, revision = time.perf_counter(), snapshot().places
    for _name, category, division in qs:
        categories = tuple(conf("COMPARE_WITH").get(category, (category,)))
        partitions.candidate_index(revision, categories, scope_prefix(category, division))
    return len(partitions.partitions().held), time.perf_counter() - started


def run(size: int, query_count: int, audit: bool) -> dict:
    from rapidfuzz import fuzz, process

    from benchmarks.corpus import corpus, queries
    from registry.romanization import romanize
    from registry.freshness import snapshot
    from registry.validation import check_name
    from registry.validation.comparisons import exact_findings, scope_prefix
    from registry.validation.similarity import get_index, reset_index

    setup_seconds = setup_registry(size)
    rows = corpus(size)
    qs = queries(rows, query_count)

    reset_index()
    rss_before = rss_mb()
    started = time.perf_counter()
    index, _pending = get_index(snapshot().places)
    build_seconds = time.perf_counter() - started
    rss_growth = rss_mb() - rss_before
    estimate_mb = index.memory_bytes() / 2**20

    warm_partitions = _warm_partitions(qs)  # as the national index above: built before the timing
    for name, category, division in qs[:5]:
        check_name(name, category, division=division)
    check_ms = []
    for name, category, division in qs:
        t = time.perf_counter()
        check_name(name, category, division=division)
        check_ms.append((time.perf_counter() - t) * 1000)

    homophone_ms = []
    for name, category, division in qs:
        t = time.perf_counter()
        key = romanize(name, category).key
        exact_findings(name, category, scope_prefix(category, division), None, key)
        homophone_ms.append((time.perf_counter() - t) * 1000)

    names_by_category: dict[str, list[str]] = {}
    for i, name in enumerate(index.names):
        if index.alive[i]:
            names_by_category.setdefault(list(CATEGORY_CODES)[index.categories[i]], []).append(name)
    recalls, index_ms, brute_ms = [], [], []
    for name, category, _division in qs:
        t = time.perf_counter()
        ours = index.candidates(name, (category,), limit=10)
        index_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        exhaustive = process.extract(name, names_by_category[category], scorer=fuzz.ratio, limit=10)
        brute_ms.append((time.perf_counter() - t) * 1000)
        recalls.append(score_recall([c.score for c in ours], [s for _, s, _ in exhaustive]))

    difflib_queries = qs[: max(1, min(20, 200_000 // size))]
    difflib_ms = []
    for name, category, _division in difflib_queries:
        t = time.perf_counter()
        matcher = difflib.SequenceMatcher(None, name)
        scores = []
        for other in names_by_category[category]:
            matcher.set_seq1(other)
            scores.append(matcher.ratio())
        sorted(scores, reverse=True)[:10]
        difflib_ms.append((time.perf_counter() - t) * 1000)

    result = {
        "size": size,
        "setup_s": setup_seconds,
        "build_s": build_seconds,
        "rss_growth_mb": rss_growth,
        "index_estimate_mb": estimate_mb,
        "warm_partitions": warm_partitions,
        "check_p50": pct(check_ms, 0.5),
        "check_p95": pct(check_ms, 0.95),
        "homophone_p50": pct(homophone_ms, 0.5),
        "homophone_p95": pct(homophone_ms, 0.95),
        "recall_mean": statistics.mean(recalls),
        "recall_min": min(recalls),
        "index_p50": pct(index_ms, 0.5),
        "index_p95": pct(index_ms, 0.95),
        "brute_p50": pct(brute_ms, 0.5),
        "brute_p95": pct(brute_ms, 0.95),
        "difflib_p50": pct(difflib_ms, 0.5),
        "difflib_n": len(difflib_ms),
    }
    if audit:
        from registry.validation.audit import audit_places

        t = time.perf_counter()
        total, results = audit_places()
        flagged = sum(1 for r in results if r.findings)
        result["audit_s"] = time.perf_counter() - t
        result["audit_flagged"] = flagged
    return result


CATEGORY_CODES = ("road", "water", "bridge", "building", "residential", "town", "village")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--audit", action="store_true", help="also time the registry-wide audit")
    parser.add_argument("--candidates", type=int, help="override the index's candidate count (default: the module's)")
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)  # one size in a child process
    args = parser.parse_args()
    if args.size is None:
        import subprocess

        for size in args.sizes:
            cmd = [sys.executable, __file__, "--size", str(size), "--queries", str(args.queries)]
            cmd += ["--audit"] if args.audit else []
            cmd += ["--candidates", str(args.candidates)] if args.candidates else []
            subprocess.run(cmd, check=True)
        return
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        from registry.validation import similarity

        assert list(similarity.CATEGORY_IDS) == list(CATEGORY_CODES)
        if args.candidates:
            similarity.CANDIDATES = args.candidates
        print(f"candidates per query: {similarity.CANDIDATES}")
        r = run(args.size, args.queries, args.audit)
    print(f"\n== {r['size']:,} names (setup {r['setup_s']:.0f} s)")
    print(
        f"index build            {r['build_s']:.2f} s; memory {r['rss_growth_mb']:.0f} MB RSS growth "
        f"({r['rss_growth_mb'] / r['size'] * 1e6:.0f} MB per million), estimate {r['index_estimate_mb']:.0f} MB"
    )
    if r.get("warm_partitions"):
        count, seconds = r["warm_partitions"]
        print(f"partitions loaded      {count} for the queries' scopes in {seconds:.2f} s (before the timed checks)")
    print(f"full check             p50 {r['check_p50']:.2f} ms, p95 {r['check_p95']:.2f} ms")
    print(f"homophone lookup       p50 {r['homophone_p50']:.3f} ms, p95 {r['homophone_p95']:.3f} ms")
    print(
        f"top-10 via index       p50 {r['index_p50']:.2f} ms, p95 {r['index_p95']:.2f} ms; "
        f"score-recall mean {r['recall_mean']:.4f}, min {r['recall_min']:.2f}"
    )
    print(
        f"top-10 brute rapidfuzz p50 {r['brute_p50']:.2f} ms, p95 {r['brute_p95']:.2f} ms "
        f"(index is {r['brute_p50'] / r['index_p50']:.1f}x faster at p50)"
    )
    print(
        f"top-10 difflib         p50 {r['difflib_p50']:.0f} ms over {r['difflib_n']} queries "
        f"({r['difflib_p50'] / r['index_p50']:.0f}x the index, {r['difflib_p50'] / r['brute_p50']:.0f}x brute rapidfuzz)"
    )
    if "audit_s" in r:
        print(
            f"audit_names            {r['audit_s']:.1f} s for {r['size']:,} places ({r['audit_flagged']:,} with findings)"
        )


if __name__ == "__main__":
    main()
