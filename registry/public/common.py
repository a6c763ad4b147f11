"""What every public page shares: cleaning what a visitor typed, and dates as a reader writes them.

Visitors type anything into a search box or a URL; the pages answer every input with
a page, never a 500. ``visitor_text`` keeps a query short and free of control
characters (PostgreSQL refuses NUL in text), so the search and the check receive
plain text only.
"""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext as _


MAX_QUERY = 100


def visitor_text(value, *, limit: int = MAX_QUERY) -> str:
    """``value`` as plain one-line text: control and invisible characters dropped, trimmed to ``limit``."""
    text = unicodedata.normalize("NFC", str(value or ""))
    text = "".join(c for c in text if unicodedata.category(c) not in {"Cc", "Cf", "Cs", "Co", "Cn"})
    return " ".join(text.split())[:limit]


def date_text(value: str) -> str:
    """A partial date as a reader writes it: ``-0483`` is 公元前483年 (BCE), others as stored."""
    value = value or ""
    if value.startswith("-"):
        year, _sep, rest = value[1:].partition("-")
        return _("%(year)s BCE") % {"year": year.lstrip("0") or "0"} + (f"-{rest}" if rest else "")
    return value


def with_date_texts(names):
    """The names with ``from_text`` and ``to_text`` set for display."""
    names = list(names)
    for name in names:
        name.from_text, name.to_text = date_text(name.valid_from), date_text(name.valid_to)
    return names
