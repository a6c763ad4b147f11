"""A local primary and streaming replica: reads on the replica, read-your-writes, lag, read load.

Sets up two PostgreSQL clusters with the installed server (``initdb`` a primary on port
5440 with ``wal_level=replica``, ``pg_basebackup -R`` a replica on 5441, both as the
``postgres`` OS user, in a temporary directory), migrates and loads the demo on the
primary, starts gunicorn (2 workers) with ``DATABASE_URL`` (primary) and
``DATABASE_REPLICA_URL`` (replica), then checks and prints:

(a) public reads are answered by the replica: the ``X-Registry-Read-From`` header
    (``REGISTRY_REPLICA_HEADER``, benchmarks only) and each server's ``xact_commit``
    delta in ``pg_stat_database`` over the load;
(b) a write followed at once by a read from the same token client sees the new data,
    every time (and how often the replica alone, read at once, had not got it yet);
(c) the replica's lag in bytes and seconds;
(d) a read load (threads of urllib over a few URLs), primary-only vs replica-routed.

Everything it started (gunicorn, both clusters, the temp directory) is stopped and
removed on the way out, failure included. Not run in CI (README "Scaling out").

Usage: .venv/bin/python benchmarks/replica.py [--requests 2000] [--pairs 50]
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRIMARY_PORT, REPLICA_PORT, APP_PORT = 5440, 5441, 8797
DB = "registry"
URLS = ["/api/v1/places/?category=road", "/api/v1/places/", "/api/v1/search/?q=长江", "/ogc/collections", "/"]


def pg_bin(name: str) -> str:
    return sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))[-1]


def as_postgres(*cmd: str, **kw) -> subprocess.CompletedProcess:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(prefix + list(cmd), check=True, capture_output=True, text=True, **kw)


def psql(port: int, sql: str, db: str = DB) -> str:
    out = as_postgres(pg_bin("psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", db, "-At", "-c", sql)
    return out.stdout.strip()


def start_clusters(stack: ExitStack, tmp: Path) -> None:
    primary, replica = tmp / "primary", tmp / "replica"
    as_postgres(pg_bin("initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8")
    conf = f"port={PRIMARY_PORT}\nlisten_addresses='127.0.0.1'\nunix_socket_directories='{tmp}'\n"
    conf += "wal_level=replica\nmax_wal_senders=4\nhot_standby=on\nfsync=off\n"
    (primary / "postgresql.conf").write_text((primary / "postgresql.conf").read_text() + conf)
    with open(primary / "pg_hba.conf", "a") as hba:
        hba.write("host replication postgres 127.0.0.1/32 trust\n")
    as_postgres(pg_bin("pg_ctl"), "-D", str(primary), "-l", str(tmp / "primary.log"), "-w", "start")
    stack.callback(lambda: as_postgres(pg_bin("pg_ctl"), "-D", str(primary), "-m", "immediate", "stop"))
    psql(PRIMARY_PORT, f"CREATE DATABASE {DB}", db="postgres")
    as_postgres(
        pg_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(PRIMARY_PORT), "-U", "postgres", "-D", str(replica), "-R"
    )
    with open(replica / "postgresql.conf", "a") as f:
        f.write(f"port={REPLICA_PORT}\n")
    as_postgres(pg_bin("pg_ctl"), "-D", str(replica), "-l", str(tmp / "replica.log"), "-w", "start")
    stack.callback(lambda: as_postgres(pg_bin("pg_ctl"), "-D", str(replica), "-m", "immediate", "stop"))


def manage(env: dict, *args: str) -> str:
    cmd = [sys.executable, str(ROOT / "manage.py"), *args]
    return subprocess.run(cmd, env=env, check=True, capture_output=True, text=True, cwd=ROOT).stdout


CLERK = (
    "from django.contrib.auth.models import Group, User;"
    "u,_=User.objects.get_or_create(username='bench-clerk', defaults={'is_staff': True});"
    "u.groups.add(Group.objects.get(name='clerk'))"
)


def start_app(stack: ExitStack, env: dict) -> str:
    app = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{APP_PORT}", "config.wsgi"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )

    def stop():
        os.killpg(app.pid, signal.SIGTERM)
        app.wait(timeout=20)

    stack.callback(stop)
    base = f"http://127.0.0.1:{APP_PORT}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/api/v1/places/", timeout=5).read()
            return base
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer")


def get(base: str, path: str, headers: dict | None = None):
    request = urllib.request.Request(base + urllib.request.quote(path, safe="/?=&"), headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers.get("X-Registry-Read-From"), response.read()


def load(base: str, total: int, threads: int = 8) -> float:
    count = iter(range(total))
    lock = threading.Lock()

    def work():
        while True:
            with lock:
                i = next(count, None)
            if i is None:
                return
            get(base, URLS[i % len(URLS)])

    pool = [threading.Thread(target=work) for _ in range(threads)]
    started = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return total / (time.perf_counter() - started)


def commits(port: int) -> int:
    return int(psql(port, f"SELECT xact_commit FROM pg_stat_database WHERE datname='{DB}'"))


def write_then_read(base: str, token: str, pairs: int) -> dict:
    """POST a proposal and read it back at once, ``pairs`` times; and the replica's own view right after."""
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    fresh = replica_missing = 0
    sources = set()
    for i in range(pairs):
        body = {
            "action": "name",
            "name": f"复制测试{i}路",
            "category": "road",
            "division": "340104",
            "reason": "新建道路",
        }
        post = urllib.request.Request(base + "/api/v1/proposals/", json.dumps(body).encode(), headers, method="POST")
        with urllib.request.urlopen(post, timeout=30) as response:
            created = json.loads(response.read())
        pk = created["id"]
        if psql(REPLICA_PORT, f"SELECT count(*) FROM registry_proposal WHERE id={pk}") == "0":
            replica_missing += 1
        source, data = get(base, f"/api/v1/proposals/{pk}/", {"Authorization": f"Token {token}"})
        sources.add(source)
        fresh += json.loads(data)["name"] == body["name"]
    return {"pairs": pairs, "fresh": fresh, "replica_missing": replica_missing, "sources": sorted(sources)}


def run(args, tmp: Path, stack: ExitStack) -> None:
    shutil.chown(tmp, "postgres", "postgres")
    start_clusters(stack, tmp)
    primary = f"postgres://postgres@127.0.0.1:{PRIMARY_PORT}/{DB}"
    replica = f"postgres://postgres@127.0.0.1:{REPLICA_PORT}/{DB}"
    env = dict(os.environ, DATABASE_URL=primary, DJANGO_SETTINGS_MODULE="benchmarks.bench_settings")
    env.pop("DATABASE_REPLICA_URL", None)
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    manage(env, "shell", "-c", CLERK)
    token = manage(env, "issue_token", "bench-clerk").strip().splitlines()[-1]
    places = psql(PRIMARY_PORT, "SELECT count(*) FROM registry_place")
    print(f"primary :{PRIMARY_PORT}, replica :{REPLICA_PORT} (PostgreSQL {psql(REPLICA_PORT, 'SHOW server_version')})")
    print(
        f"demo loaded on the primary: {places} places; on the replica: {psql(REPLICA_PORT, 'SELECT count(*) FROM registry_place')}"
    )

    with ExitStack() as app:
        base = start_app(app, env)
        load(base, 200)
        rps_primary = load(base, args.requests)
    routed_env = dict(env, DATABASE_REPLICA_URL=replica, REGISTRY_REPLICA_HEADER="1")
    with ExitStack() as app:
        base = start_app(app, routed_env)
        print("(a) where public reads were read from (X-Registry-Read-From):")
        for path in URLS:
            print(f"    {path:40} {get(base, path)[0]}")
        load(base, 200)
        before = commits(PRIMARY_PORT), commits(REPLICA_PORT)
        rps_replica = load(base, args.requests)
        after = commits(PRIMARY_PORT), commits(REPLICA_PORT)
        print(
            f"    xact_commit over {args.requests} reads: primary +{after[0] - before[0]}, replica +{after[1] - before[1]}"
        )
        result = write_then_read(base, token, args.pairs)
        print(
            f"(b) write then read at once, same token client: {result['fresh']}/{result['pairs']} saw the new proposal "
            f"(read from {result['sources']}); the replica alone had not replayed it yet in "
            f"{result['replica_missing']}/{result['pairs']}"
        )
        # The same with the replica held 1 s behind (recovery_min_apply_delay): now the
        # replica alone misses every write, and the router must send the reads to the primary.
        psql(REPLICA_PORT, "ALTER SYSTEM SET recovery_min_apply_delay = '1s'")
        psql(REPLICA_PORT, "SELECT pg_reload_conf()")
        time.sleep(0.5)
        delayed = write_then_read(base, token, 10)
        psql(REPLICA_PORT, "ALTER SYSTEM RESET recovery_min_apply_delay")
        psql(REPLICA_PORT, "SELECT pg_reload_conf()")
        print(
            f"    replica held 1 s behind: {delayed['fresh']}/{delayed['pairs']} saw the new proposal "
            f"(read from {delayed['sources']}); the replica alone missed it in "
            f"{delayed['replica_missing']}/{delayed['pairs']}"
        )
        time.sleep(1.5)
    lag = psql(
        PRIMARY_PORT,
        "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), "
        "COALESCE(EXTRACT(EPOCH FROM replay_lag), 0) FROM pg_stat_replication",
    )
    stamp = psql(REPLICA_PORT, "SELECT EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())")
    print(
        f"(c) replica lag: {lag.split('|')[0]} bytes, replay_lag {float(lag.split('|')[1]):.4f} s; "
        f"last replayed transaction {float(stamp):.2f} s ago"
    )
    print(
        f"(d) {args.requests} reads over {len(URLS)} URLs, 8 threads, 2 gunicorn workers: "
        f"primary only {rps_primary:.0f} req/s, replica-routed {rps_replica:.0f} req/s (same machine: "
        "both servers share its 2 cores)"
    )
    ok = (
        result["fresh"] == result["pairs"]
        and delayed["fresh"] == delayed["pairs"]
        and after[1] - before[1] > args.requests // 2
    )
    print("PASS" if ok else "FAIL")
    if not ok:
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--pairs", type=int, default=50)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="registry-replica-"))
    try:
        with ExitStack() as stack:
            run(args, tmp, stack)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
