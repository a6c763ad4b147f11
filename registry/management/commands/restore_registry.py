"""``manage.py restore_registry FILE [--force]``: put a ``backup_registry`` file back.

Refuses to overwrite a database that already holds places, proposals or users unless
``--force`` (a restore replaces everything, so restoring over the live registry by
mistake would lose what was done since the backup), and refuses a file of the other
engine (an SQLite copy on PostgreSQL or a pg_dump on SQLite) with a message saying so.

- SQLite: the backup API copies FILE into the database (the registry should be stopped).
- PostgreSQL: ``pg_restore --clean --if-exists --no-owner --single-transaction``: either
  the whole backup is restored or nothing changes.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from django.utils.translation import gettext as _

from registry.management.commands.backup_registry import engine, file_engine, pg_arguments, pg_tool, run_tool

ENGINE_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def holds_data() -> bool:
    """Does the database hold anything a restore would destroy (places, proposals, users)?

    The reference data the migrations load (divisions, category codes, groups) does not
    count: a freshly migrated database is empty in this sense.
    """
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in ("registry_place", "registry_proposal", "auth_user"):
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
                if cursor.fetchone():
                    return True
    return False


def check_sqlite_backup(path: Path) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        ok = source.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        registry = source.execute("SELECT 1 FROM sqlite_master WHERE name = 'registry_place'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise CommandError(_("%(file)s is not a readable SQLite database: %(error)s") % {"file": path, "error": exc})
    finally:
        source.close()
    if not ok:
        raise CommandError(_("%(file)s is damaged (SQLite's integrity check failed).") % {"file": path})
    if not registry:
        raise CommandError(_("%(file)s is an SQLite database but not a registry backup.") % {"file": path})


def restore(path: Path, *, force: bool = False) -> str:
    kind = engine()
    if not path.is_file():
        raise CommandError(_("No backup file at %(file)s.") % {"file": path})
    found = file_engine(path)
    if found is None:
        raise CommandError(
            _(
                "%(file)s is not a backup made by backup_registry (neither an SQLite database nor a "
                "pg_dump custom-format file)."
            )
            % {"file": path}
        )
    if found != kind:
        raise CommandError(
            _(
                "%(file)s is a %(found)s backup, but this registry runs on %(engine)s: restore it into "
                "a %(found)s database."
            )
            % {"file": path, "found": ENGINE_LABELS[found], "engine": ENGINE_LABELS[kind]}
        )
    try:
        full = holds_data()
    except DatabaseError:
        full = False  # no database yet, or not migrated: nothing to lose
    if full and not force:
        raise CommandError(
            _(
                "The database already holds places, proposals or users; restoring would replace them. "
                "Use --force to overwrite it."
            )
        )
    if kind == "sqlite":
        check_sqlite_backup(path)
        connection.close()
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
            connection.close()
    else:
        args, env = pg_arguments()
        connection.close()
        run_tool(
            [
                pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                *args,
                str(path),
            ],
            env,
        )
    return kind


class Command(BaseCommand):
    help = "Restore a backup_registry file (refuses a non-empty database unless --force)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--force", action="store_true", help="overwrite a database that already holds data")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            restore(path, force=options["force"])
        except (OSError, sqlite3.Error) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(_("Restored %(file)s.") % {"file": path}))
