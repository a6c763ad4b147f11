"""Importing a file once: its SHA-256 looked up, the import run, the import recorded.

``run_import`` is what the admin form and ``manage.py import_places`` call. A file
whose content was imported before (same digest, same kind of records) is refused
before anything is read, with a message saying when and by whom, unless the import
is a dry run (it then only says so), an ``update`` (an upsert changes nothing the
second time) or explicitly allowed (``allow_repeat``, the command's ``--allow-repeat``,
for a registry deliberately rebuilt from the same file).

The record is written inside the import's own transaction (``before_commit``), after
the registry's write lock is taken, and the look-up is repeated there: an import that
is rolled back leaves no record, and two uploads of one file at the same moment cannot
both pass.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from registry import freshness
from registry.importers.heritage import import_heritage
from registry.importers.places import import_places
from registry.importers.results import ImportResult, Problem
from registry.models import ImportKind, ImportRecord


class RepeatedImport(Exception):
    """The same file was imported (committed) while this import ran."""

    def __init__(self, record: ImportRecord):
        super().__init__(record.pk)
        self.record = record


@dataclass(frozen=True)
class Upload:
    """The file to import and what the records should say about it."""

    path: Path
    file_name: str  # as the user knows it (an upload's name, not its temporary path)
    via: str  # "admin" or "command"
    operator: str = ""  # who ran it when there is no user account (the command: the system login)


def file_digest(path: Path | str) -> tuple[str, int]:
    """(SHA-256 in hex, size in bytes) of the file, read a megabyte at a time."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def previous_import(sha256: str, kind: str) -> ImportRecord | None:
    return ImportRecord.objects.filter(sha256=sha256, kind=kind).select_related("imported_by").first()


def repeat_message(record: ImportRecord) -> str:
    """Why a repeat is refused, naming the earlier import (when, by whom, what it did)."""
    return _(
        "This file (the same content) was already imported on %(when)s by %(who)s as “%(file)s” "
        "(import record %(id)s: %(created)s created, %(updated)s updated). Importing it again would record "
        "its places a second time. To bring changes to places that exist, import with “update places whose "
        "code exists”; to import it again on purpose, use manage.py import_places --allow-repeat."
    ) % {
        "when": timezone.localtime(record.imported_at).strftime("%Y-%m-%d %H:%M"),
        "who": record.who,
        "file": record.file_name,
        "id": record.pk,
        "created": record.created,
        "updated": record.updated,
    }


def run_import(
    upload: Upload,
    *,
    kind: str = ImportKind.PLACES,
    fmt: str = "auto",
    encoding: str = "auto",
    dry_run: bool = False,
    update: bool = False,
    ignore_unknown: bool = False,
    strict: bool = False,
    legacy: bool = False,
    allow_repeat: bool = False,
    acting_user=None,
    progress: Callable[..., None] | None = None,
    crs: str = "wgs84",
) -> ImportResult:
    """Import ``upload`` once (see the module's docstring); the result says what happened."""
    sha256, size = file_digest(upload.path)
    checked = not (update or allow_repeat)
    earlier = previous_import(sha256, kind) if checked else None
    if earlier is not None and not dry_run:
        return _refused(earlier)

    record = partial(
        _record_import,
        upload=upload,
        sha256=sha256,
        size=size,
        kind=kind,
        checked=checked,
        acting_user=acting_user,
        update=update,
        legacy=legacy,
        allow_repeat=allow_repeat,
    )
    common = {
        "fmt": fmt,
        "encoding": encoding,
        "dry_run": dry_run,
        "update": update,
        "ignore_unknown": ignore_unknown,
        "acting_user": acting_user,
        "progress": progress,
        "before_commit": record,
    }
    try:
        result = _import(upload, kind, common, strict=strict, legacy=legacy, crs=crs)
    except RepeatedImport as exc:
        return _refused(exc.record)
    if earlier is not None:  # a dry run of a file imported before: checked, but a real import would be refused
        result.notices.append(repeat_message(earlier))
    return result


def _import(upload: Upload, kind: str, common: dict, *, strict: bool, legacy: bool, crs: str) -> ImportResult:
    if kind == ImportKind.HERITAGE:
        return import_heritage(upload.path, **common)
    return import_places(
        upload.path,
        strict=strict,
        legacy=legacy,
        crs=crs,
        holder=_who(common["acting_user"]) or upload.operator,
        process_owned=upload.via != "admin",  # a web worker serves others too
        **common,
    )


def _refused(earlier) -> ImportResult:
    """The answer to a file imported before: nothing read, the earlier import named."""
    result = ImportResult()
    result.problems.append(Problem(0, "", repeat_message(earlier)))
    return result


def _record_import(
    result: ImportResult,
    *,
    upload: Upload,
    sha256: str,
    size: int,
    kind: str,
    checked: bool,
    acting_user,
    update: bool,
    legacy: bool,
    allow_repeat: bool,
) -> None:
    """The import's record, written just before its rows commit (the importers' ``before_commit``)."""
    freshness.lock(freshness.IMPORTS)  # held until commit: one import of a file at a time decides
    if checked:
        found = previous_import(sha256, kind)
        if found is not None:
            raise RepeatedImport(found)
    ImportRecord.objects.create(
        sha256=sha256,
        file_name=upload.file_name[:255],
        kind=kind,
        format=result.format,
        size=size,
        imported_by=acting_user if getattr(acting_user, "pk", None) else None,
        imported_by_name=_who(acting_user) or upload.operator[:150],
        via=upload.via,
        update=update,
        legacy=legacy,
        repeat_allowed=allow_repeat,
        rows=result.rows,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        findings={f"{rule}:{severity}": count for (rule, severity), count in sorted(result.findings.items())},
    )


def _who(user) -> str:
    if user is None or not getattr(user, "pk", None):
        return ""
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return (f"{full}（{user.get_username()}）" if full else user.get_username())[:150]
