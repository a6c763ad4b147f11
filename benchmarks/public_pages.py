"""The public place page at 100k places (issue #15: p95 <= 50 ms on the 2-core machine).

Builds a registry of 100k synthetic places by the real import (``import_places``: every
place with its official name row and history, one in ten with a former name), starts
gunicorn with 2 sync workers and ``DEBUG=False``, and requests *distinct* place pages:
every request is for a different place, as a city's visitors ask (no response is
cached, nothing is served twice). The same run measures a bare Django view that reads
the same place by code and returns a two-line HTML page (``/bare/place/<code>/`` in
``benchmarks/bench_urls.py``): the machine's and the stack's own cost.

Two loads: one client per worker (the latency a visitor sees on a quiet server) and
8 concurrent clients (the same requests queued behind each other).

Usage: .venv/bin/python benchmarks/public_pages.py [--database sqlite|postgres] [--size 100000] [--requests 2000]
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PORT = 8796
TARGET_P95_MS = 50.0
BUILD = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from registry.importers.places import import_places
result = import_places(%r, legacy=True)
assert result.ok, result.problems[:3]
from registry.models import Place
print(json.dumps(list(Place.objects.values_list("code", flat=True))))
"""


def write_csv(path: Path, size: int) -> None:
    from benchmarks.corpus import corpus

    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name", "category", "division", "former_names"])
        for i, (name, category, division) in enumerate(corpus(size)):
            writer.writerow([name, category, division, f"旧{name}||2000" if i % 10 == 0 else ""])


def _env(url: str) -> dict:
    return dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="benchmarks.bench_settings",
        DJANGO_SECRET_KEY="bench-" + "x" * 50,
        PYTHONPATH=str(ROOT),
    )


def _get(conn: http.client.HTTPConnection, path: str) -> int:
    conn.request("GET", path, headers={"Accept-Language": "zh-hans"})
    response = conn.getresponse()
    response.read()
    return response.status


def load(paths: list[str], clients: int) -> dict:
    """``clients`` threads share ``paths`` (each path requested once); latencies in ms."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    shares = [paths[i::clients] for i in range(clients)]

    def client(share: list[str]) -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        try:
            for path in share:
                started = time.perf_counter()
                status = _get(conn, path)
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    errors += status != 200
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(share,)) for share in shares]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=900)
    wall = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))]

    return {
        "n": len(latencies),
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "rps": len(latencies) / wall,
        "errors": errors,
    }


def _wait_up(path: str) -> None:
    for _ in range(240):
        try:
            if _get(http.client.HTTPConnection("127.0.0.1", PORT, timeout=2), path) == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not come up")


def run(database: str, size: int, requests: int) -> bool:
    tmp = tempfile.mkdtemp(prefix="public-pages-")
    created = None
    if database == "sqlite":
        url = f"sqlite:///{tmp}/public.sqlite3"
    else:
        created = f"registry_publicbench_{os.getpid()}"
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", "-E", "UTF8", "-T", "template0", created],
            check=True,
            timeout=60,
        )
        url = f"postgres://postgres@127.0.0.1:5432/{created}"
    server = None
    try:
        path = Path(tmp) / "places.csv"
        write_csv(path, size)
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", BUILD % str(path)],
            cwd=ROOT,
            env=_env(url),
            check=True,
            capture_output=True,
            text=True,
            timeout=1800,
        ).stdout
        codes = json.loads(out.strip().splitlines()[-1])
        print(f"\n== {database}: {len(codes):,} places imported in {time.perf_counter() - started:.0f} s", flush=True)
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi",
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{PORT}",
                "--log-level",
                "warning",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=_env(url),
            start_new_session=True,
        )
        _wait_up(f"/places/{codes[0]}/")
        sample = random.Random(2026).sample(codes, min(len(codes), 2 * requests + 200))
        warm, sample = sample[:200], sample[200:]
        load([f"/places/{c}/" for c in warm], 2)
        load([f"/bare/place/{c}/" for c in warm], 2)
        first, second = sample[:requests], sample[requests:]
        ok = True
        for clients in (2, 8):
            codes_for = first if clients == 2 else second
            bare = load([f"/bare/place/{c}/" for c in codes_for], clients)
            page = load([f"/places/{c}/" for c in codes_for], clients)
            for label, r in (("bare view (baseline)", bare), ("place page", page)):
                print(
                    f"{clients} clients  {label:22} n={r['n']:5}  p50 {r['p50']:6.1f} ms  p95 {r['p95']:6.1f} ms  "
                    f"p99 {r['p99']:6.1f} ms  {r['rps']:7.1f} req/s  non-200 {r['errors']}",
                    flush=True,
                )
            print(
                f"{clients} clients  place page / bare: p95 {page['p95'] / bare['p95']:.2f}x, "
                f"throughput {page['rps'] / bare['rps']:.2f}x",
                flush=True,
            )
            if clients == 2:
                ok = page["p95"] <= TARGET_P95_MS and page["errors"] == 0
                print(f"target p95 <= {TARGET_P95_MS:.0f} ms (one client per worker): {'met' if ok else 'NOT met'}")
        return ok
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        if created:
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", created], timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=2000, help="distinct place pages per load")
    args = parser.parse_args()
    results = [run(database, args.size, args.requests) for database in args.database]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
