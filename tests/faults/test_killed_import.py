"""A killed import leaves the registry as it was before, or as it is after: never between.

``manage.py import_places`` runs on a real file in a subprocess whose stderr is a
terminal (a pty), so it draws its progress bars; once the "写入 write" bar shows that
rows are being written, the process gets SIGKILL (no clean-up at all) or SIGTERM (the
default action: it dies). What the test then reads on its own connection: the number of
places is 0 or all of them, every place has its open official name, and the import
record is absent or names the whole file. Re-running the same command then succeeds
(or, had the import committed before the signal, refuses the repeat by naming it).
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time

import pytest

from tests.faults.conftest import PYTHON, ROOT, manage, server_env

ROWS = 6_000


@pytest.fixture(scope="module")
def census(tmp_path_factory):
    """A synthetic census CSV (benchmarks/corpus.py: made-up names, a fifth repeated, hence --legacy)."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.importer import write_csv

    path = tmp_path_factory.mktemp("census") / "census.csv"
    write_csv(path, ROWS)
    return path


def run_until_writing(db, path, deadline: float = 60) -> tuple[subprocess.Popen, str]:
    """Start the import with a terminal on stderr and return once it reports writing rows."""
    parent, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))  # a 0-column terminal draws no bar
    process = subprocess.Popen(
        [PYTHON, "manage.py", "import_places", str(path), "--legacy"],
        cwd=ROOT,
        env=server_env(db, PYTHONIOENCODING="utf-8"),
        stdout=subprocess.DEVNULL,
        stderr=child,
        start_new_session=True,
    )
    os.close(child)
    seen, end = b"", time.monotonic() + deadline
    try:
        while b"write" not in seen:  # the bar "写入 write"
            assert time.monotonic() < end and process.poll() is None, seen.decode(errors="replace")[-2000:]
            ready, _w, _x = select.select([parent], [], [], 0.5)
            if ready:
                try:
                    seen += os.read(parent, 65536)
                except OSError:  # the command closed its terminal: it has ended
                    process.wait(timeout=30)
    finally:
        os.close(parent)
    return process, seen.decode(errors="replace")


def workers_gone(group: int, within: float) -> bool:
    end = time.monotonic() + within
    while time.monotonic() < end:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    os.killpg(group, signal.SIGKILL)  # not left behind by the test either
    return False


def state(db) -> dict:
    return {
        "places": db.scalar("SELECT COUNT(*) FROM registry_place"),
        "without_official_name": db.scalar(
            "SELECT COUNT(*) FROM registry_place p WHERE NOT EXISTS (SELECT 1 FROM registry_placename n "
            "WHERE n.place_id = p.id AND n.kind = 'official' AND n.valid_to = '' AND n.name = p.name)"
        ),
        "names": db.scalar("SELECT COUNT(*) FROM registry_placename"),
        "records": db.rows("SELECT created FROM registry_importrecord"),
    }


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_killed_import_leaves_nothing_half_written_and_can_be_run_again(fresh_db, census, signum):
    process, _progress = run_until_writing(fresh_db, census)
    os.kill(process.pid, signum)
    assert process.wait(timeout=30) == -signum
    # The name-check workers die with their parent (none is left holding the database).
    assert workers_gone(process.pid, within=5)

    after_kill = state(fresh_db)
    assert after_kill["places"] in (0, ROWS), after_kill
    assert after_kill["without_official_name"] == 0, after_kill
    assert after_kill["records"] in ([], [(ROWS,)]), after_kill
    committed = after_kill["places"] == ROWS
    assert (after_kill["records"] == [(ROWS,)]) == committed and (after_kill["names"] >= ROWS) == committed

    again = manage(fresh_db, "import_places", str(census), "--legacy", check=False)
    if committed:  # the signal came after the commit: the repeat is refused, naming the import
        assert again.returncode != 0 and "import" in again.stderr.lower(), again.stderr
    else:
        assert again.returncode == 0, again.stderr
    final = state(fresh_db)
    assert final["places"] == ROWS and final["without_official_name"] == 0 and final["records"] == [(ROWS,)], final
