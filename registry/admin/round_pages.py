"""The naming round's own admin pages: a step (with the decision summary), the import, the
announcement. Every write goes through ``services.rounds`` / ``importers.rounds``."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.admin.proposal_pages import labelled
from registry.admin.step_forms import step_form
from registry.exceptions import RegistryError
from registry.importers.readers import FileProblem
from registry.importers.rounds import RoundFileProblems, round_import
from registry.models import Objection, Round
from registry.models.rounds import ItemOutcome
from registry.services import round_export
from registry.services.rounds import round_transition
from registry.workflow import ROUND_STEPS

ROUND_FORMS = {name: step_form(step) for name, step in ROUND_STEPS.items()}


def _change_url(round_id: int) -> str:
    return reverse("admin:registry_round_change", args=[round_id])


def decision_summary(round_: Round) -> dict:
    """What the decision weighs: items by outcome, items with errors and their overrides,
    objections and their responses."""
    by_outcome = dict(round_.items.values_list("outcome").annotate(n=Count("pk")).order_by())
    errors = [
        {"item": item, "findings": labelled(item.findings)}
        for item in round_.items.filter(check_level="error", outcome=ItemOutcome.PENDING)
    ]
    return {
        "by_outcome": [(label, by_outcome.get(value, 0)) for value, label in ItemOutcome.choices],
        "error_items": errors,
        "objections": Objection.objects.filter(item__round=round_).select_related("item", "responded_by"),
    }


def _with_overrides(form_class, round_: Round):
    """The approval's form with one override reason per pending item whose check has errors."""
    fields = {
        f"override_{item.position}": forms.CharField(
            label=_("override reason, item %(number)s (%(name)s)") % {"number": item.position, "name": item.name},
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            initial=item.override_reason,
        )
        for item in round_.items.filter(check_level="error", outcome=ItemOutcome.PENDING)
    }
    return type(form_class.__name__, (form_class,), fields)


def _step_data(name: str, cleaned: dict) -> dict:
    data = {k: v for k, v in cleaned.items() if v not in (None, "") and not k.startswith("override_")}
    if name == "approve":
        data["overrides"] = {
            k.removeprefix("override_"): v for k, v in cleaned.items() if k.startswith("override_") and v
        }
    return data


def step_view(model_admin, request, object_id, name):
    round_ = get_object_or_404(Round, pk=object_id)
    step = ROUND_STEPS.get(name)
    if step is None:
        messages.error(request, _("Unknown step."))
        return HttpResponseRedirect(_change_url(round_.pk))
    form_class = _with_overrides(ROUND_FORMS[name], round_) if name == "approve" else ROUND_FORMS[name]
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            round_transition(
                round_=round_, transition=name, acting_user=request.user, **_step_data(name, form.cleaned_data)
            )
        except ValidationError as exc:
            for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        except RegistryError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": step.label})
            return HttpResponseRedirect(_change_url(round_.pk))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Round._meta,
        "original": round_,
        "form": form,
        "step": step.label,
        "title": step.label,
        "decision": step.decision,
        "summary": decision_summary(round_) if step.decision else None,
    }
    return TemplateResponse(request, "admin/registry/round/step.html", context)


class ImportForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("title"), max_length=200)
    organisers = forms.CharField(label=gettext_lazy("organising departments"), max_length=300, required=False)
    authority = forms.CharField(label=gettext_lazy("approving authority"), max_length=200, required=False)
    file = forms.FileField(label=gettext_lazy("file"), help_text=gettext_lazy("CSV (UTF-8 or GBK) or XLSX."))


def _imported(request, form) -> Round | None:
    upload = form.cleaned_data["file"]
    suffix = Path(upload.name).suffix.lower() or ".csv"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"round{suffix}"
        with open(path, "wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        try:
            return round_import(
                path,
                title=form.cleaned_data["title"],
                drafted_by=request.user,
                organisers=form.cleaned_data["organisers"],
                authority=form.cleaned_data["authority"],
            )
        except RoundFileProblems as exc:
            for problem in exc.problems[:200]:
                form.add_error(None, str(problem))
        except (FileProblem, ValidationError, RegistryError) as exc:
            form.add_error(None, str(exc))
    return None


def import_view(model_admin, request):
    """A round from a spreadsheet: all or nothing, problems by row and column."""
    if not request.user.has_perm("registry.submit_proposal"):
        messages.error(request, _("Drafting proposals needs the clerk (录入员) role."))
        return HttpResponseRedirect(reverse("admin:registry_round_changelist"))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        round_ = _imported(request, form)
        if round_ is not None:
            messages.success(request, _("Done: %(step)s.") % {"step": _("import")})
            return HttpResponseRedirect(_change_url(round_.pk))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Round._meta,
        "form": form,
        "title": _("Import a naming round"),
    }
    return TemplateResponse(request, "admin/registry/round/import.html", context)


def announcement_view(model_admin, request, object_id):
    round_ = get_object_or_404(Round.objects.select_related("announcement"), pk=object_id)
    if not hasattr(round_, "announcement"):
        messages.error(request, _("This round has no announcement yet: it is issued when the round is approved."))
        return HttpResponseRedirect(_change_url(round_.pk))
    fmt = request.GET.get("format", "html")
    if fmt == "csv":
        response = HttpResponse(round_export.announcement_csv(round_), content_type="text/csv")
    elif fmt == "xlsx":
        response = HttpResponse(
            round_export.announcement_xlsx(round_),
            content_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )
    else:
        return HttpResponse(round_export.announcement_html(round_), content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="round-{round_.pk}-announcement.{fmt}"'
    return response
