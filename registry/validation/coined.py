"""Coined names (怪) that no word list can enumerate: numbers and codes as names, marketing
morphemes inside a longer proper name, and coined words where a housing name's generic should stand.

- **Numbers and codes** (6号大院, 24米路, 1加1大厦, M_3小区, 时代花生Ⅱ): the national criteria
  (民发〔2018〕146号 annex, 怪 1) count "a pure number as the 专名 with no specific meaning" and
  "an unapproved mix of characters and numbers with no real meaning, roman numerals
  included" as 怪. NON_HANZI says the characters are not Chinese; this says why the
  number is no name and what to do instead. A lane numbered off its road
  (Shanghai's 三门路805弄: the number follows the road's generic) is not such a name.
- **Marketing morphemes** (``kind`` = coined on the 怪 list, seeded from ``data/coined.tsv``,
  editable in the admin): 尊, 豪, 铂, 臻, 爵 … colour a housing or building name with luxury or
  nobility wherever they stand in the proper name; innocent inside a real Chinese place
  name (``native_train.tsv``, as for 皇/帝/御). An ``ambiguous`` one (荟, 汇, 悦, 秀 …) is an
  ordinary character and is judged only where it ends a housing or building name that has
  no generic of its own: there it stands in for the generic (…都荟, …领秀).
- **Coined endings**: a housing or building name with no generic that ends in a character
  no county or township name of China ends in (滨江水恋: 恋) is a coined phrase, not a place
  name (怪 2, 故弄玄虚). The statistic is read from the sourced native names, not a list.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from registry.choices import Category
from registry.generics import GENERICS
from registry.validation.findings import Finding, finding
from registry.validation.marks import residence_findings
from registry.validation.morphemes import in_native_context, native_names
from registry.validation.translit_model import NON_HAN, native_training

COINED_KIND = "coined"
HOUSING = frozenset({Category.RESIDENTIAL, Category.BUILDING})
# Arabic (also full-width) digits and the roman-numeral block (Ⅱ, Ⅻ).
_NUMERAL = re.compile(r"[0-9\uff10-\uff19\u2160-\u2188]")
# A number or code with the unit or counter written after it (6号, 24米, 8哩, M_3).
_NUMBER_TOKEN = re.compile(r"[0-9A-Za-z_\-\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u2160-\u2188]+[号米哩层栋期座]?")
# A proper name that is nothing but a number in Chinese numerals (六号, 九九): housing and buildings.
_CHINESE_NUMBER = re.compile(r"^[零〇一二三四五六七八九十百千万两壹贰叁肆伍陆柒捌玖拾佰]+[号米层栋期座]?$")
_SERIES = re.compile(r"[0-9\uff10-\uff19]+")
_LANE_BASES = tuple(sorted(GENERICS[Category.ROAD], key=len, reverse=True))
# A housing name's last character that ends at most this many native place names reads as coined.
MAX_NATIVE_ENDINGS = 0
MAX_TOKEN, MAX_TOKENS = 20, 5  # what a message quotes of a 20,000-character name


def number_term(name: str, specific: str, generic: str, category: str) -> str:
    """The number or code that stands as (part of) the proper name, or ""."""
    text = specific if generic else name
    found = _NUMERAL.search(text)
    if found is None:
        if category in HOUSING and _CHINESE_NUMBER.match(text):
            return text
        return ""
    before = text[: found.start()]
    if generic and len(before) > 1 and before.endswith(_LANE_BASES):
        return ""  # 三门路805弄: a lane numbered off its road
    if category == Category.ROAD and before and not NON_HAN.search(before) and _SERIES.fullmatch(text[found.start() :]):
        return ""  # 长江1路: a road of a series, whose number NON_HANZI asks to write in characters (长江一路)
    tokens = dict.fromkeys(m.group()[:MAX_TOKEN] for m in _NUMBER_TOKEN.finditer(text) if _NUMERAL.search(m.group()))
    return "、".join(list(tokens)[:MAX_TOKENS])


def number_findings(name: str, specific: str, generic: str, category: str) -> list[Finding]:
    term = number_term(name, specific, generic, category)
    return [finding("FEUDAL", "FEUDAL_NUMBER", term=term)] if term else []


@cache
def native_endings() -> Counter[str]:
    """How many native place names (county and township names of China) end in each character."""
    return Counter(n[-1] for n in native_training() if n)


def coined_ending(name: str, generic: str, category: str) -> str:
    """The coined word ending a housing or building name that has no generic (滨江水恋 → 水恋), or ""."""
    if category not in HOUSING or generic or len(name) < 3 or NON_HAN.search(name[-1:]):
        return ""
    if native_endings()[name[-1]] > MAX_NATIVE_ENDINGS:
        return ""
    return name[-2:]


def coined_ending_findings(name: str, generic: str, category: str) -> list[Finding]:
    term = coined_ending(name, generic, category)
    return [finding("FEUDAL", "FEUDAL_COINED", term=term)] if term else []


# Xiamen's 2019 interpretation of the criteria (DOMAIN.md §3.2, 怪): 住宅区通名使用“峰”“湾”“府”也不当.
# 府 is FEUDAL_RESIDENCE's (``marks``); 峰 and 湾 borrow a natural feature's generic.
IMPROPER_HOUSING_ENDINGS = ("峰", "湾")


def housing_generic_findings(name: str, category: str) -> list[Finding]:
    """A residential name ending in 峰 or 湾 (…天琴湾, …云峰): 怪 by the Xiamen criteria."""
    if category != Category.RESIDENTIAL or len(name) < 2:
        return []
    ending = next((e for e in IMPROPER_HOUSING_ENDINGS if name.endswith(e)), "")
    if not ending or name in native_names():
        return []
    return [finding("FEUDAL", "FEUDAL_GENERIC", term=ending)]


def coined_here(term, start: int, text: str, generic: str, category: str) -> bool:
    """Whether a marketing morpheme (``kind`` coined) found at ``start`` of ``text`` is reported.

    Only housing and buildings are judged (the campaign's targets, 民发〔2018〕146号: 居民区、
    大型建筑物). An ambiguous morpheme counts only as the last word of a name without a generic;
    any other one wherever it stands before the generic. Inside a real place name it is innocent.
    """
    if category not in HOUSING:
        return False
    end = start + len(term.term)
    if term.ambiguous and (generic or end != len(text)):
        return False
    if generic and end > len(text) - len(generic):
        return False  # part of the generic itself
    return not in_native_context(text, start, len(term.term))


def coined_findings(name: str, generic: str, category: str, found: list[Finding]) -> list[Finding]:
    """The 怪 findings of the name's form: its number or code, and, unless a 怪 word was ``found``
    already, a residence ending (``marks``), a 峰/湾 housing generic or a coined ending (this
    last one not beside a listed marketing morpheme either: 滨江水恋 is reported once)."""
    specific = name[: len(name) - len(generic)] if generic else name
    more = number_findings(name, specific, generic, category)
    keys = {f.message_key for f in found if f.rule == "FEUDAL"}
    if keys - {"FEUDAL_COINED"}:
        return more
    ending = residence_findings(name, category) or housing_generic_findings(name, category)
    if not ending and "FEUDAL_COINED" not in keys:
        ending = coined_ending_findings(name, generic, category)
    return more + ending
