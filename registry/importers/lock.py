"""One import at a time, and a clear answer for other writers while an import writes (issue #12).

Two imports at once each judged their names against the registry as it was before
either wrote: duplicates between the two files got no DUPLICATE finding. An import
therefore takes the import lock before it reads the registry's names and keeps it to
the end; a second import is refused at once, saying who started the first and when.
The lock dies with its holder, whatever kills it: PostgreSQL's session advisory lock
(held by a session of its own, released when it goes), for SQLite a ``flock`` on a file beside the
database (released when the process goes), for an in-memory test database a lock of
the process. ``ImportLock`` (one row) only tells the others who holds it.

While an import's all-or-nothing transaction holds the registry's write lock (on SQLite
the database's only one; on both the ``places`` counter, see ``freshness.lock``), other
writers would wait for it, on SQLite for 20 s and then fail. The import says until
about when it writes (``writing``); ``busy()`` lets a writer fail at once with
``ImportInProgress``, which the API answers as a JSON 503 and the admin as a Chinese
page keeping what the clerk typed (``registry.db_errors``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import threading
import uuid

from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _

ADVISORY_KEY = 0x52454749_4D505254 & 0x7FFFFFFFFFFFFFFF  # "REGIMPRT": the registry's import lock
MIN_RETRY_SECONDS = 5

_local = threading.local()  # the token of the import this thread runs, if any
_process_locks: dict[str, threading.Lock] = {}
_process_locks_guard = threading.Lock()


class ImportRunning(Exception):
    """Another import holds the lock: this one is refused before it reads anything."""

    def __init__(self, holder: str, started_at: dt.datetime | None):
        self.holder, self.started_at = holder, started_at
        super().__init__(self.message)

    @property
    def message(self) -> str:
        when = timezone.localtime(self.started_at).strftime("%Y-%m-%d %H:%M:%S") if self.started_at else "?"
        return _(
            "Another import is running (started by %(who)s at %(when)s); imports run one at a time, so that "
            "each one's name check sees the other's names. Try again when it has finished."
        ) % {"who": self.holder or "?", "when": when}


class ImportInProgress(OperationalError):
    """A writer arrived while an import holds the registry's write lock: try again in ``retry_after`` s."""

    def __init__(self, retry_after: int, holder: str = ""):
        self.retry_after, self.holder = retry_after, holder
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return _(
            "An import is in progress (started by %(who)s) and holds the registry's write lock; nothing was "
            "saved. Please try again in %(seconds)s seconds."
        ) % {"who": self.holder or "?", "seconds": self.retry_after}


def holder_of(acting_user) -> str:
    """Who starts an import, as the others are told: the user, or the system login of a command."""
    if acting_user is not None and getattr(acting_user, "pk", None):
        return acting_user.get_username()
    try:
        import getpass

        return f"manage.py ({getpass.getuser()}, pid {os.getpid()})"
    except (KeyError, OSError):
        return f"manage.py (pid {os.getpid()})"


def holding() -> bool:
    """Whether this thread runs the import that holds the lock."""
    return getattr(_local, "token", None) is not None


@contextlib.contextmanager
def import_lock(holder: str):
    """Hold the import lock for the block, or raise ``ImportRunning`` at once."""
    from registry.models import ImportLock

    release = _try_acquire()
    if release is None:
        row = ImportLock.objects.filter(pk=1).values("holder", "started_at").first() or {}
        raise ImportRunning(row.get("holder", ""), row.get("started_at"))
    token = uuid.uuid4().hex
    try:
        ImportLock.objects.update_or_create(
            pk=1, defaults={"holder": holder[:200], "started_at": timezone.now(), "token": token, "writing_until": None}
        )
        _local.token = token
        yield
    finally:
        _local.token = None
        try:
            ImportLock.objects.filter(pk=1, token=token).delete()
        finally:
            release()


@contextlib.contextmanager
def writing(seconds: float):
    """Tell other writers, for the block, that the import holds the write lock for about ``seconds``.

    Written (committed) before the import's transaction begins, so that others can read it.
    """
    from registry.models import ImportLock

    token = getattr(_local, "token", None)
    if token is None or connection.in_atomic_block:  # not a locked import, or nobody else could see the mark
        yield
        return
    until = timezone.now() + dt.timedelta(seconds=max(seconds, MIN_RETRY_SECONDS))
    ImportLock.objects.filter(pk=1, token=token).update(writing_until=until)
    try:
        yield
    finally:
        ImportLock.objects.filter(pk=1, token=token).update(writing_until=None)


def busy() -> ImportInProgress | None:
    """The answer for a writer (not the import itself) while an import writes, else None."""
    from registry.models import ImportLock

    if holding():
        return None
    # On SQLite the lock is a flock (a system call, no query): tried first, so that a write
    # with no import running costs no query. On PostgreSQL trying the lock takes a session
    # of its own, so the status row is read first.
    flock_first = connection.vendor != "postgresql"
    if flock_first and not _held_by_someone():
        return None
    row = ImportLock.objects.filter(pk=1, writing_until__isnull=False).values("holder", "writing_until").first()
    if row is None or (not flock_first and not _held_by_someone()):
        return None  # none, or left by an import that died: its lock went with it
    left = (row["writing_until"] - timezone.now()).total_seconds()
    return ImportInProgress(max(MIN_RETRY_SECONDS, math.ceil(left)), row["holder"])


def refuse_if_busy() -> None:
    found = busy()
    if found is not None:
        raise found


def _try_acquire():
    """A function releasing the lock, or None when another holds it."""
    if connection.vendor == "postgresql":
        # A session of its own: the import closes Django's connections before forking its
        # workers, which would release a lock held by them.
        session = connections.create_connection(DEFAULT_DB_ALIAS)
        with session.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_KEY])
            if not cursor.fetchone()[0]:
                session.close()
                return None
        return session.close  # ending the session releases the lock
    path = _lock_file()
    if path is None:
        lock = _process_lock()
        return lock.release if lock.acquire(blocking=False) else None
    import fcntl

    handle = open(path, "a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle.close  # closing the file releases the lock


def _held_by_someone() -> bool:
    """Whether the import lock is held now (by a living import)."""
    try:
        release = _try_acquire()
    except OSError:  # the lock file cannot be made (the database's folder is gone): nobody holds it
        return False
    if release is None:
        return True
    release()
    return False


def _lock_file() -> str | None:
    name = str(connection.settings_dict["NAME"])
    if not name or name == ":memory:" or "mode=memory" in name:
        return None
    return f"{os.path.abspath(name)}.import-lock"


def _process_lock() -> threading.Lock:
    name = str(connection.settings_dict["NAME"])
    with _process_locks_guard:
        return _process_locks.setdefault(name, threading.Lock())
