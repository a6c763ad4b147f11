"""Benchmark of the REST API at 100k places: gunicorn (2 workers) on 127.0.0.1, loaded by wrk.

For each database it builds a registry of 100k synthetic places, starts gunicorn with
2 sync workers, warms it, and runs ``wrk -t1 -c8 -d10s`` against: the place list (20
rows, filtered by category), a place detail, search, the name check (POST), and a bare
Django ``JsonResponse`` of the same 20 rows — the ratio list/bare is the target.
Traffic goes to 127.0.0.1 only; every run is bounded in time.

Usage: .venv/bin/python benchmarks/api.py [--databases sqlite postgres] [--size 100000]
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8799


def build(database_url: str, size: int) -> str:
    code = (
        "import os,sys; sys.path.insert(0, %r); os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
        "import django; django.setup();"
        "from benchmarks.validator import setup_registry; setup_registry(%d);"
        "from registry.models import Place; print(Place.objects.filter(category='road').order_by('code').values_list('code', flat=True)[500])"
    ) % (str(ROOT), size)
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=dict(os.environ, DATABASE_URL=database_url),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.strip().splitlines()[-1]


def wrk(url: str, script: str | None = None) -> dict:
    cmd = ["wrk", "-t1", "-c8", "-d10s", "--latency"] + (["-s", script] if script else []) + [url]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(label: str) -> float:
        match = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": latency("50"), "p99": latency("99"), "errors": int(errors.group(1)) if errors else 0}


def run(database: str, size: int) -> None:
    created = None
    tmp = tempfile.mkdtemp()
    if database == "sqlite":
        url = f"sqlite:///{tmp}/api.sqlite3"
    else:
        created = f"registry_apibench_{os.getpid()}"
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", "-E", "UTF8", "-T", "template0", created], check=True
        )
        url = f"postgres://postgres@127.0.0.1:5432/{created}"
    server = None
    try:
        code = build(url, size)
        env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="benchmarks.bench_settings")
        server = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "config.wsgi",
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{PORT}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{PORT}"
        for _ in range(60):
            try:
                urllib.request.urlopen(f"{base}/bare/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        lua = Path(tmp) / "check.lua"
        lua.write_text(
            'wrk.method = "POST"\nwrk.body = \'{"name": "长江仲路", "category": "road", "division": "340104"}\'\n'
            'wrk.headers["Content-Type"] = "application/json"\n',
            encoding="utf-8",
        )
        q = urllib.parse.quote("长江仲路")
        targets = [
            ("bare JsonResponse", f"{base}/bare/", None),
            ("place list", f"{base}/api/v1/places/?category=road", None),
            ("place detail", f"{base}/api/v1/places/{code}/", None),
            ("search", f"{base}/api/v1/search/?q={q}", None),
            ("name check", f"{base}/api/v1/names/check/", str(lua)),
        ]
        for _label, target, script in targets:  # warm both workers' caches and indexes
            for _ in range(4):
                subprocess.run(
                    ["wrk", "-t1", "-c2", "-d1s"] + (["-s", script] if script else []) + [target],
                    capture_output=True,
                    timeout=30,
                )
        results = {label: wrk(target, script) for label, target, script in targets}
        bare = results["bare JsonResponse"]["rps"]
        print(f"\n== {database}, {size:,} places, gunicorn -w 2, wrk -t1 -c8 -d10s")
        for label, r in results.items():
            print(
                f"{label:<18} {r['rps']:8.0f} req/s  p50 {r['p50']:6.1f} ms  p99 {r['p99']:6.1f} ms  "
                f"({r['rps'] / bare:.2f}x bare){'  non-2xx: %d' % r['errors'] if r['errors'] else ''}",
                flush=True,
            )
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        if created:
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", created], check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--size", type=int, default=100_000)
    args = parser.parse_args()
    for database in args.databases:
        run(database, args.size)


if __name__ == "__main__":
    main()
