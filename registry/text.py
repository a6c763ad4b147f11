"""Text hygiene for names typed, pasted or imported by people.

Clerks paste names from Word documents and spreadsheets: full-width spaces, stray
zero-width characters and NFD-decomposed text are common. ``clean_name`` folds the
harmless ones and refuses what cannot be part of a name, with a message that says
which character was wrong. Judging whether a name is *standard* is the validator's
job; this only decides whether the text is a name at all.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def clean_name(value: str | None, *, max_length: int = 100, field: str = "name") -> str:
    """Return the name NFC-normalised and trimmed; raise ValidationError if it cannot be a name."""
    text = unicodedata.normalize("NFC", str(value or "")).translate(_INVISIBLE)
    text = text.replace("\u3000", " ").strip()
    if not text:
        raise ValidationError({field: _("The name is empty.")}, code="empty")
    for char in text:
        if unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn"}:
            raise ValidationError(
                {field: _("The name contains a control or invisible character (U+%(cp)04X).") % {"cp": ord(char)}},
                code="control_character",
            )
    if len(text) > max_length:
        raise ValidationError(
            {
                field: _("The name is %(length)s characters long; at most %(max)s are allowed.")
                % {"length": len(text), "max": max_length}
            },
            code="too_long",
        )
    return text
