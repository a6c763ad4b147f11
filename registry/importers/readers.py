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
import zipfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from registry.importers import json_stream


FORMATS = ("csv", "xlsx", "json", "geojson")
ENCODINGS = ("utf-8-sig", "gb18030")
_STEP = 1 << 20
_RATIO_FLOOR = 1 << 20  # members smaller than this are never too compressed: they cannot blow up
_MB = 1024 * 1024


def _limit(name: str) -> int:
    """A limit of config/settings.py's "Limits on imported files" block (read per call, so
    tests and a deployment can change them)."""
    return int(getattr(settings, name))


def _too_many_columns(count: int) -> FileProblem:
    return FileProblem(
        _("The header has %(count)s columns; at most %(limit)s are accepted.")
        % {"count": count, "limit": _limit("REGISTRY_IMPORT_MAX_COLUMNS")}
    )


def _too_many_rows(line: int) -> FileProblem:
    return FileProblem(
        _("The file has more than %(limit)s rows (line %(line)s); split it into smaller files.")
        % {"limit": _limit("REGISTRY_IMPORT_MAX_ROWS"), "line": line}
    )


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


def detect_encoding(data, encoding: str = "auto") -> str:
    """The encoding that decodes all of ``data`` (bytes, or a binary file read from its
    start): UTF-8 (with or without BOM) first, then GB18030 (⊃ GBK). Decoded a megabyte at
    a time and thrown away: a census file is checked whole before anything is read,
    without a copy of it in memory."""
    head = data[:4096] if isinstance(data, (bytes, bytearray)) else _head(data)
    if b"\x00" in head:
        raise FileProblem(_("The file is binary (it contains NUL bytes), not a text table."))
    candidates = ENCODINGS if encoding in ("", "auto", None) else (encoding,)
    for name in candidates:
        try:
            decoder = codecs.getincrementaldecoder(name)()
            for chunk in _chunks(data):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return name
        except (UnicodeDecodeError, LookupError):
            continue
    raise FileProblem(
        _("The file cannot be decoded as %(encodings)s; save it as UTF-8 or GBK.")
        % {"encodings": _(" or ").join(candidates)}
    )


def _head(fh) -> bytes:
    fh.seek(0)
    head = fh.read(4096)
    fh.seek(0)
    return head


def _chunks(data) -> Iterator[bytes]:
    """``data`` a megabyte at a time: slices of bytes, or reads of a binary file from its start."""
    if isinstance(data, (bytes, bytearray)):
        view = memoryview(data)
        for start in range(0, len(data), _STEP):
            yield view[start : start + _STEP]
        return
    data.seek(0)
    while chunk := data.read(_STEP):
        yield chunk
    data.seek(0)


def _blank(fh) -> bool:
    """True when the file holds nothing but white space (read a megabyte at a time)."""
    return not any(chunk.strip() for chunk in _chunks(fh))


def read_rows(
    path: Path, fmt: str = "auto", encoding: str = "auto"
) -> tuple[str, list[str], Iterator[tuple[int, dict]]]:
    """(format, columns, rows) of the file at ``path``; CSV, JSON and GeoJSON rows are read
    from the file as they are asked for (the file is never held whole in memory)."""
    path = Path(path)
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed by the CSV rows once read, or below
    except OSError as exc:
        raise FileProblem(_("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": exc.strerror}) from None
    try:
        if _blank(fh):
            raise FileProblem(_("The file is empty."))
        fmt = detect_format(path, _head(fh)) if fmt in ("", "auto", None) else fmt
        if fmt == "csv":
            used = detect_encoding(fh, encoding)
            return fmt, *_csv(fh, used)
        if fmt != "xlsx":  # JSON or GeoJSON
            used = detect_encoding(fh, encoding)
            fh.close()
            return fmt, *_json(path, used, fmt)
        data = fh.read()
    except BaseException:
        fh.close()
        raise
    fh.close()
    return fmt, *_xlsx(data)


def _csv(fh, encoding: str):
    """The header and rows of a CSV read from the open binary file ``fh`` (closed once read)."""
    fh.seek(0)
    sample = fh.read(8192).decode(encoding, errors="ignore")
    fh.seek(0)
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    text = io.TextIOWrapper(fh, encoding=encoding, newline="")
    reader = csv.reader(text, dialect)
    try:
        raw = next(reader)
    except StopIteration:
        text.close()
        raise FileProblem(_("The file is empty.")) from None
    except BaseException:
        text.close()
        raise
    width = len(raw)
    while width and not raw[width - 1].strip():
        width -= 1  # trailing empty cells (a spreadsheet's stray delimiters) name no column
    if width > _limit("REGISTRY_IMPORT_MAX_COLUMNS"):
        text.close()
        raise _too_many_columns(width)  # counted, not listed: a header of a million columns
    header = [h.strip() for h in raw[:width]]
    del raw
    if not any(header):
        text.close()
        raise FileProblem(_("The first line must name the columns."))
    max_rows = _limit("REGISTRY_IMPORT_MAX_ROWS")

    def rows():
        with text:
            yield from _csv_records(reader, header, max_rows)

    return header, rows()


def _csv_records(reader, header: list[str], max_rows: int) -> Iterator[tuple[int, dict]]:
    count = 0
    while True:
        number = reader.line_num + 1  # the physical line the record starts on
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FileProblem(
                _("The CSV is malformed at line %(line)s: %(error)s.") % {"line": reader.line_num, "error": exc}
            ) from None
        if not any(v.strip() for v in values):
            continue
        count += 1
        if count > max_rows:
            raise _too_many_rows(number)
        if len(values) > len(header):
            yield number, {"__extra__": values[len(header) :], **dict(zip(header, values))}
        else:
            yield number, dict(zip(header, values + [""] * (len(header) - len(values))))


def _check_zip(data: bytes) -> None:
    """Refuse a workbook whose zip would inflate beyond the limit, or holds a member packed
    absurdly tight (a deflate bomb), before openpyxl inflates anything. The sizes come from
    the zip's directory; a member that inflates to more than its recorded size fails its
    CRC check in ``zipfile``, so a lying directory cannot get past this either."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileProblem(
            _("The XLSX file is damaged or truncated (%(error)s).") % {"error": type(exc).__name__}
        ) from None
    total = sum(m.file_size for m in members)
    limit = _limit("REGISTRY_IMPORT_MAX_UNCOMPRESSED")
    if total > limit:
        raise FileProblem(
            _("The XLSX file unpacks to %(size)s MB; at most %(limit)s MB are accepted.")
            % {"size": round(total / _MB), "limit": limit // _MB}
        )
    ratio = _limit("REGISTRY_IMPORT_MAX_RATIO")
    for member in members:
        if member.file_size > _RATIO_FLOOR and member.file_size > ratio * max(member.compress_size, 1):
            raise FileProblem(
                _(
                    "The XLSX file is packed suspiciously tightly (%(member)s unpacks %(ratio)s times "
                    "its size; at most %(limit)s); it is refused as a possible zip bomb."
                )
                % {
                    "member": member.filename[:60],
                    "ratio": member.file_size // max(member.compress_size, 1),
                    "limit": ratio,
                }
            )


def _xlsx(data: bytes):
    from openpyxl import load_workbook

    _check_zip(data)
    max_columns = _limit("REGISTRY_IMPORT_MAX_COLUMNS")
    max_rows = _limit("REGISTRY_IMPORT_MAX_ROWS")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        _check_claimed_size(sheet, max_rows, max_columns)
        # Not trusted further: a dimension that is too small would cut rows off, too large pad them.
        sheet.reset_dimensions()
        header = _xlsx_header(sheet, max_columns)
        # Cells beyond the header are never built: one far cell costs one cell, not a row of them.
        iterator = sheet.iter_rows(min_row=2, max_col=len(header), values_only=True)
    except StopIteration:
        raise FileProblem(_("The workbook's first sheet is empty.")) from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise FileProblem(
            _("The XLSX file is damaged or truncated (%(error)s).") % {"error": type(exc).__name__}
        ) from None
    return header, _xlsx_rows(iterator, header, max_rows)


def _check_claimed_size(sheet, max_rows: int, max_columns: int) -> None:
    """The sheet's own claim (<dimension ref="A1:XFD1048576"/>): read-only openpyxl pads
    every row to it, so a 2 KB file with one far cell would build 17 billion cells."""
    claimed_rows, claimed_columns = sheet.max_row or 0, sheet.max_column or 0
    if claimed_columns > max_columns:
        raise FileProblem(
            _("The sheet claims %(count)s columns (%(range)s); at most %(limit)s are accepted.")
            % {"count": claimed_columns, "range": sheet.calculate_dimension(), "limit": max_columns}
        )
    if claimed_rows > max_rows + 1:
        raise FileProblem(
            _("The sheet claims %(count)s rows (%(range)s); at most %(limit)s are accepted.")
            % {"count": claimed_rows, "range": sheet.calculate_dimension(), "limit": max_rows}
        )


def _xlsx_header(sheet, max_columns: int) -> list[str]:
    """The first row's column names, empty trailing cells dropped (StopIteration: no rows)."""
    first = next(sheet.iter_rows(max_row=1, max_col=max_columns + 1, values_only=True))
    header = [str(h).strip() if h is not None else "" for h in first]
    while header and not header[-1]:
        header.pop()
    if len(header) > max_columns:
        raise _too_many_columns(f"> {max_columns}")
    if not header:
        raise FileProblem(_("The first line must name the columns."))
    return header


def _xlsx_cell(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(iterator, header: list[str], max_rows: int):
    # openpyxl yields an empty row for each row number the sheet skips: skipped cheaply,
    # and a row number beyond the limit (r="99999999") ends the import.
    for number, values in enumerate(iterator, start=2):
        if number > max_rows + 1:
            raise _too_many_rows(number)
        if all(v is None for v in values):
            continue
        values = [_xlsx_cell(v) for v in values]
        if any(v.strip() for v in values):
            yield number, dict(zip(header, values + [""] * (len(header) - len(values))))


def _json(path: Path, encoding: str, fmt: str):
    """The columns and rows of a JSON or GeoJSON file, read as a stream (``json_stream``):
    once for its shape and columns, then a record at a time as the rows are asked for."""
    limit = _limit("REGISTRY_IMPORT_MAX_JSON_RECORD")

    def open_text():
        return open(path, encoding=encoding, newline="")  # as decoded whole: line ends kept

    try:
        shape = json_stream.shape_of(open_text, limit, _limit("REGISTRY_IMPORT_MAX_COLUMNS"))
    except (json_stream.Malformed, json_stream.TooLarge) as exc:
        raise _json_problem(exc, limit) from None
    which = _records_array(shape, fmt)
    found = shape.arrays.get(which)
    if found is None or not found.count:
        raise FileProblem(_("The file holds no records."))
    if found.wide:
        raise _too_many_columns(found.wide)
    if found.count > _limit("REGISTRY_IMPORT_MAX_ROWS"):
        raise _too_many_rows(_limit("REGISTRY_IMPORT_MAX_ROWS") + 1)

    def rows():
        try:
            yield from json_stream.records(open_text, limit, which)
        except (json_stream.Malformed, json_stream.TooLarge) as exc:
            raise _json_problem(exc, limit) from None

    return sorted(found.columns), rows()


def _records_array(shape: json_stream.Shape, fmt: str):
    """Which array holds the records: a FeatureCollection's features (a GeoJSON file, or a
    JSON one that says it is one), else the top-level array, or "places" (else "listings")."""
    if fmt == "geojson" or (shape.top == "object" and shape.type == "FeatureCollection"):
        if shape.top != "object" or not shape.is_array.get("features"):
            raise FileProblem(_("A GeoJSON file must be a FeatureCollection with a features list."))
        return "features", shape.last["features"]
    if shape.top == "array":
        return None
    key = "places" if "places" in shape.last else "listings"
    if not shape.is_array.get(key):
        raise FileProblem(_('A JSON file must be a list of records, or {"places": [...]} (or {"listings": [...]}).'))
    return key, shape.last[key]


def _json_problem(exc: Exception, limit: int) -> FileProblem:
    if isinstance(exc, json_stream.TooLarge):
        return FileProblem(
            _(
                "The JSON value that starts at line %(line)s is larger than %(limit)s MB; a record must be "
                "smaller: check that its strings are closed, or split it."
            )
            % {"line": exc.line, "limit": max(1, round(limit / _MB))}
        )
    return FileProblem(
        _("Not valid JSON at line %(line)s, column %(column)s: %(error)s.")
        % {"line": exc.line, "column": exc.column, "error": exc.message}
    )
