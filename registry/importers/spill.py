"""The bulky part of checked rows, kept on disk between the check and the write.

A checked row's ``attrs`` (origin and history texts, coordinates, details, geometry) are
most of its memory and are read only when the row is written: the cross-row checks (codes,
names per scope) need the rest. So they are pickled, a batch at a time, into an anonymous
temporary file as the rows are checked, and read back in the same order a write batch at a
time. Memory then holds the compact rows and one batch, not the file's texts: a 200 MB CSV
no longer grows the process past 3 GB (issue #12, reliability 7).
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterable, Iterator
from types import MappingProxyType

BATCH = 5_000
_NOTHING = MappingProxyType({})


class AttrSpill:
    """Rows' ``attrs`` by line, written in line order and read back in line order."""

    def __init__(self) -> None:
        self._file = None
        self._pending: list[tuple[int, dict]] = []
        self.count = 0

    def keep(self, row) -> None:
        """Move ``row.attrs`` to the spill (the row keeps an empty, shared mapping)."""
        if not row.attrs:
            return
        self._pending.append((row.line, row.attrs))
        row.attrs = _NOTHING
        self.count += 1
        if len(self._pending) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="registry-import-")
        pickle.dump(self._pending, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._pending = []

    def _entries(self) -> Iterator[tuple[int, dict]]:
        self._flush()
        if self._file is None:
            return
        self._file.seek(0)
        while True:
            try:
                batch = pickle.load(self._file)
            except EOFError:
                return
            yield from batch

    def restored(self, rows: Iterable) -> Iterator:
        """``rows`` (in line order, any subset of the kept ones) with their ``attrs`` back, one
        at a time: the caller drops them (``release``) once written."""
        entries = self._entries()
        entry = next(entries, None)
        for row in rows:
            while entry is not None and entry[0] < row.line:
                entry = next(entries, None)
            if entry is not None and entry[0] == row.line:
                row.attrs = entry[1]
            yield row

    def close(self) -> None:
        self._pending = []
        if self._file is not None:
            self._file.close()
            self._file = None


def release(rows: Iterable) -> None:
    """Give the written rows' ``attrs`` back to the spill's keeping (nothing: they are on disk)."""
    for row in rows:
        row.attrs = _NOTHING
