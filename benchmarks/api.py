"""Benchmark of the REST API at 100k places: gunicorn (2 workers) on 127.0.0.1, loaded by wrk.

For each database it builds a registry of 100k synthetic places (``benchmarks.corpus``),
each with its official name record, starts gunicorn with 2 sync workers, warms it, and
runs ``wrk -t1 -c8 -d10s`` against each endpoint in one of two modes:

- ``distinct`` (the default; issue #18): a wrk Lua script cycles over 10,000 different
  URLs per endpoint, as real traffic is, so no answer comes from the per-revision
  response cache (``registry/api/caching.py``): place details of 10,000 different places;
  list pages of different ``category`` × ``division`` × ``page``; searches for 10,000
  different queries (corpus names, one-character typos and homophones of them, fresh
  names, pinyin and initials). The baselines are bare Django ``JsonResponse`` views
  (``benchmarks/bench_urls.py``) of the same rows over the same URLs: ``/bare/`` takes the
  list's ``category``/``division``/``page``, ``/bare/detail/<code>/`` is a place and its
  names. Counts of list pages (``registry/api/pagination.py``) are still kept per filter
  and revision, as in production: the pages of one filter share one count.
- ``repeated``: one URL per endpoint, as before (answers after the first come from the
  response cache), beside the bare 20 roads; the name check (POST) is measured here.

Anonymous reads are throttled per client; wrk's requests carry ``X-Forwarded-For`` of
1,000 different loopback client addresses (``REGISTRY_TRUSTED_PROXIES=1``), so that each
client's throttle history is as short as a real one (one client sending everything
would make the history of the whole run one pickled list).

``--before PATH`` measures another checkout (e.g. ``/work/main``) on the same database
in the same run, first; the bare views are measured on this checkout's server.
``--database-url`` reuses a database built earlier (places and names are added only if
it has no places).

Needs ``wrk`` (Debian: ``apt-get install -y wrk``). Traffic goes to 127.0.0.1 only;
every run is bounded in time.

Usage: python benchmarks/api.py [--databases sqlite postgres] [--size 100000]
       [--mode distinct|repeated|both] [--before /work/main] [--database-url URL]
"""

from __future__ import annotations

import argparse
import json
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
URLS = 10_000
WARM = 1_000  # URLs of each kind used only to warm the workers, never measured


def build(database_url: str, size: int, out: Path) -> None:
    """Registry (if empty) and the URL files: ``<kind>.txt``, one path a line."""
    code = (
        "import os,sys; sys.path.insert(0, %r); os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
        "import django; django.setup();"
        "from benchmarks.api import prepare; prepare(%d, %r)"
    ) % (str(ROOT), size, str(out))
    subprocess.run([sys.executable, "-c", code], env=dict(os.environ, DATABASE_URL=database_url), check=True)


def prepare(size: int, out: str) -> None:
    import random

    from django.db.models import Count

    from benchmarks.corpus import corpus, queries
    from benchmarks.validator import setup_registry
    from registry.models import Place, PlaceName
    from registry.romanization import romanize

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not Place.objects.exists():
        setup_registry(size)
    if not PlaceName.objects.exists():
        add_names()
    rng = random.Random(18)
    paths: dict[str, list[str]] = {}
    codes = list(Place.objects.values_list("code", flat=True))
    rng.shuffle(codes)
    paths["detail"] = [f"/api/v1/places/{c}/" for c in codes[: URLS + WARM]]
    paths["bare detail"] = [f"/bare/detail/{c}/" for c in codes[: URLS + WARM]]
    # Every page of every category in every county, and of every category in the city.
    groups = list(Place.objects.values_list("category", "division_id").annotate(n=Count("id")))
    groups += [(c, None, n) for c, n in Place.objects.values_list("category").annotate(n=Count("id"))]
    pages = [(c, d, p) for c, d, n in groups for p in range(1, (n + 19) // 20 + 1)]
    rng.shuffle(pages)
    pages = pages[: URLS + WARM]
    query = lambda c, d, p: f"category={c}" + (f"&division={d}" if d else "") + f"&page={p}"  # noqa: E731
    paths["list"] = ["/api/v1/places/?" + query(*page) for page in pages]
    paths["bare list"] = ["/bare/?" + query(*page) for page in pages]
    rows = corpus(size)
    terms = []
    for i, (name, category, _division) in enumerate(queries(rows, URLS + WARM)):
        if i % 5 == 3:  # pinyin as typed (changjiang zhonglu), or initials
            roman = romanize(name, category)
            name = roman.pinyin.lower() if i % 2 else roman.initials
        terms.append(name)
    terms = list(dict.fromkeys(terms))
    paths["search"] = ["/api/v1/search/?q=" + urllib.parse.quote(t) for t in terms]
    for kind, lines in paths.items():
        Path(out, kind.replace(" ", "_") + ".txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(json.dumps({k: len(v) for k, v in paths.items()}))


def add_names() -> None:
    """Each place's current official name record, as an import writes it (no history rows)."""
    from registry.models import Place, PlaceName
    from registry.place_rows import name_row
    from registry.romanization import romanize

    made, batch = {}, []
    rows = Place.objects.order_by("pk").values_list("pk", "name", "category", "pinyin")
    for pk, name, category, pinyin in rows.iterator(chunk_size=5000):
        roman = made.get((name, category)) or made.setdefault((name, category), romanize(name, category))
        batch.append(
            PlaceName(place_id=pk, revision=1, **name_row(name, category, kind="official", pinyin=pinyin, made=roman))
        )
        if len(batch) == 10_000:
            PlaceName.objects.bulk_create(batch)
            batch.clear()
    PlaceName.objects.bulk_create(batch)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE registry_placename")


LUA = """
local paths = {}
for line in io.lines(%(file)s) do paths[#paths + 1] = line end
local first, last = %(first)d, math.min(%(last)d, #paths)
local i = first - 1
local client = 0
request = function()
  i = i + 1
  if i > last then i = first end
  client = (client + 1) %% 1000
  wrk.headers["X-Forwarded-For"] = "127.1." .. math.floor(client / 250) .. "." .. (client %% 250 + 1)
  return wrk.format(%(method)s, %(path)s)
end
"""


POST_LUA = """
wrk.method = "POST"
wrk.body = %(body)s
wrk.headers["Content-Type"] = "application/json"
local client = 0
request = function()
  client = (client + 1) %% 1000
  wrk.headers["X-Forwarded-For"] = "127.1." .. math.floor(client / 250) .. "." .. (client %% 250 + 1)
  return wrk.format()
end
"""


def lua(tmp: Path, kind: str, first: int, last: int, body: str | None = None) -> str:
    """A wrk script cycling over lines first..last (1-based) of ``kind``'s URL file (or one URL)."""
    script = Path(tmp, f"{kind.replace(' ', '_')}_{first}.lua")
    if body is not None:  # one POST, repeated
        text = POST_LUA % {"body": json.dumps(body, ensure_ascii=False)}
    else:
        text = LUA % {
            "file": json.dumps(str(Path(tmp, kind.replace(" ", "_") + ".txt"))),
            "first": first,
            "last": last,
            "method": "nil",
            "path": "paths[i]",
        }
    script.write_text(text, encoding="utf-8")
    return str(script)


def wrk(url: str, script: str, seconds: int = 10, connections: int = 8) -> dict:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script, url]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=60 + seconds).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(label: str) -> float:
        match = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": latency("50"), "p99": latency("99"), "errors": int(errors.group(1)) if errors else 0}


def serve(checkout: Path, url: str):
    env = dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="benchmarks.bench_settings",
        REGISTRY_TRUSTED_PROXIES="1",
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=checkout,
        env=env,
        start_new_session=True,
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/api/v1/places/?page_size=1", timeout=5)
            return server
        except OSError:
            time.sleep(0.5)
    stop(server)
    raise RuntimeError("gunicorn did not start")


def stop(server) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def measure(checkout: Path, url: str, tmp: Path, mode: str, bare: bool) -> dict:
    base = f"http://127.0.0.1:{PORT}"
    kinds = ["list", "detail", "search"]
    if bare:
        kinds = ["bare list", "bare detail"] + kinds
    server = serve(checkout, url)
    results = {}
    try:
        if mode in ("distinct", "both"):
            for kind in kinds:  # warm both workers (indexes, connections) on URLs never measured
                wrk(base, lua(tmp, kind, URLS + 1, URLS + WARM), seconds=3, connections=2)
            for kind in kinds:
                results[kind] = wrk(base, lua(tmp, kind, 1, URLS))
        if mode in ("repeated", "both"):
            q = urllib.parse.quote("长江仲路")
            targets = [
                ("list (repeated)", "/api/v1/places/?category=road", None),
                ("detail (repeated)", Path(tmp, "detail.txt").read_text().split()[0], None),
                ("search (repeated)", f"/api/v1/search/?q={q}", None),
                (
                    "name check (POST)",
                    "/api/v1/names/check/",
                    {"name": "长江仲路", "category": "road", "division": "340104"},
                ),
            ]
            if bare:
                targets.insert(0, ("bare (repeated)", "/bare/", None))
            for label, path, body in targets:
                script = lua(tmp, label, 0, 0, json.dumps(body, ensure_ascii=False)) if body else None
                if script is None:
                    one = Path(tmp, f"one_{len(results)}.txt")
                    one.write_text(path + "\n", encoding="utf-8")
                    script = lua(tmp, one.stem, 1, 1)
                wrk(base + path, script, seconds=2, connections=2)
                results[label] = wrk(base + path, script)
    finally:
        stop(server)
    return results


def report(title: str, results: dict, bare: dict) -> None:
    print(f"\n== {title}", flush=True)
    for label, r in results.items():
        base = "bare detail" if label.startswith("detail") else "bare list"
        if "repeated" in label or "POST" in label:
            base = "bare (repeated)"
        ratio = f"({r['rps'] / bare[base]['rps']:.2f}x {base})" if base in bare and not label.startswith("bare") else ""
        print(
            f"{label:<20} {r['rps']:8.0f} req/s  p50 {r['p50']:6.1f} ms  p99 {r['p99']:6.1f} ms  {ratio}"
            f"{'  non-2xx: %d' % r['errors'] if r['errors'] else ''}",
            flush=True,
        )


def run(database: str, size: int, mode: str, before: Path | None, database_url: str | None) -> None:
    created = None
    tmp = Path(tempfile.mkdtemp())
    if database_url:
        url = database_url
    elif database == "sqlite":
        url = f"sqlite:///{tmp}/api.sqlite3"
    else:
        created = f"registry_apibench_{os.getpid()}"
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", "-E", "UTF8", "-T", "template0", created], check=True
        )
        url = f"postgres://postgres@127.0.0.1:5432/{created}"
    try:
        build(url, size, tmp)
        with open("/proc/loadavg") as f:
            load = f.read().split()[:3]
        head = f"{database}, {size:,} places, gunicorn -w 2, wrk -t1 -c8 -d10s, {mode} URLs"
        after = measure(ROOT, url, tmp, mode, bare=True)
        bare = {k: v for k, v in after.items() if k.startswith("bare")}
        if before is not None:
            report(f"{head}: before ({before})", measure(before, url, tmp, mode, bare=False), bare)
        report(f"{head}: {'after' if before else 'this checkout'} ({ROOT})", after, bare)
        with open("/proc/loadavg") as f:
            print(f"load average before / after: {' '.join(load)} / {' '.join(f.read().split()[:3])}", flush=True)
    finally:
        if created:
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", created], check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--mode", choices=["distinct", "repeated", "both"], default="distinct")
    parser.add_argument("--before", type=Path, help="another checkout to measure first, on the same database")
    parser.add_argument("--database-url", help="reuse this database (one --databases entry)")
    args = parser.parse_args()
    for database in args.databases:
        run(database, args.size, args.mode, args.before.resolve() if args.before else None, args.database_url)


if __name__ == "__main__":
    main()
