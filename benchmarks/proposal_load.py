"""Proposal writes under load (issue #12, reliability 9): gunicorn with 2 workers, 8 concurrent clients.

Builds the demo registry in a fresh database, issues a staff (clerk) token, starts
gunicorn (2 sync workers) on 127.0.0.1, and has 8 client threads (``http.client``, one
keep-alive connection each) POST naming proposals to ``/api/v1/proposals/`` for a fixed
number of requests each. The same run first measures a GET of one place detail with the
same 8 clients: that baseline says what the machine and the stack cost, so the write's
figures can be judged on a loaded machine. With ``--before PATH`` the same is run first
against another checkout (e.g. ``/work/main``), on its own fresh database, so before
and after come from one run.

Every request goes to 127.0.0.1; every step is bounded in time.

Usage: .venv/bin/python benchmarks/proposal_load.py [--database sqlite|postgres] [--requests 40]
       [--before /path/to/other/checkout]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8797
CLIENTS = 8
SETUP = """
import django, os, sys
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("load_demo")
from django.contrib.auth.models import Group, User
from registry.models import Place
from registry.services.tokens import token_issue
user = User.objects.create_user("bench-clerk", password="bench-clerk-pw", is_staff=True)
user.groups.add(Group.objects.get(name="clerk"))
print(json.dumps({"token": token_issue(user=user)[1],
                  "code": Place.objects.filter(category="road").order_by("code").values_list("code", flat=True)[5]}))
"""


def _database(kind: str, tmp: str, label: str) -> tuple[str, str | None]:
    if kind == "sqlite":
        return f"sqlite:///{tmp}/{label}.sqlite3", None
    name = f"h_stale_bench_{label}_{os.getpid()}"
    subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-U", "postgres", "-E", "UTF8", "-T", "template0", name], check=True, timeout=60
    )
    return f"postgres://postgres@127.0.0.1:5432/{name}", name


def _env(checkout: Path, url: str) -> dict:
    return dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="benchmarks.bench_settings",
        PYTHONPATH=str(checkout),
        DJANGO_SECRET_KEY="bench-" + "x" * 50,
    )


def _setup(checkout: Path, url: str) -> dict:
    code = "import json;" + SETUP
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=checkout,
        env=_env(checkout, url),
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _request(conn: http.client.HTTPConnection, method: str, path: str, body: bytes | None, headers: dict) -> int:
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    return response.status


def _load(method: str, path: str, make_body, headers: dict, per_client: int) -> dict:
    """``CLIENTS`` threads, ``per_client`` requests each; latencies in ms, non-2xx counted."""
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        try:
            for n in range(per_client):
                body = make_body(index, n)
                started = time.perf_counter()
                status = _request(conn, method, path, body, headers)
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    if status >= 300:
                        errors.append(status)
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "n": len(latencies),
        "median": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "rps": len(latencies) / wall,
        "errors": len(errors),
    }


def _proposal_body(index: int, n: int) -> bytes:
    return json.dumps(
        {
            "action": "name",
            "name": "习友路",
            "category": "road",
            "division": "340104",
            "reason": f"基准测试 {index}-{n}",
        }
    ).encode("utf-8")


def _wait_up(path: str) -> None:
    for _ in range(120):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            if _request(conn, "GET", path, None, {}) == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not come up")


def measure(checkout: Path, kind: str, per_client: int, label: str) -> dict:
    tmp = tempfile.mkdtemp(prefix="proposal-load-")
    url, created = _database(kind, tmp, label)
    server = None
    try:
        given = _setup(checkout, url)
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
            cwd=checkout,
            env=_env(checkout, url),
            start_new_session=True,
        )
        place = f"/api/v1/places/{given['code']}/"
        _wait_up(place)
        auth = {"Authorization": f"Token {given['token']}", "Accept": "application/json"}
        post = {**auth, "Content-Type": "application/json"}
        _load("POST", "/api/v1/proposals/", _proposal_body, post, 2)  # warm both workers
        _load("GET", place, lambda i, n: None, auth, 2)
        results = {
            "GET place (baseline)": _load("GET", place, lambda i, n: None, auth, per_client),
            "POST proposal": _load("POST", "/api/v1/proposals/", _proposal_body, post, per_client),
        }
        return results
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        if created:
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", created], timeout=60)


def _print(label: str, results: dict) -> None:
    for what, r in results.items():
        print(
            f"{label:8} {what:22} n={r['n']:4}  median {r['median']:7.1f} ms  p99 {r['p99']:7.1f} ms  "
            f"{r['rps']:6.1f} req/s  errors {r['errors']}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=40, help="requests per client (8 clients)")
    parser.add_argument("--before", type=Path, help="another checkout to measure first (e.g. /work/main)")
    args = parser.parse_args()
    print(f"{CLIENTS} clients, gunicorn 2 workers, {args.database}, {args.requests} requests per client")
    if args.before:
        _print("before", measure(args.before.resolve(), args.database, args.requests, "before"))
    _print("after" if args.before else "this", measure(ROOT, args.database, args.requests, "after"))


if __name__ == "__main__":
    main()
