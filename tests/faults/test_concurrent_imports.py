"""Two imports at once (issue #12, item 6): serialised, so that neither records stale findings.

Two concurrent 100k imports each judged their names against the registry without the
other's rows: 2,174 duplicates between them got no DUPLICATE finding. Here two real
``manage.py import_places`` processes share a database (a file for SQLite, the test
database for PostgreSQL): the second, started while the first runs, is refused at once
naming the first (who, when) and writes nothing; run again afterwards, it sees the
first's names. Both started at the same instant, whichever is refused is re-run. In
both cases the import committed last has findings equal to what a registry-wide audit
finds afterwards (it saw every name before it; the first import's own findings are, as
after any later write, refreshed by ``audit_names``).
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from benchmarks.corpus import corpus

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ROWS = 20_000
REFUSED = "Another import is running (started by manage.py ("

AUDIT = """
import django, json
django.setup()
from registry.models import Place
from registry.validation.audit import audit_places
stored = dict(Place.objects.values_list("pk", "finding_rules"))
last = set(Place.objects.filter(revision=max(Place.objects.values_list("revision", flat=True))).values_list("pk", flat=True))
total, audited = audit_places(workers=1)
found = {a.pk: ",".join(sorted({f.rule for f in a.findings})) for a in audited}
print(json.dumps({"places": len(stored), "last": len(last), "stale": sum(found[pk] != stored[pk] for pk in last),
                  "duplicates": sum("DUPLICATE" in stored[pk] for pk in last)}))
"""


@pytest.fixture
def database(tmp_path):
    """The environment of processes sharing one registry, and a function telling whether an import holds the lock."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings")
    env.pop("PYTEST_CURRENT_TEST", None)
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        env["DATABASE_URL"] = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"

        def locked() -> bool:
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM registry_importlock")
                return cursor.fetchone()[0] > 0
    else:
        path = tmp_path / "registry.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{path}"
        subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)

        def locked() -> bool:
            with sqlite3.connect(path) as db:
                return db.execute("SELECT count(*) FROM registry_importlock").fetchone()[0] > 0

    return env, locked


def _files(tmp_path) -> tuple[Path, Path]:
    """Two censuses of ROWS rows; half of the second's names are the first's (DUPLICATEs across files)."""
    first, second = corpus(ROWS, seed=1), corpus(ROWS, seed=2)
    second = [row if i % 2 else first[i] for i, row in enumerate(second)]
    paths = tmp_path / "a.csv", tmp_path / "b.csv"
    for path, rows in zip(paths, (first, second)):
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["name", "category", "division"])
            writer.writerows(rows)
    return paths


def _start(env, path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "import_places", str(path), "--legacy", "--allow-repeat", "--language", "en"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process: subprocess.Popen) -> tuple[int, str]:
    out, err = process.communicate(timeout=600)
    return process.returncode, out + err


def _audit(env) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", AUDIT], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_an_import_started_while_another_runs_is_refused_then_sees_its_names(database, tmp_path):
    env, locked = database
    a, b = _files(tmp_path)
    first = _start(env, a)
    deadline = time.monotonic() + 120
    while not locked():
        assert first.poll() is None and time.monotonic() < deadline, "the first import never took the lock"
        time.sleep(0.05)
    code, output = _finish(_start(env, b))
    assert code != 0 and REFUSED in output and " at 20" in output, output[-2000:]
    assert _finish(first)[0] == 0
    assert _audit(env)["places"] == ROWS  # the refused import wrote nothing
    code, output = _finish(_start(env, b))
    assert code == 0, output[-2000:]
    audit = _audit(env)
    assert audit["places"] == 2 * ROWS and audit["last"] == ROWS and audit["stale"] == 0
    assert audit["duplicates"] >= ROWS // 2  # each of its names that the first file has is flagged


def test_two_imports_started_together_record_no_stale_findings(database, tmp_path):
    env, _locked = database
    a, b = _files(tmp_path)
    outcomes = [_finish(p) for p in [_start(env, a), _start(env, b)]]
    for path, (code, output) in zip((a, b), outcomes):
        if code != 0:  # refused while the other ran: nothing written, so it is simply run again
            assert REFUSED in output, output[-2000:]
            code, output = _finish(_start(env, path))
        assert code == 0, output[-2000:]
    audit = _audit(env)
    assert audit["places"] == 2 * ROWS and audit["last"] == ROWS and audit["stale"] == 0
    assert audit["duplicates"] >= ROWS // 2
