"""Reading CSV (UTF-8, UTF-8 with BOM, GBK/GB18030), XLSX, JSON and GeoJSON into rows.

Each reader yields ``(line_number, {column: value})``; the first data line of a CSV or
XLSX is line 2 (line 1 is the header), a JSON or GeoJSON record is numbered from 1.
Problems with the file as a whole (an undecodable encoding, a truncated XLSX, binary
garbage, an empty file) raise ``FileProblem`` with a message that says which.
"""
from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _


FORMATS = ("csv", "xlsx", "json", "geojson")
ENCODINGS = ("utf-8-sig", "gb18030")
_STEP = 1 << 20


class FileProblem(Exception):
    """The file cannot be read at all."""


def detect_format(path: Path, head: bytes) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if suffix in FORMATS:
        return suffix
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith((b"{", b"[")):
        return "geojson" if b'"FeatureCollection"' in head else "json"
    return "csv"


def detect_encoding(data: bytes, encoding: str = "auto") -> str:
    """The encoding that decodes all of ``data``: UTF-8 (with or without BOM) first, then
    GB18030 (⊃ GBK). Decoded a megabyte at a time and thrown away: a census file is
    checked whole before anything is read, without a second copy of it in memory."""
    if b"\x00" in data[:4096]:
        raise FileProblem(_("The file is binary (it contains NUL bytes), not a text table."))
    candidates = ENCODINGS if encoding in ("", "auto", None) else (encoding,)
    view = memoryview(data)
    for name in candidates:
        try:
            decoder = codecs.getincrementaldecoder(name)()
            for start in range(0, len(data), _STEP):
                decoder.decode(view[start:start + _STEP], final=start + _STEP >= len(data))
            return name
        except (UnicodeDecodeError, LookupError):
            continue
    raise FileProblem(_("The file cannot be decoded as %(encodings)s; save it as UTF-8 or GBK.")
                      % {"encodings": _(" or ").join(candidates)})


def read_rows(path: Path, fmt: str = "auto", encoding: str = "auto") -> tuple[str, list[str], Iterator[tuple[int, dict]]]:
    """(format, columns, rows) of the file at ``path``; CSV rows are read as they are asked for."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileProblem(_("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": exc.strerror}) from None
    if not data.strip():
        raise FileProblem(_("The file is empty."))
    fmt = detect_format(path, data[:4096]) if fmt in ("", "auto", None) else fmt
    if fmt == "xlsx":
        return fmt, *_xlsx(data)
    used = detect_encoding(data, encoding)
    if fmt == "csv":
        return fmt, *_csv(data, used)
    return fmt, *_json(data.decode(used), fmt)


def _csv(data: bytes, encoding: str):
    sample = data[:8192].decode(encoding, errors="ignore")
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline=""), dialect)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise FileProblem(_("The file is empty.")) from None
    if not any(header):
        raise FileProblem(_("The first line must name the columns."))

    def rows():
        while True:
            number = reader.line_num + 1  # the physical line the record starts on
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise FileProblem(_("The CSV is malformed at line %(line)s: %(error)s.")
                                  % {"line": reader.line_num, "error": exc}) from None
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header):
                yield number, {"__extra__": values[len(header):], **dict(zip(header, values))}
            else:
                yield number, dict(zip(header, values + [""] * (len(header) - len(values))))

    return header, rows()


def _xlsx(data: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        iterator = sheet.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(iterator)]
    except StopIteration:
        raise FileProblem(_("The workbook's first sheet is empty.")) from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileProblem(_("The XLSX file is damaged or truncated (%(error)s).") % {"error": type(exc).__name__}) from None

    def cell(value):
        if value is None:
            return ""
        if hasattr(value, "isoformat"):
            return value.isoformat()[:10]
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    def rows():
        for number, values in enumerate(iterator, start=2):
            values = [cell(v) for v in values]
            if any(v.strip() for v in values):
                yield number, dict(zip(header, values + [""] * (len(header) - len(values))))

    return header, rows()


def _json(text: str, fmt: str):
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileProblem(_("Not valid JSON at line %(line)s, column %(column)s: %(error)s.") % {"line": exc.lineno, "column": exc.colno, "error": exc.msg}) from None
    if fmt == "geojson" or (isinstance(document, dict) and document.get("type") == "FeatureCollection"):
        if not isinstance(document, dict) or not isinstance(document.get("features"), list):
            raise FileProblem(_("A GeoJSON file must be a FeatureCollection with a features list."))
        records = []
        for feature in document["features"]:
            if not isinstance(feature, dict):
                records.append({"__invalid__": "a feature is not an object"})
                continue
            record = dict(feature.get("properties") or {})
            geometry = feature.get("geometry")
            if isinstance(geometry, dict) and geometry.get("type") == "Point":
                coordinates = geometry.get("coordinates") or [None, None]
                record.setdefault("longitude", coordinates[0] if len(coordinates) > 0 else None)
                record.setdefault("latitude", coordinates[1] if len(coordinates) > 1 else None)
            elif isinstance(geometry, dict):
                record["geometry"] = geometry
            records.append(record)
    else:
        records = document.get("places", document.get("listings")) if isinstance(document, dict) else document
        if not isinstance(records, list):
            raise FileProblem(_('A JSON file must be a list of records, or {"places": [...]} (or {"listings": [...]}).'))
    if not records:
        raise FileProblem(_("The file holds no records."))
    columns = sorted({k for r in records if isinstance(r, dict) for k in r})

    def rows():
        for number, record in enumerate(records, start=1):
            yield number, record if isinstance(record, dict) else {"__invalid__": "not an object"}

    return columns, rows()
