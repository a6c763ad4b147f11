"""A database that refuses, drops or locks the server out: 503 "try again", never an HTML 500.

A production server (gunicorn, 2 workers, DJANGO_DEBUG=false) is hurt from outside:

- its database refuses connections (PostgreSQL on a closed port; an SQLite file that
  cannot be opened): the API answers a JSON 503 with ``Retry-After``, the admin a
  Chinese page, also 503;
- PostgreSQL: ``pg_terminate_backend`` of the workers' connections while they serve: at
  most the request that meets a dead connection fails (one per worker), as a JSON 503 or
  the Chinese page, and the next ones succeed without anyone restarting anything;
- SQLite: another connection holds the write lock longer than the server waits for it
  (``lock_timeout_settings``: one second): a write through the API is a JSON 503, a save
  in the admin the Chinese page; once the lock is gone, the same writes succeed.
"""

from __future__ import annotations

import contextlib
import sqlite3

import pytest
import requests

from tests.admin.html_forms import parse
from tests.faults.conftest import (
    VENDOR,
    admin_session,
    assert_chinese_503,
    assert_json_503,
    free_port,
    gunicorn,
    needs_postgres,
    pg_url,
    seed,
)
from tests.faults.conftest import Database


def login_page_post(base: str) -> requests.Response:
    """The admin's login form, posted: the first thing in the admin that needs the database."""
    session = requests.Session()
    session.get(base + "/admin/login/", timeout=30)
    return session.post(
        base + "/admin/login/",
        timeout=30,
        data={"username": "clerk", "password": "x", "csrfmiddlewaretoken": session.cookies["csrftoken"]},
    )


def test_a_database_that_refuses_connections_is_a_503(tmp_path, static_root):
    if VENDOR == "sqlite":
        down = Database(f"sqlite:///{tmp_path / 'no-such-folder' / 'registry.sqlite3'}")
    else:
        down = Database(pg_url("registry", port=free_port()))  # nothing listens there
    with gunicorn(down, static_root) as base:
        for path in ("/api/v1/places/", "/api/v1/places/340104R00001/", "/api/v1/search/?q=路"):
            assert_json_503(requests.get(base + path, timeout=30))
        assert_chinese_503(login_page_post(base))


def _statuses(get, count: int) -> list[requests.Response]:
    return [get() for _ in range(count)]


@needs_postgres
def test_terminated_connections_cost_at_most_one_request_per_worker(fresh_db, static_root):
    people = seed(fresh_db)
    with gunicorn(fresh_db, static_root, workers=2) as base:
        admin = admin_session(base, "clerk", "pw-clerk-2026")
        change = f"{base}/admin/registry/place/{people['place']['id']}/change/"
        api = f"{base}/api/v1/places/{people['place']['code']}/"
        for check, get in (
            (assert_json_503, lambda: requests.get(api, timeout=30)),
            (assert_chinese_503, lambda: admin.get(change, timeout=30)),
        ):
            assert {r.status_code for r in _statuses(get, 6)} == {200}  # both workers hold a connection now
            terminated = fresh_db.scalar(
                "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s "
                "AND pid <> pg_backend_pid()",
                (fresh_db.name,),
            )
            assert terminated >= 1
            after = _statuses(get, 8)
            failed = [r for r in after if r.status_code != 200]
            assert 1 <= len(failed) <= 2, [r.status_code for r in after]
            for response in failed:
                check(response)
            # Which worker serves which request is the kernel's choice: the one that meets its dead
            # connection first fails, once; the rest, and everything after, succeed by themselves.
            assert after[-1].status_code == 200 and all(r.status_code == 200 for r in _statuses(get, 4))


@contextlib.contextmanager
def write_lock(db: Database):
    """Hold SQLite's write lock from a connection of the test's own."""
    conn = sqlite3.connect(db.path, timeout=30, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


@pytest.mark.skipif(VENDOR != "sqlite", reason="SQLite's single write lock; PostgreSQL locks rows")
def test_a_sqlite_lock_timeout_is_a_503_and_the_write_succeeds_afterwards(fresh_db, static_root):
    people = seed(fresh_db)
    with gunicorn(fresh_db, static_root, DJANGO_SETTINGS_MODULE="tests.faults.lock_timeout_settings") as base:
        admin = admin_session(base, "clerk", "pw-clerk-2026")
        change = f"{base}/admin/registry/place/{people['place']['id']}/change/"
        form = parse(admin.get(change, timeout=30).text).form("place_form")
        data = form.data("_save") | {
            "origin": ["以附近的故障测试站命名"],
            "csrfmiddlewaretoken": [admin.cookies["csrftoken"]],
        }
        token = {"Authorization": f"Token {people['tokens']['clerk']}"}
        draft = {"action": "name", "name": "锁等待路", "category": "road", "division": "340104", "reason": "新建道路"}

        def api_write():
            return requests.post(f"{base}/api/v1/proposals/", json=draft, headers=token, timeout=30)

        def admin_save():
            return admin.post(change, data=data, headers={"Referer": change}, timeout=30, allow_redirects=False)

        with write_lock(fresh_db):
            assert_json_503(api_write())
            assert_chinese_503(admin_save())
        assert api_write().status_code == 201
        saved = admin_save()
        assert saved.status_code == 302, parse(saved.text).errors
        assert (
            fresh_db.scalar("SELECT origin FROM registry_place WHERE id = %s", (people["place"]["id"],))
            == "以附近的故障测试站命名"
        )
