"""What a check returns: findings, each with a stable rule code, severity and message.

Rule codes and their severities are SPEC.md's table. Messages are translatable
templates rendered in the active language when read (Chinese by default, English
through the API's ``lang``), so one Finding serves the admin and the API alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ERROR = "error"
WARNING = "warning"

RULES: dict[str, str] = {
    "DUPLICATE": ERROR,
    "HOMOPHONE": WARNING,
    "SIMILAR": WARNING,
    "BARE_GENERIC": ERROR,
    "MISSING_GENERIC": ERROR,
    "STACKED_GENERIC": ERROR,
    "GENERIC_MISMATCH": ERROR,
    "GENERIC_SCALE": WARNING,
    "EXAGGERATED": WARNING,
    "FOREIGN": ERROR,
    "FEUDAL": WARNING,
    "VULGAR": ERROR,
    "PERSON_NAME": WARNING,
    "COMMERCIAL": WARNING,
    "NON_HANZI": ERROR,
    "NON_STANDARD_CHARACTER": ERROR,
    "RARE_CHARACTER": WARNING,
    "TOO_LONG": WARNING,
    "ROMANIZATION": ERROR,
    "HERITAGE_PROTECTED": WARNING,
    "RESERVED": WARNING,
}

# What a Chinese user sees for each rule (the code stays in the API and machine exports).
RULE_LABELS = {
    "DUPLICATE": _("duplicate name"),
    "HOMOPHONE": _("homophone"),
    "SIMILAR": _("similar name"),
    "BARE_GENERIC": _("bare generic"),
    "MISSING_GENERIC": _("missing generic"),
    "STACKED_GENERIC": _("stacked generics"),
    "GENERIC_MISMATCH": _("wrong generic"),
    "GENERIC_SCALE": _("generic overstates scale"),
    "EXAGGERATED": _("exaggerated (大)"),
    "FOREIGN": _("foreign (洋)"),
    "FEUDAL": _("feudal (怪)"),
    "VULGAR": _("vulgar"),
    "PERSON_NAME": _("person name"),
    "COMMERCIAL": _("commercial name"),
    "NON_HANZI": _("non-Hanzi characters"),
    "NON_STANDARD_CHARACTER": _("non-standard characters"),
    "RARE_CHARACTER": _("rare characters"),
    "TOO_LONG": _("too long"),
    "ROMANIZATION": _("non-standard pinyin"),
    "HERITAGE_PROTECTED": _("heritage protected"),
    "RESERVED": _("reserved in the name bank"),
}
SEVERITY_LABELS = {ERROR: _("error"), WARNING: _("warning")}


def rule_label(code: str) -> str:
    """The rule's name in the active language (Chinese in the admin); unknown codes as given."""
    label = RULE_LABELS.get(code)
    return str(label) if label is not None else code


def severity_label(severity: str) -> str:
    label = SEVERITY_LABELS.get(severity)
    return str(label) if label is not None else severity


MESSAGES = {
    "DUPLICATE": _("Same name as %(matches_text)s in the same uniqueness scope (%(scope)s)."),
    "DUPLICATE_VARIANT": _(
        "Same name as %(matches_text)s once 新/大/老 or the city's name is added or removed (%(scope)s)."
    ),
    "HOMOPHONE": _("Sounds the same (%(sound)s) as %(matches_text)s in the same scope: homophones should be avoided."),
    "DUPLICATE_NEARBY": _(
        "Same name as %(matches_text)s, %(distance)s km away in another scope: names within "
        "%(radius)s km must differ even across a scope border."
    ),
    "HOMOPHONE_NEARBY": _(
        "Sounds the same (%(sound)s) as %(matches_text)s, %(distance)s km away in another scope: "
        "homophones within %(radius)s km should be avoided even across a scope border."
    ),
    "SIMILAR": _("Differs by one character from %(matches_text)s: looks like a typo or is easily confused."),
    "BARE_GENERIC": _("“%(name)s” is only a generic term; a name needs a specific part (专名)."),
    "MISSING_GENERIC": _("No generic term for a %(category)s (expected one of %(expected)s)."),
    "STACKED_GENERIC": _("Two generic terms stacked (“%(first)s” + “%(second)s”); keep one."),
    "GENERIC_MISMATCH": _(
        "The generic “%(generic)s” belongs to another kind of feature (%(other)s), not a %(category)s."
    ),
    "GENERIC_SCALE": _("The generic “%(generic)s” overstates this feature: %(reason)s."),
    "GENERIC_SCALE_UNKNOWN": _(
        "Is this feature really a “%(generic)s”? %(need)s, and the record gives no size: "
        "enter it, or choose a generic that fits (桥, 楼, 大楼 …)."
    ),
    "EXAGGERATED": _(
        "Exaggerated word “%(term)s” (大): needs approval. Use a word that fits the place's real size and "
        "function, or record the approval on the allow-list."
    ),
    "FOREIGN": _(
        "Foreign name or word “%(term)s” (洋): use a Chinese word from the place's own geography, history or "
        "culture instead."
    ),
    "FOREIGN_MORPHEME": _(
        "“%(term)s” inside the proper name stands for a foreign place or style (洋): use a word from the "
        "place's own geography, history or culture instead."
    ),
    "FOREIGN_LIKE": _("“%(specific)s” reads like a transliteration of a foreign word (洋); check its origin."),
    "EXAGGERATED_POLITICAL": _(
        "“%(term)s” has a specific political meaning (大) and does not suit a place name: "
        "use a word from the place's own geography, history or culture instead."
    ),
    "EXAGGERATED_MILITARY": _(
        "“%(term)s” is a military term (大) and does not suit a place name: "
        "use a word from the place's own geography, history or culture instead."
    ),
    "EXAGGERATED_RELIGIOUS": _(
        "“%(term)s” has a religious meaning (大) and does not suit a place name: choose another "
        "word, or, for a name with a specific historical or religious background, add it to the "
        "allow-list with the reason."
    ),
    "FOREIGN_LETTERS": _(
        "“%(term)s” is written in Latin letters (洋): write the name in standard Chinese characters, "
        "and a foreign word as a Chinese word of the same sense."
    ),
    "FEUDAL": _(
        "Feudal colouring “%(term)s” (怪): use a word from the place's own geography, history or culture "
        "instead; a name with a real historical background goes on the allow-list with the reason."
    ),
    "FEUDAL_MORPHEME": _(
        "“%(term)s” inside the proper name recalls an imperial palace, title or realm (怪): use a word from "
        "the place's own geography, history or culture instead; a name with a real historical background "
        "goes on the allow-list with the reason."
    ),
    "FEUDAL_RESIDENCE": _(
        "A name ending in “%(term)s” recalls an official's or an emperor's residence (怪): end it in "
        "a generic of its kind instead (…苑, …园, …小区 for housing; …大厦, …楼 for a building)."
    ),
    "FEUDAL_NUMBER": _(
        "“%(term)s” is a number or code, which means nothing as a place name (怪): name the place from its "
        "own geography, history or culture; a place in a numbered series writes its number in Chinese "
        "characters after a real name (…一路, …二巷)."
    ),
    "FEUDAL_COINED": _(
        "“%(term)s” is a coined marketing word (怪), not a word of the place: use a word from the place's "
        "own geography, history or culture, and end a housing or building name in a generic of its kind "
        "(…苑, …园, …小区; …大厦, …楼)."
    ),
    "FEUDAL_GENERIC": _(
        "A housing name ending in “%(term)s” borrows a natural feature's generic, which the criteria count "
        "as improper (怪): end it in a residential generic instead (…苑, …园, …小区, …花园)."
    ),
    "VULGAR": _("Unhealthy or vulgar meaning: “%(term)s”."),
    "PERSON_NAME": _("Contains the person name “%(term)s”: names generally do not use person names."),
    "LEADER_NAME": _("Contains the name of a state leader, “%(term)s”: never allowed."),
    "COMMERCIAL": _("Enterprise name or trademark “%(term)s”."),
    "COMMERCIAL_DEVELOPER": _(
        "“%(term)s” is a property developer's name or brand: leave it out of the place name and keep a "
        "specific from the place's own geography, history or culture."
    ),
    "COMMERCIAL_DOT": _(
        "“%(term)s” is joined to the name by a dot, as a developer's brand usually is: drop the brand and "
        "the dot, and keep the estate's own name (with a generic such as …苑, …园, …小区)."
    ),
    "NON_HANZI": _("Contains characters that are not Chinese characters: %(chars)s."),
    "NON_STANDARD_CHARACTER": _("Traditional or variant characters %(chars)s; use the standard forms %(standard)s."),
    "RARE_CHARACTER": _("Rare characters outside the common standard set: %(chars)s."),
    "TOO_LONG": _("%(length)s characters; a %(category)s name should have at most %(max)s."),
    "ROMANIZATION_FOREIGN": _("“%(given)s” uses a foreign word (%(words)s); the standard form is “%(expected)s”."),
    "ROMANIZATION_READING": _("“%(given)s” reads the name differently; the standard form is “%(expected)s”."),
    "ROMANIZATION_APOSTROPHE": _("“%(given)s” lacks the apostrophe (隔音符号); the standard form is “%(expected)s”."),
    "ROMANIZATION_JOINING": _(
        "“%(given)s” joins, separates or capitalises the words wrongly; the standard form is “%(expected)s”."
    ),
    "HERITAGE_PROTECTED": _(
        "%(name)s is on a heritage protection list (%(scheme)s) with no protection measures recorded."
    ),
    "RESERVED": _(
        "“%(name)s” is kept in the name bank (entry %(entry)s) in this scope: choose another name, "
        "or take the bank entry for this proposal."
    ),
    "RESERVED_FOR": _(
        "“%(name)s” is reserved in the name bank for a project (entry %(entry)s): choose another "
        "name, or take the bank entry if this proposal is for that project."
    ),
}

# The width of ``Place.finding_rules``: a summary's rule codes are cut to fit it.
SUMMARY_RULES_LENGTH = 300


def summarize(findings: Iterable) -> tuple[str, str]:
    """The worst severity ("error", "warning" or "" for none) and the distinct rule codes,
    sorted and comma-joined, cut to ``SUMMARY_RULES_LENGTH``.

    The one summary of a check: the admin's list and filter columns, the audit and the
    import store it, and a proposal's 审查结果 is read from its level. ``findings`` are
    ``Finding`` objects or ``(rule, severity, …)`` tuples (the importer's compact form).
    """
    rules: set[str] = set()
    level = ""
    for f in findings:
        rule, severity = (f.rule, f.severity) if isinstance(f, Finding) else (f[0], f[1])
        rules.add(rule)
        if severity == ERROR:
            level = ERROR
        elif not level:
            level = WARNING
    return level, ",".join(sorted(rules))[:SUMMARY_RULES_LENGTH]


@dataclass(frozen=True)
class Match:
    code: str
    name: str
    score: float

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "score": round(self.score, 1)}


@dataclass(frozen=True)
class Finding:
    rule: str
    message_key: str
    params: dict = field(default_factory=dict, hash=False, compare=False)
    matches: tuple[Match, ...] = ()
    severity: str = ""

    def __post_init__(self) -> None:
        if not self.severity:
            object.__setattr__(self, "severity", RULES[self.rule])

    @property
    def message(self) -> str:
        """The message in the active language."""
        params = {k: (str(v) if isinstance(v, Promise) else v) for k, v in self.params.items()}
        return str(MESSAGES[self.message_key]) % params

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def label(self) -> str:
        """The rule's name in the active language, e.g. 外语词 for FOREIGN."""
        return rule_label(self.rule)

    def as_dict(self) -> dict:
        data = {"rule": self.rule, "severity": self.severity, "message": self.message}
        if self.matches:
            data["matches"] = [m.as_dict() for m in self.matches]
        return data


def finding(rule: str, key: str | None = None, *, matches=(), severity: str = "", **params) -> Finding:
    return Finding(rule=rule, message_key=key or rule, params=params, matches=tuple(matches), severity=severity)


@dataclass
class CheckResult:
    name: str
    pinyin: str
    findings: list[Finding]
    # What the check judged and the registry's revisions when it did (``check_name`` sets
    # it; None when it may not be reused): lets a service take a check already made
    # instead of judging the same name again (``judged``).
    basis: tuple | None = field(default=None, compare=False, repr=False)

    @property
    def ok(self) -> bool:
        return not any(f.is_error for f in self.findings)

    @property
    def level(self) -> str:
        return summarize(self.findings)[0]

    @property
    def errors(self) -> list[Finding]:
        """The findings that block (severity error), in the check's order."""
        return [f for f in self.findings if f.is_error]

    def rules(self) -> list[str]:
        return sorted({f.rule for f in self.findings})

    def summary(self) -> tuple[str, str]:
        """(worst severity, rule codes) as stored on a place; see ``summarize``."""
        return summarize(self.findings)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "pinyin": self.pinyin,
            "ok": self.ok,
            "findings": [f.as_dict() for f in self.findings],
        }
