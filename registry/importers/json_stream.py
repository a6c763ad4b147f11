"""Reading a JSON or GeoJSON import a record at a time, never the whole document.

``Document`` reads a text file through a buffer and gives the values of its top-level
array, or the members of its top-level object and the elements of their arrays, one at a
time, each element parsed whole by ``json``'s own decoder (``JSONDecoder.raw_decode``,
the C scanner ``json.loads`` uses), so an element is exactly what ``json.loads`` would
make of it. Memory holds the buffer and one element: a million-row file is read in the
memory of one record, as a CSV is. One value larger than ``limit`` characters (a
hostile record, or a file that never closes a string) is refused (``TooLarge``); a value
nested too deeply is refused as malformed, not a ``RecursionError``. ``Malformed``
carries the line and column of the error in the file, and ``json``'s own message, as
``json.loads`` reports them.

``records`` reads a file twice: once for its shape (which array holds the records: the
top-level array, ``places`` or ``listings``, a FeatureCollection's ``features``), the
union of the records' columns and their count, checking the whole document; then, as
its rows are asked for, the records themselves, numbered from 1. A GeoJSON feature
becomes its properties, a point as longitude and latitude, a line or area as geometry.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TextIO

CHUNK = 1 << 16
_WHITESPACE = " \t\n\r"  # what JSON calls white space, and nothing else
_DECODER = json.JSONDecoder()
# Candidate record arrays of a top-level object, as ``readers`` chose them from a parsed document.
RECORD_KEYS = ("places", "listings", "features")


class Malformed(Exception):
    """Not valid JSON: ``message`` (``json``'s) at ``line``, ``column`` (both from 1)."""

    def __init__(self, message: str, line: int, column: int):
        super().__init__(f"{message}: line {line} column {column}")
        self.message, self.line, self.column = message, line, column


class TooLarge(Exception):
    """A value that starts at ``line`` is longer than the limit."""

    def __init__(self, line: int):
        super().__init__(f"a value at line {line} is too large")
        self.line = line


class Document:
    """A JSON text read a value at a time (see the module's docstring)."""

    def __init__(self, text: TextIO, limit: int):
        self._text, self.limit = text, limit
        self._buffer, self._at, self._eof = "", 0, False
        self._line, self._column = 1, 0  # where the buffer's first character is in the file

    def _read(self) -> bool:
        """More text into the buffer, what was consumed dropped; False at the end of the file."""
        if self._eof:
            return False
        consumed, buffer = self._at, self._buffer
        if consumed:
            newline = buffer.rfind("\n", 0, consumed)
            self._line += buffer.count("\n", 0, consumed)
            self._column = consumed - newline - 1 if newline >= 0 else self._column + consumed
            buffer, self._at = buffer[consumed:], 0
        chunk = self._text.read(max(CHUNK, len(buffer)))  # doubling: a long value is parsed O(n) times, not O(n²)
        self._eof = not chunk
        self._buffer = buffer + chunk
        return bool(chunk)

    def where(self, pos: int) -> tuple[int, int]:
        """(line, column) in the file of the buffer's position ``pos``, as ``json`` counts them."""
        newline = self._buffer.rfind("\n", 0, pos)
        line = self._line + self._buffer.count("\n", 0, pos)
        return line, pos - newline if newline >= 0 else self._column + pos + 1

    def malformed(self, message: str, pos: int | None = None) -> Malformed:
        return Malformed(message, *self.where(self._at if pos is None else pos))

    def peek(self) -> str:
        """The next character that is not white space (not consumed), or "" at the end."""
        while True:
            buffer, at = self._buffer, self._at
            while at < len(buffer) and buffer[at] in _WHITESPACE:
                at += 1
            self._at = at
            if at < len(buffer):
                return buffer[at]
            if not self._read():
                return ""

    def take(self, char: str, expected: str) -> None:
        """Consume ``char``, the next character that is not white space, or raise ``expected``."""
        if self.peek() != char:
            raise self.malformed(expected)
        self._at += 1

    def value(self):
        """The next value, whole."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self._buffer, self._at)
            except json.JSONDecodeError as exc:
                if self._eof or not self._cut(exc):
                    raise self.malformed(exc.msg, exc.pos) from None
            except RecursionError:
                raise self.malformed("nested too deeply") from None
            else:
                # A number near the buffer's end may go on ("1e" of "1e5"): read on to be sure.
                if end < len(self._buffer) - 2 or self._eof:
                    self._at = end
                    return value
            if len(self._buffer) - self._at > self.limit:
                raise TooLarge(self.where(self._at)[0])
            self._read()

    def _cut(self, exc: json.JSONDecodeError) -> bool:
        """Whether the error may be the buffer's end cutting a value short (then read on)."""
        return exc.msg.startswith("Unterminated string") or exc.pos >= len(self._buffer) - 8

    def elements(self) -> Iterator:
        """The elements of the array that begins here, one at a time."""
        self.take("[", "Expecting value")
        if self.peek() == "]":
            self._at += 1
            return
        while True:
            yield self.value()
            char = self.peek()
            if char == "]":
                self._at += 1
                return
            self.take(",", "Expecting ',' delimiter")

    def members(self) -> Iterator[str]:
        """The keys of the object that begins here; the caller reads each member's value
        (``value``, or ``elements`` when ``peek`` is "[") before the next key."""
        self.take("{", "Expecting value")
        if self.peek() == "}":
            self._at += 1
            return
        while True:
            if self.peek() != '"':
                raise self.malformed("Expecting property name enclosed in double quotes")
            key = self.value()
            self.take(":", "Expecting ':' delimiter")
            yield key
            if self.peek() == "}":
                self._at += 1
                return
            self.take(",", "Expecting ',' delimiter")

    def end(self) -> None:
        if self.peek():
            raise self.malformed("Extra data")


@dataclass
class _Array:
    """What the shape pass learnt of one array of records."""

    count: int = 0
    columns: dict[str, None] = field(default_factory=dict)
    wide: int = 0  # the column count once past the limit (then no more are collected)


@dataclass
class Shape:
    """The document's top level: "array", "object" or "other"; the arrays of records found
    (the top-level array as ``None``, a member by (key, occurrence)); the last occurrence of
    each member, whether it is an array, and its "type" if it is a string."""

    top: str = "other"
    arrays: dict = field(default_factory=dict)
    last: dict[str, int] = field(default_factory=dict)
    is_array: dict[str, bool] = field(default_factory=dict)
    type: object = None


def feature_record(feature) -> dict:
    """A GeoJSON feature's record: its properties, a point as longitude and latitude
    (unless the properties have them), a line or area as geometry."""
    if not isinstance(feature, dict):
        return {"__invalid__": "a feature is not an object"}
    record = dict(feature.get("properties") or {})
    geometry = feature.get("geometry")
    if isinstance(geometry, dict) and geometry.get("type") == "Point":
        coordinates = geometry.get("coordinates") or [None, None]
        record.setdefault("longitude", coordinates[0] if len(coordinates) > 0 else None)
        record.setdefault("latitude", coordinates[1] if len(coordinates) > 1 else None)
    elif isinstance(geometry, dict):
        record["geometry"] = geometry
    return record


def plain_record(record) -> dict:
    return record if isinstance(record, dict) else {"__invalid__": "not an object"}


def plain_columns(record) -> dict:
    return record if isinstance(record, dict) else {}


def _geo(which) -> bool:
    """Whether the array ``which`` holds GeoJSON features."""
    return which is not None and which[0] == "features"


def _visit(document: Document, array: Callable[[object, Iterator], None], shape: Shape) -> None:
    """Walk the top level, handing each array of records to ``array(which, elements)``."""
    char = document.peek()
    if char == "[":
        shape.top = "array"
        array(None, document.elements())
    elif char == "{":
        shape.top = "object"
        seen: dict[str, int] = {}
        for key in document.members():
            occurrence = seen[key] = seen.get(key, -1) + 1
            shape.last[key] = occurrence
            shape.is_array[key] = document.peek() == "["
            if key in RECORD_KEYS and shape.is_array[key]:
                array((key, occurrence), document.elements())
            else:
                value = document.value()
                if key == "type":
                    shape.type = value
    else:
        document.value()
    document.end()


def shape_of(open_text: Callable[[], TextIO], limit: int, max_columns: int) -> Shape:
    """The document's shape, every array of records counted and its columns collected
    (up to ``max_columns`` and one more record), the whole document checked."""
    shape = Shape()

    def collect(which, elements: Iterator) -> None:
        found = shape.arrays[which] = _Array()
        geo = _geo(which)
        for element in elements:
            found.count += 1
            if not found.wide:
                # A feature that is not an object still makes a record (an invalid one); a plain
                # element that is not an object has no columns.
                found.columns.update(dict.fromkeys(feature_record(element) if geo else plain_columns(element)))
                if len(found.columns) > max_columns:
                    found.wide = len(found.columns)

    with open_text() as text:
        _visit(Document(text, limit), collect, shape)
    return shape


def records(open_text: Callable[[], TextIO], limit: int, which) -> Iterator[tuple[int, dict]]:
    """(number, record) of the array ``which`` (``shape_of``'s key), read again from the start."""
    make = feature_record if _geo(which) else plain_record
    found: list[Iterator] = []

    def keep(this, elements: Iterator) -> None:
        if this == which:
            found.append(elements)
            raise _Found
        for _element in elements:  # another array: read through, an element at a time
            pass

    with open_text() as text:
        document = Document(text, limit)
        try:
            _visit(document, keep, Shape())
        except _Found:
            for number, element in enumerate(found[0], start=1):
                yield number, make(element)


class _Found(Exception):
    """The array of records is reached: the walk stops there, and its elements are read."""
