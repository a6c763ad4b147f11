"""The homophone key of a romanized form (``pinyin_key``): lower-case toneless letters and
figures run together, ü as v, whatever way the pinyin was typed."""

from __future__ import annotations

import re


def normalize_pinyin(text: str) -> str:
    """Fold any typed pinyin to the key form: ``"Tian'e Hu"`` → ``"tianehu"``, ü → v."""
    text = text.lower().replace("ü", "v").replace("u:", "v")
    return re.sub(r"[^a-z0-9]", "", _strip_tones(text))


_TONE_FOLD = str.maketrans(
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ",
    "aaaaeeeeiiiioooouuuuvvvvnnnm",
)


def _strip_tones(text: str) -> str:
    return text.translate(_TONE_FOLD)


def pinyin_key(text: str) -> str:
    """The homophone key of a romanized form (see ``normalize_pinyin``)."""
    return normalize_pinyin(text)
