"""Writes to administrative divisions: the admin's one path for them.

A division's name and level are part of what the registry answers (the API's place
answers carry ``division_name``), and those answers are cached per ``places`` revision
(``registry.freshness``). A division saved straight through the ORM left them stale;
saved here, it takes the registry's write lock and moves the revision with the save.
The admin's change log (``LogEntry``) is the audit entry of a division edit.
"""

from __future__ import annotations

from django.db import transaction

from registry import freshness
from registry.models import Division


@transaction.atomic
def division_save(*, division: Division) -> Division:
    """Validate (code shape, parent level) and save a new or edited division."""
    division.full_clean()
    freshness.lock()
    division.save()
    return division
