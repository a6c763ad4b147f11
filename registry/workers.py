"""Spreading CPU-bound batch work (audits, import checks) over the machine's cores.

A caller hands over a ``Job``: the function to run over chunks of items and the state
it reads (name groups, word lists, romanizations). Forked workers receive the job as
the fork's copy of this process (copy-on-write: the state is never pickled, only the
chunks and their results are); the caller keeps no module global for them. The workers
never touch the database, whose connections are closed before forking. Small batches,
platforms without ``fork`` and calls inside a transaction (whose connection must not be
closed) run the job in this process instead.

A forked worker is ours alone, so it freezes what it inherited out of the garbage
collector's reach (``gc.freeze``): nothing it inherited is ever garbage, and scanning it
would only copy the shared pages. The process that starts the workers may be someone
else's (the admin's web worker): its collector is left as it is here.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction

CHUNK = 1000
MIN_ITEMS = 5000


@dataclass
class Job:
    """``work(state, chunk)`` over chunks of ``items``: a list of results per chunk, in order.

    ``work`` is a module-level function (a worker finds it by name); ``state`` is what it
    reads besides the chunk, prepared before the workers fork.
    """

    work: Callable[[Any, list], list]
    items: list
    state: Any = None

    def run(self, chunk: list) -> list:
        return self.work(self.state, chunk)


def map_chunks(job: Job, *, workers: int | None = None) -> Iterator:
    """The results of ``job`` over its chunks, in order, flattened."""
    with started(job, workers=workers) as results:
        yield from results


@contextmanager
def started(job: Job, *, workers: int | None = None, forked: Callable[[], None] | None = None) -> Iterator[Iterator]:
    """Start ``job`` now; the block gets the iterator of its results.

    The workers are forked on entry and begin at once, so the block may meanwhile use
    the database (in a transaction of its own) while they work: the importer writes
    places while their names are judged. ``forked`` is called once they have their copy
    of the job, so this process can let go of what only they need. Run in this
    process, the work is done lazily, as the results are read.
    """
    items = job.items
    chunks = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
    workers = workers or os.cpu_count() or 1
    if (
        workers > 1
        and len(items) >= MIN_ITEMS
        and "fork" in multiprocessing.get_all_start_methods()
        and not transaction.get_connection().in_atomic_block
    ):
        connections.close_all()
        # Forked, the initializer's arguments are the workers' copy of this process's objects, not pickles.
        with multiprocessing.get_context("fork").Pool(workers, initializer=_adopt, initargs=(job,)) as pool:
            if forked is not None:
                forked()
            yield (result for part in pool.imap(_run_adopted, chunks) for result in part)
    else:
        yield (result for chunk in chunks for result in job.run(chunk))


_adopted: list[Job] = []  # in a forked worker only: the job it was started for


def _adopt(job: Job) -> None:
    """A forked worker's start: the job it runs, default signals, what it inherited frozen."""
    _default_signals()
    gc.freeze()
    _adopted[:] = [job]


def _run_adopted(chunk: list) -> list:
    return _adopted[0].run(chunk)


def _default_signals() -> None:
    """A worker dies of SIGTERM, as ``Pool.terminate`` expects: a handler the parent had
    installed (an export's, which unwinds into SystemExit) would leave a worker half-way
    out while it holds the pool's queue lock, and the pool's join would wait for ever."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
