"""Admin for the word lists and the allow-list: bureau staff edit them; the next check uses them."""
from django.contrib import admin

from registry.admin.guards import HistoryAdmin
from registry.models import AllowListEntry, WordListEntry


@admin.register(WordListEntry)
class WordListEntryAdmin(HistoryAdmin):
    list_display = ("term", "word_list", "kind", "severity", "ambiguous", "active", "source")
    list_filter = ("word_list", "severity", "ambiguous", "active")
    list_editable = ("active",)
    search_fields = ("term", "note")
    list_per_page = 100


@admin.register(AllowListEntry)
class AllowListEntryAdmin(HistoryAdmin):
    list_display = ("term", "rules", "reason", "active")
    list_filter = ("active",)
    search_fields = ("term", "reason")
