"""Admin for the name bank (地名储备库): the naming office's prepared names, in Chinese.

The list filters by status, category, theme or series and division; the action 重新审查
judges the selected entries again (``services.name_bank.bank_recheck``). The form saves
through ``bank_entry_save``: the name check runs while the form is cleaned (in a
transaction rolled back), so a refusal shows on the form's own fields and nothing is
written; an error is accepted only with a reason in 保留理由. Used entries are read only.
The import page (导入) runs ``importers.name_bank`` as ``manage.py import_name_bank`` does.
"""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.admin.guards import HistoryAdmin, NoDeleteAdminMixin
from registry.admin.service_saves import add_service_error, tried
from registry.admin.transfer import forbidden
from registry.importers.name_bank import import_name_bank
from registry.models import NameBankEntry
from registry.models.name_bank import BankStatus
from registry.services.name_bank import bank_entry_save, bank_recheck
from registry.validation.findings import rule_label, severity_label

EDITABLE = (
    "name",
    "pinyin",
    "category",
    "series",
    "division",
    "reserved_for",
    "expires_on",
    "source",
    "note",
    "override_reason",
)
SHOWN = ("status", "findings_column", "checked_at", "used_for", "used_at")


class NameBankEntryForm(forms.ModelForm):
    """The entry's fields; the service's name check runs as the form is cleaned."""

    class Meta:
        model = NameBankEntry
        fields = EDITABLE

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        trial = copy.copy(self.instance)
        try:
            tried(lambda: bank_entry_save(entry=trial, override_reason=self.cleaned_data.get("override_reason", "")))
        except ValidationError as error:
            add_service_error(self, error)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("file"),
        help_text=gettext_lazy(
            "CSV (UTF-8 or GBK) or XLSX with a header row: 名称, 类别, 来源 (required), 拼音, 主题或系列, 拟用区划代码, "
            "预留给, 有效期至, 备注, 保留理由."
        ),
    )
    dry_run = forms.BooleanField(label=gettext_lazy("check only (dry run)"), required=False, initial=True)


@admin.register(NameBankEntry)
class NameBankEntryAdmin(NoDeleteAdminMixin, HistoryAdmin):
    form = NameBankEntryForm
    list_display = (
        "name",
        "pinyin",
        "category",
        "series",
        "division",
        "status",
        "reserved_for",
        "expires_on",
        "findings_column",
        "checked_at",
    )
    list_filter = ("status", "category", "series", ("division", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "pinyin", "series", "reserved_for", "source")
    readonly_fields = SHOWN
    actions = ["recheck_selected"]
    list_per_page = 100
    change_list_template = "admin/registry/namebankentry/change_list.html"

    def get_fields(self, request, obj=None):
        return [*EDITABLE, *SHOWN] if obj is not None else list(EDITABLE)

    def has_change_permission(self, request, obj=None) -> bool:
        # A used entry is kept as it was taken: shown, never changed.
        return super().has_change_permission(request, obj) and not (obj is not None and obj.status == BankStatus.USED)

    @admin.display(description=gettext_lazy("findings at last check"), ordering="finding_level")
    def findings_column(self, obj):
        if not obj.findings:
            return "—"
        return format_html_join(
            "",
            '<div title="{}">{}（{}）：{}</div>',
            ((f["rule"], rule_label(f["rule"]), severity_label(f["severity"]), f["message"]) for f in obj.findings),
        )

    def save_model(self, request, obj, form, change):
        saved = bank_entry_save(
            entry=obj, acting_user=request.user, override_reason=form.cleaned_data.get("override_reason", "")
        )
        obj.pk = saved.pk

    @admin.action(description=gettext_lazy("Check the selected names again"), permissions=["change"])
    def recheck_selected(self, request, queryset):
        report = bank_recheck(acting_user=request.user, entries=queryset)
        self.message_user(
            request,
            _("%(checked)s checked, %(flagged)s flagged, %(cleared)s cleared.")
            % {"checked": report.checked, "flagged": len(report.flagged), "cleared": len(report.cleared)},
            level=messages.SUCCESS,
        )

    def get_urls(self):
        extra = [path("import/", self.admin_site.admin_view(self.import_view), name="registry_namebankentry_import")]
        return extra + super().get_urls()

    def import_view(self, request):
        """The bank import behind a form: the same checks and all-or-nothing write as the command."""
        if not self.has_add_permission(request):
            return forbidden(
                request, self, _("You may not import name-bank entries: importing needs the right to add them.")
            )
        form = ImportForm(request.POST or None, request.FILES or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": _("Import the name bank"),
            "result": None,
        }
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix.lower()[:10]) as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
                handle.flush()
                result = import_name_bank(
                    Path(handle.name), dry_run=form.cleaned_data["dry_run"], acting_user=request.user
                )
            if result.ok and not result.dry_run:
                self.message_user(
                    request,
                    _("Imported: %(created)s names entered in the bank.") % {"created": result.created},
                    level=messages.SUCCESS,
                )
            context["result"] = result
        return TemplateResponse(request, "admin/registry/namebankentry/import.html", context)
