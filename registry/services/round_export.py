"""A round's announcement (公告) as the bureau publishes it: printable HTML, CSV and XLSX.

All three carry the official heading (number, title, issuing authority, date, the
approving authority and document number) and one table row per approved item:
number, standard name, 原名 for a rename, pinyin, category, division and location.
Cells are formula-safe (``importers.export.safe_cell`` and its XLSX counterpart), since
names and locations come from outside.
"""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import override

from registry.importers.export import _xlsx_cell, safe_cell
from registry.models import Round
from registry.services.round_apply import ANNOUNCEMENT_COLUMNS, announcement_rows


def _headers() -> list[str]:
    return [_("No."), _("standard name"), _("former name"), _("pinyin"), _("category"), _("division"), _("location")]


def _heading(round_: Round) -> list[list[str]]:
    a = round_.announcement
    return [
        [_("announcement number"), a.number],
        [_("title"), a.title],
        [_("issued by"), a.issuing_authority],
        [_("issued on"), a.issued_on.isoformat()],
        [_("approving authority"), a.authority],
        [_("document number"), a.document_number],
        [],
    ]


def announcement_csv(round_: Round) -> bytes:
    """UTF-8 with BOM (Excel opens it as such), the heading lines, then the table."""
    with override(settings.LANGUAGE_CODE):
        out = io.StringIO()
        writer = csv.writer(out)
        for line in _heading(round_):
            writer.writerow([safe_cell(cell) for cell in line])
        writer.writerow(_headers())
        for row in announcement_rows(round_):
            writer.writerow([safe_cell(row[c]) for c in ANNOUNCEMENT_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def announcement_xlsx(round_: Round) -> bytes:
    from openpyxl import Workbook

    with override(settings.LANGUAGE_CODE):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("announcement"))
        for line in _heading(round_):
            sheet.append([_xlsx_cell(sheet, "", cell) for cell in line])
        sheet.append(_headers())
        for row in announcement_rows(round_):
            sheet.append([_xlsx_cell(sheet, c, row[c]) for c in ANNOUNCEMENT_COLUMNS])
        out = io.BytesIO()
        workbook.save(out)
    return out.getvalue()


def announcement_html(round_: Round) -> str:
    rows = announcement_rows(round_)
    return render_to_string(
        "registry/round_announcement.html",
        {
            "a": round_.announcement,
            "round": round_,
            "rows": rows,
            "lang": settings.LANGUAGE_CODE,
            "renames": any(row["action"] == "rename" for row in rows),
        },
    )
