"""The admin's import form and export downloads, and the read-only list of import records.

Both run the same code as the commands (``importers.records.run_import``, the
exporters), so a file imported through the form is checked, written, refused as a
repeat and recorded exactly as ``manage.py import_places`` would. ``PlaceAdmin`` routes
its ``import/`` and ``export/<fmt>/`` URLs here.

Who may do what: importing places needs ``add_place`` (heritage listings:
``add_heritagelisting``); exporting needs ``registry.export_registry`` (reviewers and
approvers, migration 0013) plus the right to read what is exported (``view_place``,
``view_heritagelisting``), because a full export takes the whole registry away.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.admin.guards import NoDeleteAdminMixin, ReadOnlyMixin
from registry.importers.columns import HERITAGE_HEADERS, PLACE_HEADERS
from registry.importers.export import export_heritage, export_places
from registry.importers.records import Upload, run_import
from registry.models import ImportKind, ImportRecord
from registry.validation.findings import ERROR, rule_label, severity_label

EXPORT_FORMATS = ("csv", "xlsx", "json", "geojson")
SHOWN = 1000  # problems or flagged rows listed on the page; the command's --report has them all


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("records"), choices=ImportKind.choices, initial=ImportKind.PLACES, required=False
    )
    file = forms.FileField(
        label=gettext_lazy("file"),
        help_text=gettext_lazy(
            "CSV (UTF-8 or GBK), XLSX, JSON or GeoJSON, with a header row: the column codes (code, name, category …) "
            "or the Chinese headers of the Chinese export (编码, 名称, 类别 …)."
        ),
    )
    dry_run = forms.BooleanField(label=gettext_lazy("check only (dry run)"), required=False, initial=True)
    update = forms.BooleanField(
        label=gettext_lazy("update places whose code exists (listings: the place's listing in that scheme)"),
        required=False,
    )
    legacy = forms.BooleanField(
        label=gettext_lazy("record legacy names (names that already exist on the ground)"),
        required=False,
        help_text=gettext_lazy(
            "Without it, a name that breaks the naming rules (an error in the name check: duplicate, foreign word …) "
            "stops the import, and the rows are listed one by one; nothing is written. Tick it only for names "
            "already in use on the ground (census or legacy data): they are then recorded as they are, with their "
            "findings shown in the name check column. New names go through naming proposals."
        ),
    )
    ignore_unknown = forms.BooleanField(label=gettext_lazy("skip unknown columns"), required=False)


def forbidden(request, model_admin, message: str) -> TemplateResponse:
    """A 403 page in the admin's frame that says why (Django's bare 403 says nothing)."""
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Not allowed"),
        "message": message,
    }
    return TemplateResponse(request, "admin/registry/place/forbidden.html", context, status=403)


def import_view(model_admin, request):
    """The importer behind a form: the same checks, refusals, writes and records as the command."""
    kind = request.POST.get("kind") or ImportKind.PLACES
    needed = "registry.add_heritagelisting" if kind == ImportKind.HERITAGE else "registry.add_place"
    if not request.user.has_perm(needed):
        return forbidden(
            request,
            model_admin,
            _("You may not import these records: importing needs the right to add them (clerks have it)."),
        )
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "form": form,
        "title": _("Import places"),
        "result": None,
    }
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        kind = data["kind"] or ImportKind.PLACES
        suffix = Path(upload.name).suffix.lower()[:10]
        with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
            handle.flush()
            result = run_import(
                Upload(Path(handle.name), upload.name, "admin"),
                kind=kind,
                dry_run=data["dry_run"],
                update=data["update"],
                ignore_unknown=data["ignore_unknown"],
                legacy=data["legacy"],
                acting_user=request.user,
            )
        if result.ok and result.written:
            model_admin.message_user(
                request,
                _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
                % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
                level=messages.SUCCESS,
            )
        context.update(result=result, **_result_context(result, kind))
    return TemplateResponse(request, "admin/registry/place/import.html", context)


def _result_context(result, kind: str) -> dict:
    """What the result page shows: counts per rule (Chinese labels), problems and flagged rows by line."""
    headers = HERITAGE_HEADERS if kind == ImportKind.HERITAGE else PLACE_HEADERS
    findings = sorted(
        (
            {
                "code": rule,
                "label": rule_label(rule),
                "severity": severity_label(severity),
                "is_error": severity == ERROR,
                "count": count,
            }
            for (rule, severity), count in result.findings.items()
        ),
        key=lambda f: (not f["is_error"], -f["count"], f["code"]),
    )
    problems = [
        {"line": p.line, "column": p.column, "column_label": _column_label(p.column, headers), "message": p.message}
        for p in result.problems[:SHOWN]
    ]
    flagged = [
        {
            "line": row.line,
            "name": row.name,
            "findings": [
                {"code": rule, "label": rule_label(rule), "message": message}
                for rule, _severity, message in row.findings
            ],
        }
        for row in result.flagged[:SHOWN]
    ]
    return {
        "findings": findings,
        "problems": problems,
        "problems_hidden": max(0, len(result.problems) - SHOWN),
        "flagged": flagged,
        "flagged_hidden": max(0, len(result.flagged) - SHOWN),
        "notices": result.notices,
        "failed_rows": result.failed,
    }


def _column_label(column: str, headers: dict) -> str:
    """A column code as its Chinese header ("division" → 行政区划代码); lists of codes too."""
    if not column:
        return ""
    return "、".join(headers.get(c.strip(), c.strip()) for c in column.split(","))


def export_view(model_admin, request, fmt: str):
    """Download the registry (or its heritage listings) as a file, for those allowed to take it."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    heritage = request.GET.get("kind") == "heritage"
    chinese = request.GET.get("labels") == "zh"
    if heritage and fmt == "geojson":
        raise Http404
    user = request.user
    allowed = user.has_perm("registry.export_registry") and user.has_perm(
        "registry.view_heritagelisting" if heritage else "registry.view_place"
    )
    if not allowed:
        return forbidden(
            request,
            model_admin,
            _(
                "You may not export the registry: a full export is a copy of every record, so it needs the export "
                "permission (“Can export the whole registry”), which reviewers and approvers have. Ask the registry's "
                "administrator if your work needs it."
            ),
        )
    if chinese:
        filename = f"{'地名文化遗产' if heritage else '地名'}.{fmt}"
    else:
        filename = f"{'heritage' if heritage else 'places'}.{fmt}"
    exporter = export_heritage if heritage else export_places
    return download(lambda path: exporter(path, fmt, chinese=chinese and fmt in ("csv", "xlsx")), fmt, filename)


def download(write, fmt: str, filename: str) -> FileResponse:
    """A file written by ``write(path)`` as a download. The exporters replace their target by
    renaming (so a failed export never truncates a file), hence a path, not an open handle."""
    descriptor, name = tempfile.mkstemp(suffix=f".{fmt}")
    os.close(descriptor)
    try:
        write(name)
        handle = open(name, "rb")  # noqa: SIM115 - FileResponse closes it when the download ends
    finally:
        os.unlink(name)  # the open handle keeps the file readable until then
    return FileResponse(handle, as_attachment=True, filename=filename)


@admin.register(ImportRecord)
class ImportRecordAdmin(ReadOnlyMixin, NoDeleteAdminMixin, admin.ModelAdmin):
    """Every completed import, read-only: which file (SHA-256), who, when, what it did."""

    list_display = (
        "imported_at",
        "file_name",
        "kind",
        "imported_by_name",
        "via",
        "rows",
        "created",
        "updated",
        "unchanged",
        "update",
        "legacy",
        "short_digest",
    )
    list_filter = ("kind", "via", "legacy", "update")
    search_fields = ("file_name", "sha256", "imported_by_name")
    date_hierarchy = "imported_at"
    fields = (
        "imported_at",
        "file_name",
        "kind",
        "format",
        "size",
        "imported_by_name",
        "via",
        "update",
        "legacy",
        "repeat_allowed",
        "rows",
        "created",
        "updated",
        "unchanged",
        "findings_display",
        "sha256",
    )
    readonly_fields = fields

    @admin.display(description=gettext_lazy("SHA-256"))
    def short_digest(self, obj) -> str:
        return obj.sha256[:12]

    @admin.display(description=gettext_lazy("name check (counts per rule)"))
    def findings_display(self, obj) -> str:
        counts = []
        for key, count in (obj.findings or {}).items():
            rule, _sep, severity = key.partition(":")
            counts.append(f"{rule_label(rule)}（{severity_label(severity)}）：{count}")
        return "；".join(counts) or "-"
