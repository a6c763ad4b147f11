"""backup_registry / restore_registry: a complete round trip keeps every row of every table.

The export/import round trip keeps places, names and listings only; a backup must keep
the audit trail too (history rows with their reason, user and date), proposals with their
events and objections, users, tokens, code counters and creation dates. The restore runs
in a subprocess against a fresh database, as an operator would run it.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from registry.models import Division, Objection, Place, ProposalEvent
from registry.services.places import place_create, place_rename
from registry.services.proposals import proposal_create, proposal_transition
from registry.services.tokens import token_issue

ROOT = Path(__file__).resolve().parents[2]
ENGINE = django_settings.DATABASES["default"]["ENGINE"]
ON_SQLITE = ENGINE == "django.db.backends.sqlite3"
ON_POSTGRES = ENGINE == "django.db.backends.postgresql"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def manage(*args: str, database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def registry_with_history(django_user_model):
    """Places, a rename (history rows), a proposal with events and an objection, a user, a token."""
    shushan = Division.objects.get(code="340104")
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    clerk.groups.add(Group.objects.get(name="clerk"))
    reviewer = django_user_model.objects.create_user("reviewer", is_staff=True)
    reviewer.groups.add(Group.objects.get(name="reviewer"))
    clerk, reviewer = (django_user_model.objects.get(pk=u.pk) for u in (clerk, reviewer))
    place_create(name="备份测试路", category="road", division=shushan, acting_user=clerk)
    renamed = place_create(name="旧名测试街", category="road", division=shushan, acting_user=clerk)
    place_rename(place=renamed, new_name="新名测试街", effective="2025-06-01", acting_user=clerk)
    proposal = proposal_create(
        action="name", name="备份新路", category="road", division=shushan, drafted_by=clerk, reason="备份测试"
    )
    proposal_transition(proposal=proposal, transition="submit", acting_user=clerk)
    proposal_transition(proposal=proposal, transition="start_review", acting_user=reviewer)
    proposal_transition(proposal=proposal, transition="start_notice", acting_user=reviewer, days=7)
    proposal_transition(
        proposal=proposal,
        transition="object",
        acting_user=reviewer,
        text="建议保留旧名",
        objector="李女士",
        received_on=timezone.localdate(),
    )
    token_issue(user=clerk, acting_user=clerk, name="备份测试")
    assert ProposalEvent.objects.filter(proposal=proposal).count() >= 4 and Objection.objects.count() == 1
    assert Place.history.filter(history_change_reason__icontains="rename").exists() or Place.history.count() > 2
    return {"clerk": clerk}


def tables() -> list[str]:
    names = connection.introspection.table_names()
    return sorted(t for t in names if t.startswith("registry_") or t in ("auth_user", "auth_user_groups"))


def _utc(value):
    """An aware datetime in UTC (the same instant; psycopg and Django name UTC differently)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.timezone.utc)
    return value


def contents(cursor, names: list[str]) -> dict[str, list[tuple]]:
    """Every row of every table, sorted (the order of rows is not part of the data)."""
    found = {}
    for table in names:
        cursor.execute(f'SELECT * FROM "{table}"')
        found[table] = sorted((tuple(map(_utc, row)) for row in cursor.fetchall()), key=repr)
    return found


def check_same_as_source(target_cursor) -> None:
    names = tables()
    with connection.cursor() as cursor:
        source = contents(cursor, names)
    restored = contents(target_cursor, names)
    assert {t: len(rows) for t, rows in restored.items()} == {t: len(rows) for t, rows in source.items()}
    assert restored == source  # names, history (reason, user, date), created_at … value for value
    history = [t for t in names if "historical" in t]
    assert "registry_historicalplace" in history and "registry_historicalplacename" in history
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT history_change_reason, history_user_id, history_date FROM registry_historicalplace "
            "ORDER BY history_id"
        )
        rows = cursor.fetchall()
    target_cursor.execute(
        "SELECT history_change_reason, history_user_id, history_date FROM registry_historicalplace ORDER BY history_id"
    )
    assert [tuple(map(_utc, r)) for r in target_cursor.fetchall()] == [tuple(map(_utc, r)) for r in rows]
    assert len({r[0] for r in rows}) > 1, "the history keeps its reasons, not one 'import' row"
    assert any(r[1] is not None for r in rows)
    for table in (
        "registry_place",
        "registry_placename",
        "registry_proposal",
        "registry_proposalevent",
        "registry_objection",
        "registry_apitoken",
        "registry_codecounter",
        "auth_user",
    ):
        assert source[table], f"{table} should hold rows for the test to mean something"


@pytest.mark.skipif(not ON_SQLITE, reason="the SQLite round trip")
def test_sqlite_backup_and_restore_keep_every_row(registry_with_history, tmp_path):
    import sqlite3

    backup = tmp_path / "registry-backup.sqlite3"
    call_command("backup_registry", str(backup))
    assert backup.read_bytes().startswith(b"SQLite format 3\x00")
    fresh = tmp_path / "fresh.sqlite3"
    result = manage("restore_registry", str(backup), database_url=f"sqlite:///{fresh}")
    assert result.returncode == 0, result.stderr
    # Read as Django reads the source (its converters turn declared types into datetimes …).
    target = sqlite3.connect(fresh, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
    try:
        check_same_as_source(target.cursor())
    finally:
        target.close()

    again = manage("restore_registry", str(backup), database_url=f"sqlite:///{fresh}")
    assert again.returncode != 0 and "--force" in again.stderr
    forced = manage("restore_registry", str(backup), "--force", database_url=f"sqlite:///{fresh}")
    assert forced.returncode == 0, forced.stderr

    # The command line on a database file (WAL mode, as settings open it): a copy of the copy.
    second = tmp_path / "second.sqlite3"
    result = manage("backup_registry", str(second), database_url=f"sqlite:///{fresh}")
    assert result.returncode == 0, result.stderr
    copy = sqlite3.connect(second)
    try:
        assert copy.execute("SELECT count(*) FROM registry_historicalplace").fetchone()[0] == Place.history.count()
        assert copy.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    finally:
        copy.close()


@pytest.mark.skipif(not ON_SQLITE, reason="SQLite refuses a PostgreSQL dump")
def test_restore_refuses_a_file_of_the_other_engine_or_no_backup(tmp_path):
    dump = tmp_path / "registry.dump"
    dump.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 64)
    fresh = tmp_path / "fresh.sqlite3"
    result = manage("restore_registry", str(dump), database_url=f"sqlite:///{fresh}")
    assert result.returncode != 0 and "PostgreSQL" in result.stderr and "SQLite" in result.stderr
    text = tmp_path / "notes.txt"
    text.write_text("不是备份")
    result = manage("restore_registry", str(text), database_url=f"sqlite:///{fresh}")
    assert result.returncode != 0 and "backup_registry" in result.stderr
    assert not fresh.exists() or fresh.stat().st_size == 0


def test_a_non_empty_database_is_refused_without_force(registry_with_history, tmp_path):
    """In-process: the refusal comes before anything is touched."""
    backup = tmp_path / "registry-backup"
    call_command("backup_registry", str(backup))
    with pytest.raises(CommandError, match="--force"):
        call_command("restore_registry", str(backup))
    assert Place.objects.count() == 2


def test_pg_dump_missing_is_a_clear_error(monkeypatch):
    from registry.management.commands import backup_registry

    monkeypatch.setattr(backup_registry.shutil, "which", lambda name: None)
    with pytest.raises(CommandError, match="pg_dump.*postgresql-client"):
        backup_registry.pg_tool("pg_dump")


def test_password_goes_through_the_environment_not_the_command_line():
    from registry.management.commands import backup_registry

    args, env = backup_registry.pg_arguments(
        {"NAME": "registry", "USER": "registry", "PASSWORD": "s3cret", "HOST": "db", "PORT": "5432"}
    )
    assert env["PGPASSWORD"] == "s3cret" and not any("s3cret" in a for a in args)
    assert "--dbname=registry" in args and "--host=db" in args and "--no-password" in args


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (DATABASE_URL); CI runs it there")
def test_postgres_backup_and_restore_keep_every_row(registry_with_history, tmp_path):
    import psycopg

    settings = connection.settings_dict
    backup = tmp_path / "registry.dump"
    call_command("backup_registry", str(backup))
    assert backup.read_bytes().startswith(b"PGDMP")
    fresh = f"{settings['NAME']}_restore"
    params = dict(
        host=settings.get("HOST") or None,
        port=settings.get("PORT") or None,
        user=settings.get("USER") or None,
        password=settings.get("PASSWORD") or None,
    )
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        admin.execute(f"CREATE DATABASE \"{fresh}\" ENCODING 'UTF8' TEMPLATE template0")
    try:
        auth = f"{settings.get('USER') or ''}" + (f":{settings['PASSWORD']}" if settings.get("PASSWORD") else "")
        url = f"postgres://{auth}@{settings.get('HOST') or '127.0.0.1'}:{settings.get('PORT') or 5432}/{fresh}"
        result = manage("restore_registry", str(backup), database_url=url)
        assert result.returncode == 0, result.stderr
        with psycopg.connect(dbname=fresh, **params) as target:
            from psycopg.types.string import TextLoader

            for kind in ("json", "jsonb"):  # as Django's cursor reads them: the text
                target.adapters.register_loader(kind, TextLoader)
            check_same_as_source(target.cursor())
        refused = manage("restore_registry", str(backup), database_url=url)
        assert refused.returncode != 0 and "--force" in refused.stderr
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
