"""Writes to the word lists and the allow-list: the one path for the admin's saves.

The bureau edits these lists in the admin (SPEC.md, "Name checks"); each save is
validated and leaves an audit entry (django-simple-history: who, and a change reason
code that the history page shows as 新增词条, 修改词条 …). The ``lexicon`` revision moves
with every save (``registry.signals``), so each process's matcher sees the edit on its
next check.
"""

from __future__ import annotations

from django.db import transaction

from registry.models import AllowListEntry, WordListEntry
from registry.services.places import User, _audit

#: Change reasons (codes, as every audit entry stores them; labelled in registry/admin/history.py).
WORD_LIST_CREATE, WORD_LIST_UPDATE = "word list: create", "word list: update"
ALLOW_LIST_CREATE, ALLOW_LIST_UPDATE = "allow-list: create", "allow-list: update"
#: The shipped notes and reasons given in Chinese (``manage.py translate_seed_notes``).
SEED_TEXT = "seed text: Chinese"


def word_list_entry_save(*, entry: WordListEntry, acting_user: User = None, reason: str = "") -> WordListEntry:
    """Validate and save a new or edited word-list entry (one term per list: a duplicate is refused)."""
    return _save(entry, acting_user, reason or (WORD_LIST_UPDATE if entry.pk else WORD_LIST_CREATE))


def allow_list_entry_save(*, entry: AllowListEntry, acting_user: User = None, reason: str = "") -> AllowListEntry:
    """Validate and save a new or edited allow-list entry (a name is listed once)."""
    return _save(entry, acting_user, reason or (ALLOW_LIST_UPDATE if entry.pk else ALLOW_LIST_CREATE))


@transaction.atomic
def _save(entry, acting_user, reason: str):
    entry.full_clean()
    _audit(entry, acting_user, reason)
    entry.save()
    return entry
