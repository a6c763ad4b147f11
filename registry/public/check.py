"""``/check/``: "is this name standard?", the registry's own name check for anyone.

The same ``validation.check_name`` as the admin and the API; the page shows each
finding's label, the message, why the rule exists and what to do instead. Input the
checker refuses (empty, a control character, far too long) gets its message, not a 500.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from registry.choices import Category
from registry.models import Division
from registry.public.common import visitor_text
from registry.public.explain import explained
from registry.validation import check_name


def _divisions():
    return [("", _("anywhere in the city"))] + [
        (d.code, d.name) for d in Division.objects.filter(parent_id=settings.REGISTRY_CITY_CODE).order_by("code")
    ]


class CheckForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    category = forms.ChoiceField(label=_("Kind of place"), choices=Category.choices, initial=Category.ROAD)
    division = forms.ChoiceField(label=_("District or county"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].choices = _divisions()


def name_check(request):
    data = request.GET.copy()
    if "name" in data:
        data["name"] = visitor_text(data.get("name"), limit=200)
    form = CheckForm(data if data.get("name") else None)
    result, error = None, ""
    if form.is_valid():
        try:
            result = check_name(
                form.cleaned_data["name"], form.cleaned_data["category"], division=form.cleaned_data["division"] or None
            )
        except ValidationError as exc:
            error = "；".join(exc.messages)
    findings = [explained(f) for f in result.findings] if result else []
    return render(
        request,
        "public/check.html",
        {
            "nav": "check",
            "form": form,
            "result": result,
            "findings": findings,
            "error": error,
            "errors": [f for f in findings if f["is_error"]],
        },
    )
