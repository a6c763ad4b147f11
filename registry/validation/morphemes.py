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

The same holds for a single-character morpheme of any list (``kind`` = char): 欧 (the
abbreviation of 欧洲, 洋) in 欧风花园 or 恒亿欧陆城, 宫 and 殿 (怪) in 金殿华庭. Such a
character is judged wherever it stands in the proper name; it is innocent inside a real
place name (亚欧东路, 九宫山, 三官殿) or inside an ordinary word that is no place name
(``ORDINARY_WORDS``: the surname 欧阳, the 文化宫 and 少年宫 of a city).
"""

from __future__ import annotations

from functools import cache

from registry.choices import Category
from registry.validation.translit_model import native_training

CONTEXT_RULES = frozenset({"FEUDAL"})
MORPHEME_KIND = "char"  # a single-character morpheme of any list, judged in context wherever it stands
# Ordinary words in which a morpheme has no 洋 or 怪 sense, though they are no place names.
ORDINARY_WORDS = frozenset({"欧阳", "文化宫", "少年宫", "青年宫", "科技宫", "青少年宫"})
MAX_CONTEXT = 4  # longest place-name window looked at around a morpheme


@cache
def native_names() -> frozenset[str]:
    return frozenset(native_training())


@cache
def context_names() -> frozenset[str]:
    return native_names() | ORDINARY_WORDS


def in_native_context(name: str, start: int, length: int) -> bool:
    """Whether the morpheme at ``name[start:start+length]`` is part of a real place name."""
    native = context_names()
    for left in range(max(0, start - MAX_CONTEXT + length), start + 1):
        for right in range(start + length, min(len(name), left + MAX_CONTEXT) + 1):
            if right - left > length and name[left:right] in native:
                return True
    return False


def judged_in_context(rule: str, term: str, core: str, name: str, start: int, kind: str = "") -> bool:
    """Whether an ambiguous term found at ``start`` inside a longer proper name is to be reported."""
    if (rule not in CONTEXT_RULES and kind != MORPHEME_KIND) or term not in core:
        return False
    return not in_native_context(name, start, len(term))


def brand_prefix(term, name: str, start: int, category: str) -> bool:
    """Whether an ambiguous developer brand (国贸, 绿地, 龙湖) heads a residential name before
    the estate's own name (国贸天琴湾): the 2019 lists (保利拉菲公馆, 万科府前一号, 雅居乐锦城)
    show the brand-first pattern, and 条例 Art. 9(6) keeps enterprise names out of place
    names. A building is left alone: it often carries its owner's name (绿地商业中心, an
    approved standard name). Where the word begins a real place name (龙湖 + 乡 …), it passes.
    """
    return (
        term.rule == "COMMERCIAL"
        and term.kind == "developer"
        and category == Category.RESIDENTIAL
        and start == 0
        and len(name) > len(term.term) + 2
        and not in_native_context(name, start, len(term.term))
    )
