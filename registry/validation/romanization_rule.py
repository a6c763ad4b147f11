"""ROMANIZATION: a submitted pinyin must be the standard form (SPEC.md "Romanization").

The stored form, its all-capitals sign form and its tone-marked form are accepted.
Anything else is an error whose message says what is wrong: an English generic
("Road", "Lake"), a different reading (a polyphone read wrongly), a missing apostrophe,
or words joined or split wrongly ("Da Dao", "Changjiangzhong Lu").
"""

from __future__ import annotations

import re

from registry.romanization import Romanization, normalize_pinyin
from registry.validation.findings import Finding, finding

FOREIGN_WORDS = frozenset(
    """
road rd street st avenue ave boulevard blvd lane alley way highway expressway freeway ring
river lake reservoir pond creek canal stream bay harbour harbor
bridge overpass interchange flyover tunnel
town township village community district county city
building tower mansion plaza square center centre garden gardens park villa apartment apartments
middle central east west north south new old the of
""".split()
)


def romanization_findings(given: str, standard: Romanization) -> list[Finding]:
    given = " ".join((given or "").split())
    if not given or not standard.pinyin:
        return []
    if given in (standard.pinyin, standard.tone_marked) or given == standard.sign:
        return []
    words = [w for w in re.findall(r"[A-Za-z]+", given) if w.lower() in FOREIGN_WORDS]
    if words and normalize_pinyin(given) != standard.key:
        return [
            finding(
                "ROMANIZATION", "ROMANIZATION_FOREIGN", given=given, words=", ".join(words), expected=standard.pinyin
            )
        ]
    if normalize_pinyin(given) != standard.key:
        return [finding("ROMANIZATION", "ROMANIZATION_READING", given=given, expected=standard.pinyin)]
    if (
        given.replace("'", "").replace("’", "").lower() == standard.pinyin.replace("'", "").lower()
        and "'" in standard.pinyin
    ):
        return [finding("ROMANIZATION", "ROMANIZATION_APOSTROPHE", given=given, expected=standard.pinyin)]
    return [finding("ROMANIZATION", "ROMANIZATION_JOINING", given=given, expected=standard.pinyin)]
