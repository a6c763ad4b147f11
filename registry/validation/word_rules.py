"""Word-list rules: EXAGGERATED (大), FOREIGN (洋), FEUDAL (怪), VULGAR, PERSON_NAME and
COMMERCIAL, with the allow-list of approved exceptions.

The lists are review flags, not verdicts (the campaign criteria say "未经批准": with
approval a word may be used), hence most are warnings; foreign names and vulgar words
are errors, and so is a state leader's name (条例 Art. 9(4)).
"""
from __future__ import annotations

from registry.generics import COMMEMORATIVE_GENERICS
from registry.validation.conf import conf
from registry.validation.findings import ERROR, WARNING, Finding, finding
from registry.validation.lexicon import Lexicon, transliteration_weights
from registry.validation.morphemes import judged_in_context
from registry.validation.translit_model import looks_transliterated


def word_findings(name: str, core: str, lexicon: Lexicon, generic: str = "") -> list[Finding]:
    findings: list[Finding] = []
    commemorative = generic in COMMEMORATIVE_GENERICS
    reported: dict[str, list[str]] = {}
    for hit in lexicon.scan(name):
        term = hit.term
        if _passes(term, hit.start, name, core, lexicon, commemorative):
            continue
        seen = reported.setdefault(term.rule, [])
        if any(term.term in longer for longer in seen):
            continue  # 拿破 inside 拿破仑: report the longer term only
        seen.append(term.term)
        findings.append(_term_finding(term))
    if "FOREIGN" not in reported and "FOREIGN" not in lexicon.allowed_rules(name, ""):
        run = foreign_like_run(core)
        if run:
            findings.append(finding("FOREIGN", "FOREIGN_LIKE", severity=WARNING, specific=run))
    return findings


def _passes(term, start: int, name: str, core: str, lexicon: Lexicon, commemorative: bool) -> bool:
    """Whether a listed term found in ``name`` is no finding: an ambiguous word used in its
    ordinary sense, an approved exception, or a person's name on a commemorative place."""
    if term.ambiguous and term.term != core and not judged_in_context(term.rule, term.term, core, name, start):
        return True
    if term.rule in lexicon.allowed_rules(name, term.term):
        return True
    return term.rule == "PERSON_NAME" and commemorative


def _term_finding(term) -> Finding:
    severity = term.severity or ""
    if term.rule == "PERSON_NAME" and severity == ERROR:
        return finding("PERSON_NAME", "LEADER_NAME", severity=ERROR, term=term.term)
    if term.ambiguous and term.rule in {"FOREIGN", "VULGAR"}:
        # An ordinary word as well: flag for review, do not block.
        return finding(term.rule, severity=WARNING, term=term.term)
    return finding(term.rule, severity=severity, term=term.term)


def transliteration_score(specific: str) -> float:
    """Mean transliteration weight of the specific's characters (0 for fewer than 3)."""
    if len(specific) < 3:
        return 0.0
    weights = transliteration_weights()
    return sum(weights.get(c, 0.0) for c in specific) / len(specific)


def foreign_like_run(core: str) -> str:
    """The part of ``core`` that reads like a transliteration, or "".

    Two signals, either suffices: the character model trained on sourced foreign and
    native names (``translit_model``), which finds a transliteration inside a longer
    proper name (塞纳公馆), and the older per-character weights on the whole specific.
    """
    run = looks_transliterated(core)
    if run:
        return run
    return core if transliteration_score(core) >= conf("TRANSLITERATION_SCORE") else ""
