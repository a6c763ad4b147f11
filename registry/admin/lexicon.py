"""Admin for the word lists and the allow-list: bureau staff edit them; the next check uses them.

The seeded entries carry short codes for their kind ("place", "brand-style") and source
("common-usage", "CLDR", "other-list:Zhengzhou"; ``registry/validation/data/README.md``)
and the allow-list names rules by code ("FOREIGN,EXAGGERATED"). The lists show
labels in the active language instead, with the stored text in the tooltip; the
allow-list form offers the rules as checkboxes, labelled 外语词（洋）（FOREIGN）.
Saves (the change form and the list's editable 有效 column) go through
``registry.services.lexicon``: validated, with an audit entry (新增词条, 修改词条 …).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from registry.admin.history import register_display
from registry.admin.guards import HistoryAdmin
from registry.models import AllowListEntry, WordListEntry
from registry.services.lexicon import allow_list_entry_save, word_list_entry_save
from registry.validation.findings import RULES, rule_label

EVERY_WORD_LIST_RULE = "*"

KIND_LABELS = {
    "place": pgettext_lazy("word list kind", "place"),
    "person": pgettext_lazy("word list kind", "person"),
    "word": pgettext_lazy("word list kind", "word"),
    "char": pgettext_lazy("word list kind", "char"),
    "brand-style": pgettext_lazy("word list kind", "brand-style"),
    "enterprise": pgettext_lazy("word list kind", "enterprise"),
    "developer": pgettext_lazy("word list kind", "developer"),
    "trademark": pgettext_lazy("word list kind", "trademark"),
    "leader": pgettext_lazy("word list kind", "leader"),
    "historical": pgettext_lazy("word list kind", "historical"),
    "local-historical": pgettext_lazy("word list kind", "local-historical"),
    "literary": pgettext_lazy("word list kind", "literary"),
    "coined": pgettext_lazy("word list kind", "coined"),
}
SOURCE_LABELS = {
    "national": pgettext_lazy("word list source", "national"),
    "CLDR": pgettext_lazy("word list source", "CLDR"),
    "common-usage": pgettext_lazy("word list source", "common-usage"),
    "common-knowledge": pgettext_lazy("word list source", "common-knowledge"),
    "Hefei-news": pgettext_lazy("word list source", "Hefei-news"),
    "unverified": pgettext_lazy("word list source", "unverified"),
    "other-list": pgettext_lazy("word list source", "other-list"),
    "demo data": pgettext_lazy("word list source", "demo data"),
}
# Cities and provinces whose lists the seed data cite (by themselves or as other-list:<city>).
CITY_LABELS = {
    "Jiangsu": pgettext_lazy("word list source", "Jiangsu"),
    "Hangzhou": pgettext_lazy("word list source", "Hangzhou"),
    "Chengdu": pgettext_lazy("word list source", "Chengdu"),
    "Zhengzhou": pgettext_lazy("word list source", "Zhengzhou"),
    "Xi'an": pgettext_lazy("word list source", "Xi'an"),
    "Hainan": pgettext_lazy("word list source", "Hainan"),
    "Sanya": pgettext_lazy("word list source", "Sanya"),
    "Guangzhou": pgettext_lazy("word list source", "Guangzhou"),
    "Xiamen": pgettext_lazy("word list source", "Xiamen"),
    "Wenzhou": pgettext_lazy("word list source", "Wenzhou"),
    "Suzhou": pgettext_lazy("word list source", "Suzhou"),
}


def kind_label(kind: str) -> str:
    label = KIND_LABELS.get(kind)
    return str(label) if label is not None else kind


def source_label(source: str) -> str:
    """ "common-usage; other-list:Zhengzhou" → 通用译名；其他城市整治名单（郑州）; free text as it is."""
    parts = []
    for part in (source or "").split(";"):
        part = part.strip()
        if not part:
            continue
        head, _sep, city = part.partition(":")
        if head == "other-list" and city in CITY_LABELS:
            parts.append(f"{SOURCE_LABELS['other-list']}（{CITY_LABELS[city]}）")
        elif part in SOURCE_LABELS:
            parts.append(str(SOURCE_LABELS[part]))
        elif part in CITY_LABELS:
            parts.append(str(_("%(city)s list") % {"city": CITY_LABELS[part]}))
        else:
            parts.append(part)
    return "；".join(parts)


def rules_label(rules: str) -> str:
    """ "FOREIGN,EXAGGERATED" → 外语词（洋）、夸大（大）."""
    labels = []
    for code in (r.strip().upper() for r in (rules or "").split(",")):
        if code == EVERY_WORD_LIST_RULE:
            labels.append(str(_("every word-list rule")))
        elif code:
            labels.append(rule_label(code))
    return "、".join(labels)


def _with_tooltip(label: str, stored: str):
    if not stored:
        return admin.site.empty_value_display
    return format_html('<span title="{}">{}</span>', stored, label)


class ViewOnlyLabelsMixin:
    """Where a user may only view an entry, its coded fields read as in the list (labels, not codes)."""

    view_only_columns: dict[str, str] = {}

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            # Read-only through and through: Django then shows every field (and method) as text.
            return list(dict.fromkeys(self.view_only_columns.get(name, name) for name in fields))
        return fields

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            # As read-only as the fields shown, for every form built from them.
            return [*readonly, *(c for c in self.view_only_columns.values() if c not in readonly)]
        return readonly


@admin.register(WordListEntry)
class WordListEntryAdmin(ViewOnlyLabelsMixin, HistoryAdmin):
    list_display = ("term", "word_list", "kind_column", "severity_column", "ambiguous", "active", "source_column")
    list_filter = ("word_list", "severity", "ambiguous", "active")
    list_editable = ("active",)
    search_fields = ("term", "note")
    list_per_page = 100
    view_only_columns = {"kind": "kind_column", "severity": "severity_column", "source": "source_column"}

    @admin.display(description=_("kind"), ordering="kind")
    def kind_column(self, obj):
        return _with_tooltip(kind_label(obj.kind), obj.kind)

    @admin.display(description=_("severity"), ordering="severity")
    def severity_column(self, obj) -> str:
        return obj.get_severity_display() if obj.severity else str(_("rule's default"))

    @admin.display(description=_("source"), ordering="source")
    def source_column(self, obj):
        return _with_tooltip(source_label(obj.source), obj.source)

    def save_model(self, request, obj, form, change):
        # The change form and the list's 有效 boxes alike: through the service (validated, audited).
        word_list_entry_save(entry=obj, acting_user=request.user)


class AllowListEntryForm(forms.ModelForm):
    """The rules as checkboxes with Chinese labels; stored as the comma-separated codes the checker reads."""

    rules = forms.MultipleChoiceField(
        label=_("rules"), widget=forms.CheckboxSelectMultiple, help_text=_("The rules this name is not flagged for.")
    )

    class Meta:
        model = AllowListEntry
        fields = ("term", "rules", "reason", "source", "active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = sorted(self.instance.rule_set()) if self.instance.pk else []
        choices = [(EVERY_WORD_LIST_RULE, _("every word-list rule"))]
        choices += [(code, f"{rule_label(code)}（{code}）") for code in RULES]
        # A code the checker no longer knows is kept (and shown) rather than silently dropped.
        choices += [(code, code) for code in stored if code not in RULES and code != EVERY_WORD_LIST_RULE]
        self.fields["rules"].choices = choices
        if self.instance.pk:
            self.initial["rules"] = stored

    def clean_rules(self) -> str:
        codes = self.cleaned_data["rules"]
        return EVERY_WORD_LIST_RULE if EVERY_WORD_LIST_RULE in codes else ",".join(codes)


@admin.register(AllowListEntry)
class AllowListEntryAdmin(ViewOnlyLabelsMixin, HistoryAdmin):
    form = AllowListEntryForm
    view_only_columns = {"rules": "rules_column"}
    list_display = ("term", "rules_column", "reason", "active")
    list_filter = ("active",)
    search_fields = ("term", "reason")

    @admin.display(description=_("rules"), ordering="rules")
    def rules_column(self, obj):
        return _with_tooltip(rules_label(obj.rules), obj.rules)

    def save_model(self, request, obj, form, change):
        allow_list_entry_save(entry=obj, acting_user=request.user)


# The history pages (历史) show the same labels for these fields' old and new values.
register_display(WordListEntry, "kind", kind_label)
register_display(WordListEntry, "source", source_label)
register_display(AllowListEntry, "rules", rules_label)
