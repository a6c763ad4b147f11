"""Import the name bank from a spreadsheet (CSV in UTF-8 or GBK, XLSX): all or nothing.

The naming office keeps its prepared names in a spreadsheet: one row per name, with the
column codes (``name``, ``category``, ``source`` …) or the Chinese headers (名称, 类别,
来源 …). Every row goes through ``services.name_bank.bank_entry_save``, so it is checked
as a name typed into the admin is (a name with an error needs its reason in 保留理由,
one name per scope); a problem anywhere is reported by line and column, in the active
language, and nothing is written. ``dry_run`` checks the file and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from registry.choices import Category
from registry.importers.readers import FileProblem, read_rows
from registry.models import NameBankEntry
from registry.services.name_bank import bank_entry_save

#: Column code → the headers accepted for it (the code itself, the Chinese header, other usual headers).
HEADERS = {
    "name": ("name", "名称", "地名", "标准名称"),
    "pinyin": ("pinyin", "拼音", "汉语拼音"),
    "category": ("category", "类别", "地名类别"),
    "series": ("series", "主题或系列", "系列", "主题"),
    "division": ("division", "拟用区划代码", "行政区划代码", "区划代码"),
    "reserved_for": ("reserved_for", "预留给", "预留项目"),
    "expires_on": ("expires_on", "有效期至", "到期日期"),
    "source": ("source", "来源", "名称来源"),
    "note": ("note", "备注"),
    "override_reason": ("override_reason", "保留理由"),
}
REQUIRED = ("name", "category", "source")
ENTRY_FIELDS = ("name", "pinyin", "category", "series", "reserved_for", "source", "note")
IMPORT_REASON = "name bank: import"


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("line %(line)s") % {"line": self.line} if self.line else _("file")
        return f"{where}{f'（{self.column}）' if self.column else ''}：{self.message}"


@dataclass
class BankImport:
    rows: int = 0
    created: int = 0
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _columns(header: list[str]) -> tuple[dict[str, str], list[Problem]]:
    """Header → column code; unknown headers and missing required columns are problems of the file."""
    known = {alias: code for code, aliases in HEADERS.items() for alias in aliases}
    mapping, problems = {}, []
    for title in header:
        code = known.get(title.strip()) or known.get(title.strip().lower())
        if code is None:
            problems.append(
                Problem(
                    1,
                    title,
                    _("Unknown column; the columns are %(columns)s.")
                    % {"columns": "、".join(a[1] for a in HEADERS.values())},
                )
            )
        else:
            mapping[title] = code
    for code in REQUIRED:
        if code not in mapping.values():
            problems.append(Problem(1, HEADERS[code][1], _("This column is required.")))
    return mapping, problems


def _categories() -> dict[str, str]:
    """Category codes and their labels in Chinese and English → code."""
    names = {code: code for code in Category.values}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            names.update({str(label): code for code, label in Category.choices})
    return names


def _entry(values: dict[str, str], categories: dict[str, str]) -> NameBankEntry:
    entry = NameBankEntry(**{f: values.get(f, "").strip() for f in ENTRY_FIELDS})
    category = entry.category
    entry.category = categories.get(category, category)
    if category and entry.category not in Category.values:
        raise ValidationError(
            {
                "category": _("Unknown category “%(category)s” (use one of %(choices)s).")
                % {"category": category[:30], "choices": "、".join(sorted(set(categories)))}
            }
        )
    entry.division_id = values.get("division", "").strip() or None
    expires = values.get("expires_on", "").strip()
    if expires:
        try:
            entry.expires_on = dt.date.fromisoformat(expires.replace("/", "-")[:10])
        except ValueError:
            raise ValidationError(
                {"expires_on": _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": expires[:20]}}
            ) from None
    return entry


def _row_problems(line: int, error: ValidationError, titles: dict[str, str]) -> list[Problem]:
    if not hasattr(error, "error_dict"):
        return [Problem(line, "", message) for message in error.messages]
    return [
        Problem(line, titles.get(column, "" if column == "__all__" else column), message)
        for column, messages in error.message_dict.items()
        for message in messages
    ]


def import_name_bank(path: Path, *, dry_run: bool = False, encoding: str = "auto", acting_user=None) -> BankImport:
    """Read the file at ``path`` and enter every row in the bank, or none (problems by line)."""
    result = BankImport(dry_run=dry_run)
    try:
        _fmt, header, rows = read_rows(Path(path), encoding=encoding)
    except FileProblem as problem:
        result.problems.append(Problem(0, "", str(problem)))
        return result
    mapping, result.problems = _columns(header)
    if result.problems:
        return result
    titles = {code: title for title, code in mapping.items()}
    categories = _categories()
    with transaction.atomic():
        try:
            for line, raw in rows:
                result.rows += 1
                values = {mapping[t]: (v or "") for t, v in raw.items() if t in mapping}
                try:
                    bank_entry_save(
                        entry=_entry(values, categories),
                        acting_user=acting_user,
                        reason=IMPORT_REASON,
                        override_reason=values.get("override_reason", ""),
                    )
                except ValidationError as error:
                    result.problems.extend(_row_problems(line, error, titles))
                    continue
                result.created += 1
        except FileProblem as problem:  # found while reading on: a malformed line, too many rows
            result.problems.append(Problem(0, "", str(problem)))
        if result.problems or dry_run:
            transaction.set_rollback(True)
    if result.problems:
        result.created = 0
    return result
