"""``manage.py backup_registry FILE``: a complete, consistent copy of the whole database.

Unlike ``export_places`` (data exchange: places, names and listings, every object's
history folded into one "import" row), a backup keeps everything: the audit trail
(every ``historical*`` row with its reason, user and date), proposals with their events
and objections, announcements, users, token hashes, code counters and creation dates.

- SQLite: the online backup API (``sqlite3.Connection.backup``) copies the live database
  page by page into FILE; the copy is one consistent state even while others write
  (copying the file alone would miss what is still in the WAL).
- PostgreSQL: ``pg_dump --format=custom`` with the connection from
  ``settings.DATABASES["default"]``; the password goes through ``PGPASSWORD``, never on
  the command line, where ``ps`` would show it.

FILE is written beside its target and renamed over it at the end, so a failed backup
leaves the previous one in place. ``restore_registry FILE`` reads it back.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from registry.importers.export import replacing

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


def engine() -> str:
    """``sqlite`` or ``postgresql``: the only two databases the registry runs on."""
    if connection.vendor in ("sqlite", "postgresql"):
        return connection.vendor
    raise CommandError(
        _("Backups support SQLite and PostgreSQL only, not “%(vendor)s”.") % {"vendor": connection.vendor}
    )


def file_engine(path: Path) -> str | None:
    """Which engine wrote the backup at ``path`` (by its first bytes), or None."""
    with open(path, "rb") as fh:
        head = fh.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    return None


def pg_tool(name: str) -> str:
    """The path of ``pg_dump``/``pg_restore``, or a clear error saying what to install."""
    found = shutil.which(name)
    if not found:
        raise CommandError(
            _(
                "%(tool)s was not found: install the PostgreSQL client tools (Debian: apt-get install "
                "postgresql-client) in the same major version as the server."
            )
            % {"tool": name}
        )
    return found


def pg_arguments(settings: dict | None = None) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore and their environment (PGPASSWORD), from
    ``settings`` (default: the default database's, as Django connects)."""
    settings = connection.settings_dict if settings is None else settings
    args = []
    if settings.get("HOST"):
        args.append(f"--host={settings['HOST']}")
    if settings.get("PORT"):
        args.append(f"--port={settings['PORT']}")
    if settings.get("USER"):
        args.append(f"--username={settings['USER']}")
    args.append(f"--dbname={settings['NAME']}")
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    options = settings.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return ["--no-password", *args], env


def run_tool(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise CommandError(
            _("%(tool)s failed: %(error)s")
            % {"tool": Path(command[0]).name, "error": (result.stderr or result.stdout).strip()[-2000:]}
        )


def backup(path: Path) -> str:
    """Write a complete backup of the default database to ``path``; returns the engine."""
    kind = engine()
    with replacing(path) as temporary:
        if kind == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(temporary)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        else:
            args, env = pg_arguments()
            run_tool([pg_tool("pg_dump"), "--format=custom", f"--file={temporary}", *args], env)
    return kind


class Command(BaseCommand):
    help = "Back up the whole database (history, proposals, users, tokens): SQLite's online backup or pg_dump."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            kind = backup(path)
        except (OSError, sqlite3.Error) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Backup of the %(engine)s database written to %(file)s.") % {"engine": kind, "file": path}
            )
        )
