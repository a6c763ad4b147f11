"""The fault suite's machinery: real processes on a real database, hurt from the outside.

The tests here do not use pytest-django's test database: they run ``manage.py`` and
gunicorn as subprocesses, kill them, cut their connections and lock their database, then
look at what is left with a plain connection of their own. Each test gets a fresh
database cloned from one migrated once per session (an SQLite file copied, or a
PostgreSQL ``createdb -T``), of the same kind as the suite's: SQLite under ``make test``,
PostgreSQL when ``DATABASE_URL`` points there (CI runs both).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from django.conf import settings

from tests.security.conftest import PYTHON, ROOT, free_port, production_env

VENDOR = "postgresql" if settings.DATABASES["default"]["ENGINE"].endswith("postgresql") else "sqlite"
_PG = settings.DATABASES["default"]
_counter = itertools.count(1)
needs_postgres = pytest.mark.skipif(VENDOR != "postgresql", reason="needs PostgreSQL; CI runs the suite there too")


@pytest.hookimpl(tryfirst=True)  # before -m chooses
def pytest_collection_modifyitems(config, items):
    """Every test of this folder is in the fault suite (``-m faults``): minutes of subprocesses,
    so the ordinary run leaves it out and CI runs it in its own step, on both databases."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.faults)


@dataclass
class Database:
    """A database of the fault suite: its URL for the subprocesses, and a plain connection for the test."""

    url: str
    path: Path | None = None  # SQLite
    name: str | None = None  # PostgreSQL

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        """The rows of one query, on a connection of its own (never the server's or the command's)."""
        if self.path is not None:
            with contextlib.closing(sqlite3.connect(self.path, timeout=30)) as conn:
                return conn.execute(sql.replace("%s", "?"), params).fetchall()
        import psycopg

        with psycopg.connect(pg_conninfo(self.name), autocommit=True) as conn:
            return conn.execute(sql, params).fetchall()

    def scalar(self, sql: str, params: tuple = ()):
        return self.rows(sql, params)[0][0]


def pg_conninfo(name: str) -> str:
    host, port = _PG.get("HOST") or "127.0.0.1", _PG.get("PORT") or 5432
    return f"host={host} port={port} user={_PG.get('USER') or 'postgres'} dbname={name}"


def pg_url(name: str, port: int | None = None) -> str:
    host = _PG.get("HOST") or "127.0.0.1"
    password = f":{_PG['PASSWORD']}" if _PG.get("PASSWORD") else ""
    return f"postgres://{_PG.get('USER') or 'postgres'}{password}@{host}:{port or _PG.get('PORT') or 5432}/{name}"


def _pg_admin(*sql: str) -> None:
    import psycopg

    with psycopg.connect(pg_conninfo("postgres"), autocommit=True) as conn:
        for statement in sql:
            conn.execute(statement)


def manage(db: Database, *args: str, timeout: float = 300, check: bool = True, **env: str):
    """``manage.py ARGS`` against ``db`` in a subprocess; its CompletedProcess."""
    done = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=server_env(db, **env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check:
        assert done.returncode == 0, f"manage.py {' '.join(args)}: {done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="session")
def _template(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fault-template")
    if VENDOR == "sqlite":
        db = Database(f"sqlite:///{tmp / 'template.sqlite3'}", path=tmp / "template.sqlite3")
        manage(db, "migrate", "--noinput", "-v0")
        yield db
        return
    name = f"faults_template_{os.getpid()}"
    _pg_admin(f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
    db = Database(pg_url(name), name=name)
    manage(db, "migrate", "--noinput", "-v0")
    yield db
    _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def fresh_db(_template, tmp_path):
    """A migrated database of the suite's kind, for this test alone."""
    if VENDOR == "sqlite":
        path = tmp_path / "registry.sqlite3"
        shutil.copyfile(_template.path, path)
        yield Database(f"sqlite:///{path}", path=path)
        return
    name = f"faults_{os.getpid()}_{next(_counter)}"
    _pg_admin(f"CREATE DATABASE {name} TEMPLATE {_template.name}")
    yield Database(pg_url(name), name=name)
    _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """Collected static files (the production storage needs its manifest), once per session."""
    root = tmp_path_factory.mktemp("fault-static")
    done = subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=production_env(DJANGO_STATIC_ROOT=str(root)),
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return root


def server_env(db: Database, static: Path | None = None, **overrides: str) -> dict[str, str]:
    """Production settings (config/production.env.example) over plain HTTP on the loopback, on ``db``."""
    return production_env(
        DATABASE_URL=db.url,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_CSRF_TRUSTED_ORIGINS="http://127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
        DJANGO_SECURE_HSTS_SECONDS="0",
        REGISTRY_ANON_RATE="1000000/min",
        REGISTRY_TRUSTED_PROXIES="0",
        **({"DJANGO_STATIC_ROOT": str(static)} if static else {}),
        **overrides,
    )


@contextlib.contextmanager
def gunicorn(db: Database, static: Path, workers: int = 2, **env: str):
    """A production server on ``db``: yields its base URL; stopped at the end (its output shown on failure)."""
    port = free_port()
    log = open(Path(static).parent / f"gunicorn-{port}.log", "w+")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=server_env(db, static, **env),
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(base + "/static/admin/css/base.css", timeout=5)
                break
            except requests.RequestException:  # not listening yet, or still loading the app
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"gunicorn did not start: {log.read()}")
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def admin_session(base: str, username: str, password: str) -> requests.Session:
    """A browser's session in the admin, logged in through the login form."""
    session = requests.Session()
    session.get(base + "/admin/login/", timeout=30)
    response = session.post(
        base + "/admin/login/?next=/admin/",
        timeout=30,
        allow_redirects=False,
        data={
            "username": username,
            "password": password,
            "next": "/admin/",
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": base + "/admin/login/"},
    )
    assert response.status_code == 302, response.text[:500]
    return session


SEED = r"""
import json
from django.contrib.auth.models import Group
from django.contrib.auth import get_user_model
from registry.models import Division
from registry.services.places import place_create
from registry.services.tokens import token_issue

User = get_user_model()
out = {"tokens": {}}
for name, group in [("clerk", "clerk"), ("clerk2", "clerk"), ("reviewer", "reviewer"), ("approver", "approver"),
                    ("approver2", "approver")]:
    user = User.objects.create_user(name, password="pw-" + name + "-2026", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    out["tokens"][name] = token_issue(user=User.objects.get(pk=user.pk))[1]
place = place_create(name="故障测试路", category="road", division=Division.objects.get(code="340104"))
out["place"] = {"id": place.pk, "code": place.code}
print("SEED " + json.dumps(out))
"""


def seed(db: Database) -> dict:
    """Users in each role (password ``pw-NAME-2026``) with API tokens, and one place."""
    import json

    done = manage(db, "shell", "-c", SEED)
    line = next(line for line in done.stdout.splitlines() if line.startswith("SEED "))
    return json.loads(line[5:])


def assert_json_503(response: requests.Response) -> None:
    assert response.status_code == 503, (response.status_code, response.text[:300])
    assert response.headers["Content-Type"].startswith("application/json"), response.headers
    assert int(response.headers["Retry-After"]) > 0
    assert "detail" in response.json()


def assert_chinese_503(response: requests.Response) -> None:
    assert response.status_code == 503, (response.status_code, response.text[:300])
    assert response.headers["Content-Type"].startswith("text/html")
    assert int(response.headers["Retry-After"]) > 0
    assert "数据库" in response.text, response.text[:500]
