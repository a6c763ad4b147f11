"""Production settings: no start on the development key, a clean `check --deploy`, the headers.

Each runs `manage.py` in a child process with the environment an operator would give it
(config/production.env.example, the values README "Deploying" documents): settings are
read once per process, so only a fresh process shows what production gets.
"""

from __future__ import annotations

import subprocess

import pytest

from tests.security.conftest import PYTHON, ROOT, production_env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def settings_module(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Import the settings module alone in a fresh process (what every production process does first)."""
    return subprocess.run(
        [PYTHON, "-c", f"import config.settings as settings\n{code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    del env["DJANGO_SECRET_KEY"]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "DJANGO_SECRET_KEY" in result.stderr, result.stderr


@pytest.mark.parametrize("key", ["", "   ", "dev-only-insecure-key-set-DJANGO_SECRET_KEY-in-production"])
def test_production_refuses_an_empty_or_the_development_key(tmp_path, key):
    result = settings_module("", env=production_env(DJANGO_SECRET_KEY=key))
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_development_still_starts_without_a_key(tmp_path):
    env = production_env(DJANGO_DEBUG="true")
    del env["DJANGO_SECRET_KEY"]
    assert settings_module("", env=env).returncode == 0


def test_check_deploy_passes_with_the_documented_production_variables(tmp_path):
    static = tmp_path / "static"  # collected, as a deployment has it (its manifest is checked)
    static.mkdir()
    (static / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}', encoding="utf-8")
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", DJANGO_STATIC_ROOT=str(static)),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_of_static_files_not_collected(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", DJANGO_STATIC_ROOT=str(tmp_path)),
    )
    assert result.returncode != 0
    assert "registry.W001" in result.stderr and "collectstatic" in result.stderr


def test_check_deploy_speaks_up_when_the_https_settings_are_off(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=production_env(
            DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
            DJANGO_SECURE_HSTS_SECONDS="0",
            DJANGO_SECURE_COOKIES="false",
        ),
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W012" in result.stderr


def test_proxy_declared_means_https_is_read_from_the_proxy():
    code = "print(getattr(settings, 'SECURE_PROXY_SSL_HEADER', None), settings.REST_FRAMEWORK['NUM_PROXIES'])"
    env = production_env()
    assert settings_module(code, env=env).stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https') 1"
    env["REGISTRY_TRUSTED_PROXIES"] = "0"
    assert settings_module(code, env=env).stdout.strip() == "None 0"


def test_the_cache_is_shared_by_every_process():
    code = "print(settings.CACHES['default']['BACKEND'])"
    env = production_env()
    assert settings_module(code, env=env).stdout.strip() == "django.core.cache.backends.db.DatabaseCache"
    env["REDIS_URL"] = "redis://127.0.0.1:6379/0"
    assert settings_module(code, env=env).stdout.strip() == "django.core.cache.backends.redis.RedisCache"


def test_lockout_and_token_limits_come_from_the_environment():
    code = "print(settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME, settings.REGISTRY_TOKEN_DAYS)"
    env = production_env(REGISTRY_LOGIN_FAILURE_LIMIT="8", REGISTRY_LOCKOUT_MINUTES="30", REGISTRY_TOKEN_DAYS="7")
    assert settings_module(code, env=env).stdout.strip() == "8 0:30:00 7"
    env = production_env()
    for name in ("REGISTRY_LOGIN_FAILURE_LIMIT", "REGISTRY_LOCKOUT_MINUTES", "REGISTRY_TOKEN_DAYS"):
        del env[name]
    assert settings_module(code, env=env).stdout.strip() == "5 0:15:00 30"
    bad = settings_module(code, env=production_env(REGISTRY_LOCKOUT_MINUTES="a quarter"))
    assert bad.returncode != 0 and "REGISTRY_LOCKOUT_MINUTES must be a whole number" in bad.stderr


def test_security_headers_on_every_page(client, db):
    response = client.get("/admin/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-eval" not in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get("/api/v1/divisions/340100/")["Content-Security-Policy"] == policy


def test_hsts_and_the_https_redirect_follow_the_settings(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    plain = client.get("/admin/login/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    secure = client.get("/admin/login/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200 and secure["Strict-Transport-Security"].startswith("max-age=31536000")


def test_static_files_are_served_without_debug(client, db, settings):
    """WhiteNoise serves the admin's CSS with DEBUG off (the suite finds it in the apps)."""
    assert settings.DEBUG is False
    response = client.get("/static/admin/css/base.css")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/css")
