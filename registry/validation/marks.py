"""Marks of 洋 and 怪 in the form of a name, which no word list can enumerate.

- Latin words (佳家sport小区, 荣华EE康城, 美丽MALL): the campaign criteria count "用外文
  拼写的地名" and names that mix Chinese with letters as 洋 (民发〔2018〕146号 annex; the
  Jiangsu criteria: 盲目使用外语词…用外文拼写的地名). NON_HANZI already says the characters
  are not Chinese; FOREIGN says what to do about a foreign word spelled in letters.
  A single letter (A座, B区) is a building or block number, not a word: it is left to
  NON_HANZI.
- A residential name ending like an official's or an emperor's residence (五缘尊府, 央玺,
  运河公馆): Xiamen's 2019 report rejects 府 as a residential generic (住宅区通名使用
  “峰”“湾”“府”也不当), Hangzhou's lists 杭州公馆 and 运河公馆, and 玺 is the emperor's
  seal. Judged only at the end of a residential or building name, where it stands for
  the generic; inside a name (府前, 学府) it is an ordinary morpheme.
"""

from __future__ import annotations

import re

from registry.choices import Category
from registry.validation.findings import Finding, finding

_LATIN_WORD = re.compile(r"[A-Za-z\uff21-\uff3a\uff41-\uff5a]{2,}")
# Longest first. Housing ending in 府/宫/殿 is judged too; a building only on the words
# that can mean nothing but a residence: 孔府, 帅府 (historic), 市政府 and 少年宫, 文化宫
# (real buildings) end in 府 or 宫.
RESIDENCE_ENDINGS = {
    Category.RESIDENTIAL: ("公馆", "官邸", "府邸", "府", "邸", "玺", "宫", "殿"),
    Category.BUILDING: ("公馆", "官邸", "府邸", "玺"),
}


def latin_findings(name: str) -> list[Finding]:
    words = list(dict.fromkeys(m.group() for m in _LATIN_WORD.finditer(name)))
    return [finding("FOREIGN", "FOREIGN_LETTERS", term="、".join(words))] if words else []


def residence_ending(name: str, category: str) -> str:
    """The residence word a residential or building name ends in (尊府 → 府), or ""."""
    endings = RESIDENCE_ENDINGS.get(category, ())
    return next((e for e in endings if name.endswith(e) and len(name) > len(e)), "")


def residence_findings(name: str, category: str) -> list[Finding]:
    ending = residence_ending(name, category)
    return [finding("FEUDAL", "FEUDAL_RESIDENCE", term=ending)] if ending else []
