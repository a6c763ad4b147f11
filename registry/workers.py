"""Spreading CPU-bound batch work (audits, import checks) over the machine's cores.

The work functions read shared state prepared in module globals before the fork
(name groups, word lists, romanizations), which the forked workers see copy-on-write;
they never touch the database, whose connections are closed before forking. Small
batches, platforms without ``fork`` and calls inside a transaction (whose connection
must not be closed) run in this process instead.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connections, transaction

CHUNK = 1000
MIN_ITEMS = 5000


def map_chunks(function: Callable[[list], list], items: list, *, workers: int | None = None) -> Iterator:
    """The results of ``function`` over chunks of ``items``, in order, flattened."""
    with started(function, items, workers=workers) as results:
        yield from results


@contextmanager
def started(function: Callable[[list], list], items: list, *, workers: int | None = None,
            forked: Callable[[], None] | None = None) -> Iterator[Iterator]:
    """Start ``function`` over chunks of ``items`` now; the block gets the iterator of its results.

    The workers are forked on entry and begin at once, so the block may meanwhile use
    the database (in a transaction of its own) while they work: the importer writes
    places while their names are judged. ``forked`` is called once they have their copy
    of the shared state, so this process can let go of what only they need. Run in this
    process, the work is done lazily, as the results are read.
    """
    chunks = [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]
    workers = workers or os.cpu_count() or 1
    if workers > 1 and len(items) >= MIN_ITEMS and "fork" in multiprocessing.get_all_start_methods() \
            and not transaction.get_connection().in_atomic_block:
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(workers, initializer=_default_signals) as pool:
            if forked is not None:
                forked()
            yield (result for part in pool.imap(function, chunks) for result in part)
    else:
        yield (result for chunk in chunks for result in function(chunk))


def _default_signals() -> None:
    """A worker dies of SIGTERM, as ``Pool.terminate`` expects: a handler the parent had
    installed (an export's, which unwinds into SystemExit) would leave a worker half-way
    out while it holds the pool's queue lock, and the pool's join would wait for ever."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
