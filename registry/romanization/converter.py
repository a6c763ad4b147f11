"""pypinyin's converter with a memory of the words it has converted (see the class)."""

from __future__ import annotations

from pypinyin.converter import UltimateConverter


class _RememberingConverter(UltimateConverter):
    """pypinyin's converter, remembering the reading of each word it is given.

    Place names are built from a few thousand words (长江, 淮河, 东路 …): an import of 100k
    names converts each word once instead of thousands of times, which halves the cost of
    romanizing. Only ``_syllables`` calls it, always with the same ``errors`` hook, and
    reads the result without changing it.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._known: dict[tuple, list] = {}

    def convert(self, words, style, heteronym, errors, strict, **kwargs):
        key = (words, style, heteronym, strict)
        found = self._known.get(key)
        if found is None:
            found = super().convert(words, style, heteronym, errors, strict, **kwargs)
            if len(self._known) < 200_000:
                self._known[key] = found
        return found


def _per_char(chunk: str) -> list[str]:
    """pypinyin's ``errors=`` hook: characters without a reading stay, one item each."""
    return list(chunk)
