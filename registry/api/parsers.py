"""Request body parsers: DRF's, hardened so that hostile bodies are a 400 or 413, never a 500.

- JSON nested deeper than ``MAX_DEPTH`` is refused before it is decoded: Python's json
  module raises RecursionError on very deep input (``[[[[…]]]]``), and data nested far
  deeper than any request field needs is never a real request.
- A body read in chunks (no Content-Length) is counted against
  ``DATA_UPLOAD_MAX_MEMORY_SIZE`` like one that declares its length.
"""

from __future__ import annotations

import codecs
import json
import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import APIException, ParseError

MAX_DEPTH = 32


class RequestTooLarge(APIException):
    status_code = 413
    default_code = "request_too_large"

    def __init__(self, limit: int):
        super().__init__(_("The request body is too large (at most %(limit)s bytes).") % {"limit": limit})


def read_limited(stream) -> bytes:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if stream is None:
        return b""
    data = stream.read() if limit is None else stream.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise RequestTooLarge(limit)
    return data


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")


def nesting_depth(text: str) -> int:
    """The deepest nesting of [ and { outside strings (a linear scan; no recursion)."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub("", text)):
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


class SafeJSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        raw = read_limited(stream)
        try:
            text = codecs.decode(raw, encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(_("JSON parse error: %(error)s") % {"error": exc}) from None
        if ("[" in text or "{" in text) and nesting_depth(text) > MAX_DEPTH:
            raise ParseError(_("JSON parse error: nested deeper than %(depth)s levels.") % {"depth": MAX_DEPTH})
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as exc:
            raise ParseError(_("JSON parse error: %(error)s") % {"error": exc}) from None


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


class SafeFormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        from io import BytesIO

        return super().parse(BytesIO(read_limited(stream)), media_type, parser_context)


_BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.I)


class SafeMultiPartParser(parsers.MultiPartParser):
    """Multipart bodies limited like the others (the API takes no files), and a body that is not
    multipart at all (no part, only garbage between boundaries) is a 400, not an empty form: a
    workflow step would otherwise take ``[[]]`` for "no fields" and act on it."""

    def parse(self, stream, media_type=None, parser_context=None):
        from io import BytesIO

        raw = read_limited(stream)
        request = (parser_context or {}).get("request")
        if request is not None:
            request.META["CONTENT_LENGTH"] = str(len(raw))
        result = super().parse(BytesIO(raw), media_type, parser_context)
        if not result.data and not result.files and raw.strip():
            match = _BOUNDARY.search(media_type or "")
            closing = b"--" + match.group(1).encode("latin-1", "replace") + b"--" if match else None
            if raw.strip() != closing:
                raise ParseError(_("Multipart form parse error: the body holds no form field."))
        return result
