"""A draft round's item corrected or taken out in the admin, by the round's drafter.

The page is a plain form; the write is ``services.rounds.round_item_edit`` or
``round_item_remove`` (audited, the round checked again), which also refuse it once the
round has left draft or for anyone but its drafter, with the reason shown on the page.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.exceptions import RegistryError
from registry.models import RoundItem
from registry.services.rounds import round_item_edit, round_item_remove


class ItemEditForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("proposed name"), max_length=100, required=False)
    pinyin = forms.CharField(label=gettext_lazy("pinyin"), max_length=300, required=False)
    reason = forms.CharField(label=gettext_lazy("reason"), widget=forms.Textarea(attrs={"rows": 2}))
    origin = forms.CharField(
        label=gettext_lazy("origin and meaning"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ItemRemoveForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


def _written(form, write) -> bool:
    try:
        write()
    except ValidationError as exc:
        for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
            form.add_error(field if field in form.fields else None, errors)
    except RegistryError as exc:
        form.add_error(None, str(exc))
    else:
        return True
    return False


def item_view(model_admin, request, object_id, remove: bool = False):
    """Correct (or, ``remove``, take out) one item of a draft round."""
    item = get_object_or_404(RoundItem.objects.select_related("round"), pk=object_id)
    if remove:
        form = ItemRemoveForm(request.POST or None)
    else:
        form = ItemEditForm(request.POST or None, initial={f: getattr(item, f) for f in ItemEditForm.base_fields})
    if request.method == "POST" and form.is_valid():
        given = form.cleaned_data
        if remove:
            done = _written(form, lambda: round_item_remove(item=item, acting_user=request.user, **given))
        else:
            changed = {k: v for k, v in given.items() if v != getattr(item, k)}
            done = _written(form, lambda: round_item_edit(item=item, acting_user=request.user, **changed))
        if done:
            messages.success(request, _("Done: %(step)s.") % {"step": _("removed") if remove else _("edited")})
            return HttpResponseRedirect(reverse("admin:registry_rounditem_change", args=[item.pk]))
    title = f"{item}：{_('removed') if remove else _('edited')}"
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": RoundItem._meta,
        "original": item,
        "form": form,
        "title": title,
        "step": _("removed") if remove else _("edited"),
    }
    return TemplateResponse(request, "admin/registry/rounditem/edit.html", context)
