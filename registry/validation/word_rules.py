"""Word-list rules: EXAGGERATED (大), FOREIGN (洋), FEUDAL (怪), VULGAR, PERSON_NAME and
COMMERCIAL, with the allow-list of approved exceptions.

The lists are review flags, not verdicts (the campaign criteria say "未经批准": with
approval a word may be used), hence most are warnings; foreign names and vulgar words
are errors, and so is a state leader's name (条例 Art. 9(4)).

Word classes: a 大 term's ``kind`` (political, military, religious: the Jiangsu criteria
count words of specific political, ethnic or religious meaning as 大) picks a message
that says why such a word does not fit a place name and what to do instead. An
enterprise or brand that is also a Chinese place name (茅台) is no finding on a road,
bridge or water named after the place (Shanghai's 茅台路): 办法 Art. 4 allows the
characters where they have no specific link to the firm. Military and political words
on a memorial, and religious words on a temple or church, name what the place is.
"""

from __future__ import annotations

from registry.choices import Category
from registry.generics import COMMEMORATIVE_GENERICS
from registry.validation.coined import COINED_KIND, coined_findings, coined_here
from registry.validation.conf import conf
from registry.validation.findings import ERROR, WARNING, Finding, finding
from registry.validation.lexicon import Lexicon, transliteration_weights
from registry.validation.marks import brand_dot_findings, latin_findings, undotted
from registry.validation.morphemes import brand_prefix, judged_in_context, native_names
from registry.validation.translit_model import HOUSING_THRESHOLD, NON_HAN, THRESHOLD, looks_transliterated


# Features commonly named after another place (上海's roads after provinces and towns).
NAMED_AFTER_PLACES = frozenset({Category.ROAD, Category.BRIDGE, Category.WATER})
# Where the campaign found its 洋 names (民发〔2018〕146号: 居民区、大型建筑物): judged more closely.
HOUSING = frozenset({Category.RESIDENTIAL, Category.BUILDING})
WORD_CLASS_KINDS = frozenset({"political", "military", "religious"})
RELIGIOUS_GENERICS = frozenset({"寺", "庙", "庵", "观", "祠", "堂", "教堂", "塔"})
WORD_CLASS_MESSAGES = {
    ("EXAGGERATED", "political"): "EXAGGERATED_POLITICAL",
    ("EXAGGERATED", "military"): "EXAGGERATED_MILITARY",
    ("EXAGGERATED", "religious"): "EXAGGERATED_RELIGIOUS",
    ("COMMERCIAL", "developer"): "COMMERCIAL_DEVELOPER",
    # A single-character morpheme judged inside the proper name (欧, 宫, 皇): says what it stands for.
    ("FOREIGN", "char"): "FOREIGN_MORPHEME",
    ("FEUDAL", "char"): "FEUDAL_MORPHEME",
    # A marketing morpheme of luxury or nobility (尊, 铂, 荟; ``coined``).
    ("FEUDAL", COINED_KIND): "FEUDAL_COINED",
}


def word_findings(name: str, core: str, lexicon: Lexicon, generic: str = "", category: str = "") -> list[Finding]:
    findings: list[Finding] = []
    reported: dict[str, list[str]] = {}
    text = undotted(name)  # 马可·波罗大厦 names 马可波罗
    for hit in lexicon.scan(text):
        term = hit.term
        if _skipped(hit, text, core, lexicon, generic, category):
            continue
        seen = reported.setdefault(term.rule, [])
        if any(term.term in longer for longer in seen):
            continue  # 拿破 inside 拿破仑: report the longer term only
        seen.append(term.term)
        findings.append(_term_finding(term))
    if "FOREIGN" not in reported and "FOREIGN" not in lexicon.allowed_rules(name, ""):
        run = foreign_like_run(core, category)
        if run:
            findings.append(finding("FOREIGN", "FOREIGN_LIKE", severity=WARNING, specific=run))
    if "FOREIGN" not in reported:
        findings += latin_findings(name)
    if not any(f.rule in {"FOREIGN", "COMMERCIAL"} for f in findings):
        findings += brand_dot_findings(name, category)
    return findings + coined_findings(name, generic, category, findings)


def _skipped(hit, text: str, core: str, lexicon: Lexicon, generic: str, category: str) -> bool:
    """Whether a listed term found in the name is no finding here (see ``_passes``; a marketing
    morpheme by its own position rules, ``coined_here``)."""
    term = hit.term
    if term.kind == COINED_KIND:
        return not coined_here(term, hit.start, text, generic, category) or term.rule in lexicon.allowed_rules(
            text, term.term
        )
    commemorative = generic in COMMEMORATIVE_GENERICS
    return _passes(term, hit.start, text, core, lexicon, commemorative, category) or _fits_the_feature(
        term, generic, commemorative, category in NAMED_AFTER_PLACES
    )


def _passes(term, start: int, name: str, core: str, lexicon: Lexicon, commemorative: bool, category: str) -> bool:
    """Whether a listed term found in ``name`` is no finding: an ambiguous word used in its
    ordinary sense, an approved exception, or a person's name on a commemorative place.

    Digits and letters are no context that makes a word innocent: an ambiguous term that
    is all the Chinese of the specific (克拉 in 24克拉) counts as the whole specific; a
    developer's brand put before an estate's own name (国贸天琴湾) counts too."""
    whole = term.term == core or term.term == NON_HAN.sub("", core)
    in_context = judged_in_context(term.rule, term.term, core, name, start, term.kind) or brand_prefix(
        term, name, start, category
    )
    if term.ambiguous and not whole and not in_context:
        return True
    if term.ambiguous and term.kind in WORD_CLASS_KINDS and name in native_names():
        return True  # the name is a real place's own (红军路, 真武山, 罗汉洞): a historic name
    if term.rule in lexicon.allowed_rules(name, term.term):
        return True
    return term.rule == "PERSON_NAME" and commemorative


def _fits_the_feature(term, generic: str, commemorative: bool, after_place: bool) -> bool:
    """A word class that belongs to the kind of feature: a battle on a memorial (渡江战役纪念馆,
    八路军纪念馆), a deity on a temple (观音寺), a place's brand on a road after the place."""
    if term.kind in {"military", "political"}:
        return commemorative
    if term.kind == "religious":
        return generic in RELIGIOUS_GENERICS
    return after_place and term.rule == "COMMERCIAL" and term.term in native_names()


def _term_finding(term) -> Finding:
    severity = term.severity or ""
    if term.rule == "PERSON_NAME" and severity == ERROR:
        return finding("PERSON_NAME", "LEADER_NAME", severity=ERROR, term=term.term)
    key = WORD_CLASS_MESSAGES.get((term.rule, term.kind))
    if term.ambiguous and term.rule in {"FOREIGN", "VULGAR"}:
        # An ordinary word as well: flag for review, do not block.
        return finding(term.rule, key, severity=WARNING, term=term.term)
    return finding(term.rule, key, severity=severity, term=term.term)


def transliteration_score(specific: str) -> float:
    """Mean transliteration weight of the specific's characters (0 for fewer than 3)."""
    if len(specific) < 3:
        return 0.0
    weights = transliteration_weights()
    return sum(weights.get(c, 0.0) for c in specific) / len(specific)


def foreign_like_run(core: str, category: str = "") -> str:
    """The part of ``core`` that reads like a transliteration, or "".

    Two signals, either suffices: the character model trained on sourced foreign and
    native names (``translit_model``), which finds a transliteration inside a longer
    proper name (塞纳公馆), and the older per-character weights on the whole specific.
    """
    run = looks_transliterated(core, HOUSING_THRESHOLD if category in HOUSING else THRESHOLD)
    if run:
        return run
    return core if transliteration_score(core) >= conf("TRANSLITERATION_SCORE") else ""
