"""An export run in-process leaves the process's SIGTERM handling as it found it.

The command turns SIGTERM into an unwinding exit while it writes (its temporary file is
removed). Left installed, that handler was inherited by the importer's forked workers,
which then did not die of ``Pool.terminate``'s SIGTERM: a later import in the same
process (the test suite) hung for ever in the pool's join.
"""

import signal

from django.core.management import call_command

from registry import workers


def test_the_export_command_restores_the_sigterm_handler(db, tmp_path):
    before = signal.getsignal(signal.SIGTERM)
    call_command("export_places", str(tmp_path / "places.csv"))
    assert signal.getsignal(signal.SIGTERM) is before


def test_forked_workers_die_of_sigterm_whatever_the_parent_installed():
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: None)
    try:
        results = list(workers.map_chunks(workers.Job(_handler_name, list(range(workers.MIN_ITEMS))), workers=2))
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert set(results) == {"SIG_DFL"}


def _handler_name(_state, chunk):
    return ["SIG_DFL" if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL else "other" for _ in chunk]
