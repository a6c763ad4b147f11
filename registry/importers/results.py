"""What an import reports: its problems (each with its line, column and message), capped
and counted, and its result (the counts, the name check's findings, the flagged rows).

The places and the listings importers, the import record and the command and admin page
that show a result all use these types; they live here, once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass
class Problem:
    line: int
    column: str
    message: str


class FlaggedRow(NamedTuple):
    """A row whose name has error findings: ``findings`` are (rule, severity, message) triples."""

    line: int
    name: str
    findings: tuple[tuple[str, str, str], ...]


class _More(Problem):
    """The last line of a capped list: “and N more problems”, worded when it is shown (in
    the language of the page or of ``--language``), counting what the list did not keep."""

    def __init__(self, owner: ProblemList):
        self.line, self.column, self._owner = 0, "", owner

    @property
    def message(self) -> str:
        count = self._owner.omitted
        return ngettext(
            "and %(count)s more problem (not listed)", "and %(count)s more problems (not listed)", count
        ) % {"count": count}


class ProblemList(list):
    """The problems of an import, kept up to ``REGISTRY_IMPORT_MAX_PROBLEMS`` and counted
    beyond: a file of a million bad rows must not build a million messages (nor a report
    of hundreds of megabytes). The rest are counted without being stored; one last entry
    says how many. ``total`` counts them all, ``lines`` the distinct lines concerned."""

    def __init__(self, problems=()):
        super().__init__()
        self.cap = int(getattr(settings, "REGISTRY_IMPORT_MAX_PROBLEMS", 200))
        self.omitted = 0
        self._lines = bytearray()  # one byte per line number: cheap for millions of lines, unlike a set
        self._distinct = 0
        self.extend(problems)

    def append(self, problem: Problem) -> None:
        line = max(int(problem.line or 0), 0)
        if line >= len(self._lines):
            self._lines.extend(bytes(line + 1 - len(self._lines) + 1024))
        if not self._lines[line]:
            self._lines[line] = 1
            self._distinct += 1
        if len(self) < self.cap:
            super().append(problem)
            return
        if not self.omitted:
            super().append(_More(self))
        self.omitted += 1

    def extend(self, problems) -> None:
        for problem in problems:
            self.append(problem)

    def __iadd__(self, problems):
        self.extend(problems)
        return self

    @property
    def total(self) -> int:
        return len(self) - (1 if self.omitted else 0) + self.omitted

    @property
    def lines(self) -> int:
        return self._distinct


@dataclass
class ImportResult:
    format: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    problems: ProblemList = field(default_factory=ProblemList)
    findings: Counter = field(default_factory=Counter)  # (rule, severity) → rows
    flagged: list[FlaggedRow] = field(default_factory=list)  # rows whose name has error findings
    notices: list[str] = field(default_factory=list)  # what the user should know besides the problems
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def header_problems(columns: list[str], known, required, fmt: str, ignore_unknown: bool) -> list[Problem]:
    """Unknown columns (unless ignored) and missing required ones (a table's header must name them)."""
    problems = []
    columns = [c for c in columns if c]
    unknown = [c for c in columns if c not in known]
    if unknown and not ignore_unknown:
        problems.append(
            Problem(
                1,
                ", ".join(unknown),
                _("Unknown columns: %(columns)s (use --ignore-unknown to skip them).")
                % {"columns": ", ".join(unknown)},
            )
        )
    missing = [c for c in required if c not in columns]
    if missing and fmt in ("csv", "xlsx"):
        problems.append(
            Problem(
                1, ", ".join(missing), _("Missing required columns: %(columns)s.") % {"columns": ", ".join(missing)}
            )
        )
    return problems
