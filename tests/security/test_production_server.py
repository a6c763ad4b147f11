"""The production start as documented, for real: migrate, collectstatic, gunicorn with 2 workers.

One server for the module (DJANGO_DEBUG=false, the values of config/production.env.example
but plain HTTP on 127.0.0.1 and a temporary SQLite database):

- static files: the admin's CSS and every asset the API docs page references answer 200,
  hashed names cached for a year, gzip on request (WhiteNoise; issue #12 found them 404);
- the throttle: one count for both workers (in the database cache), and X-Forwarded-For
  believed only for the one declared proxy, so rotating it escapes nothing.
"""

from __future__ import annotations

import http.client
import re
import subprocess
import time

import pytest

from tests.security.conftest import PYTHON, ROOT, free_port, production_env

RATE = 10


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("production")
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(tmp / "static"),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_CSRF_TRUSTED_ORIGINS="http://127.0.0.1",
        # Plain HTTP on the loopback: no redirect to https, cookies not marked secure.
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
        DJANGO_SECURE_HSTS_SECONDS="0",
        REGISTRY_ANON_RATE=f"{RATE}/min",
    )
    for step in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        done = subprocess.run(
            [PYTHON, "manage.py", *step], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, done.stderr
    port = free_port()
    gunicorn = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get(port, "/static/admin/css/base.css")
                break
            except OSError:
                if gunicorn.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start: {gunicorn.stdout.read() if gunicorn.stdout else ''}")
                time.sleep(0.3)
        yield port
    finally:
        gunicorn.terminate()
        try:
            gunicorn.wait(timeout=20)
        except subprocess.TimeoutExpired:
            gunicorn.kill()


def get(port: int, path: str, **headers: str) -> http.client.HTTPResponse:
    """One request on a new connection (so the two workers share the work), body read."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Connection": "close", **headers})
        response = connection.getresponse()
        response.body = response.read()
        return response
    finally:
        connection.close()


def test_the_admin_css_is_served(server):
    response = get(server, "/static/admin/css/base.css")
    assert response.status == 200 and response.getheader("Content-Type").startswith("text/css")


def test_every_asset_of_the_api_docs_is_served_compressed_and_cached(server):
    page = get(server, "/api/v1/docs/")
    assert page.status == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.body.decode())
    assert any("swagger-ui-bundle" in a for a in assets), assets
    assert any(re.search(r"swagger-ui\.[0-9a-f]{12}\.css$", a) for a in assets), assets
    for asset in assets:
        response = get(server, asset.replace("&amp;", "&"), **{"Accept-Encoding": "gzip"})
        assert response.status == 200, asset
        if asset.startswith("/static/"):
            # A content-hashed name (the manifest): cached for good, sent gzipped.
            assert re.search(r"\.[0-9a-f]{12}\.(js|css|png)$", asset), asset
            assert "immutable" in response.getheader("Cache-Control", ""), asset
            if asset.endswith((".js", ".css")):
                assert response.getheader("Content-Encoding") == "gzip", asset
    assert "script-src 'self'" in page.getheader("Content-Security-Policy")


def test_the_throttle_is_one_count_for_both_workers(server):
    # The declared proxy (REGISTRY_TRUSTED_PROXIES=1) appends the address it saw: 10.1.1.1.
    statuses = [
        get(server, "/api/v1/divisions/340100/", **{"X-Forwarded-For": "10.1.1.1"}).status for _ in range(3 * RATE)
    ]
    assert statuses.count(200) == RATE and set(statuses[RATE:]) == {429}, statuses


def test_rotating_x_forwarded_for_escapes_nothing(server):
    # The client writes its own X-Forwarded-For; the proxy appends the real address (10.2.2.2).
    statuses = [
        get(server, "/api/v1/divisions/340100/", **{"X-Forwarded-For": f"203.0.113.{i}, 10.2.2.2"}).status
        for i in range(2 * RATE)
    ]
    assert statuses.count(200) == RATE and set(statuses[RATE:]) == {429}, statuses
