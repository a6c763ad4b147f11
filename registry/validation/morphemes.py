"""Feudal morphemes inside a longer proper name: 皇达大厦, 御府花园, 帝景湾.

The single characters 皇, 帝, 御 (and words such as 宫殿) are on the FEUDAL list as
``ambiguous``: on their own they were judged only when they were the whole proper name,
so 皇达 or 御府花园 went through. The campaign criteria name them wherever they colour the
name (民发〔2018〕146号: 皇帝、皇庭、御府、帝都 …). Inside a longer proper name they are now
judged in context: an occurrence is innocent when it is part of a real Chinese place name
(秦皇岛, 赞皇, 皇姑, 天宫殿 — every county and township name of China, ``native_train.tsv``,
and the innocent names), or when the allow-list exempts the name (英王府, a historic
palace). Which characters and words are judged this way is the word list's business:
staff mark a FEUDAL term as ambiguous in the admin.
"""

from __future__ import annotations

from functools import cache

from registry.validation.translit_model import native_training

CONTEXT_RULES = frozenset({"FEUDAL"})
MAX_CONTEXT = 4  # longest place-name window looked at around a morpheme


@cache
def native_names() -> frozenset[str]:
    return frozenset(native_training())


def in_native_context(name: str, start: int, length: int) -> bool:
    """Whether the morpheme at ``name[start:start+length]`` is part of a real place name."""
    native = native_names()
    for left in range(max(0, start - MAX_CONTEXT + length), start + 1):
        for right in range(start + length, min(len(name), left + MAX_CONTEXT) + 1):
            if right - left > length and name[left:right] in native:
                return True
    return False


def judged_in_context(rule: str, term: str, core: str, name: str, start: int) -> bool:
    """Whether an ambiguous term found at ``start`` inside a longer proper name is to be reported."""
    if rule not in CONTEXT_RULES or term not in core:
        return False
    return not in_native_context(name, start, len(term))
