"""The word lists as a matcher, cached per process and rebuilt when staff edit them.

Each check reads the ``lexicon`` revision (one small query); when it moved, the
matcher is rebuilt from the tables, so an edit in the admin takes effect on the next
check in every process, without a restart. Matching is by substring over the name,
term lengths bucketed, so a 20,000-character name costs milliseconds, not minutes.
An ``ambiguous`` term (绿地, 新城, 死 …) is flagged only when it is the whole specific.
"""

from __future__ import annotations

import csv
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from registry.models import AllowListEntry, WordListEntry

DATA_DIR = Path(__file__).resolve().parent / "data"
WORD_LIST_RULES = {
    "exaggerated": "EXAGGERATED",
    "foreign": "FOREIGN",
    "feudal": "FEUDAL",
    "vulgar": "VULGAR",
    "commercial": "COMMERCIAL",
    "person": "PERSON_NAME",
}
WORD_LIST_RULE_CODES = frozenset(WORD_LIST_RULES.values())


@dataclass(frozen=True)
class Term:
    rule: str
    term: str
    severity: str
    kind: str
    ambiguous: bool


@dataclass(frozen=True)
class Hit:
    term: Term
    start: int


class Lexicon:
    def __init__(self, entries: list[Term], allow: dict[str, frozenset[str]]):
        self.by_length: dict[int, dict[str, list[Term]]] = {}
        for entry in entries:
            self.by_length.setdefault(len(entry.term), {}).setdefault(entry.term, []).append(entry)
        self.lengths = sorted(self.by_length, reverse=True)
        self.allow = allow

    def scan(self, text: str) -> list[Hit]:
        """Every list term occurring in ``text``, longest first."""
        hits: list[Hit] = []
        for length in self.lengths:
            bucket = self.by_length[length]
            for start in range(len(text) - length + 1):
                for term in bucket.get(text[start : start + length], ()):
                    hits.append(Hit(term, start))
        return hits

    def allowed_rules(self, name: str, term: str) -> frozenset[str]:
        """Rules that an approved exception switches off for ``name`` (or for the matched term).

        "*" stands for every word-list rule; other rule codes (GENERIC_MISMATCH for a
        thousand-year village called …老街) may be named one by one.
        """
        rules = self.allow.get(name, frozenset()) | (self.allow.get(term, frozenset()) if term else frozenset())
        return (rules - {"*"}) | WORD_LIST_RULE_CODES if "*" in rules else rules


_lock = threading.Lock()
_cached: tuple[int, Lexicon] | None = None


def _build() -> Lexicon:
    entries = [
        Term(WORD_LIST_RULES[w], t, s, k, a)
        for w, t, s, k, a in WordListEntry.objects.filter(active=True).values_list(
            "word_list", "term", "severity", "kind", "ambiguous"
        )
    ]
    allow = {entry.term: entry.rule_set() for entry in AllowListEntry.objects.filter(active=True)}
    return Lexicon(entries, allow)


def get_lexicon(revision: int) -> Lexicon:
    """The matcher for the given ``lexicon`` revision, rebuilt when the revision moved.

    A matcher built inside a transaction that edited the word lists is not cached: the
    edits may never be committed, and caching them under a revision number that a
    rollback hands out again would serve a matcher for data that does not exist.
    """
    global _cached
    from registry import freshness

    with _lock:
        if _cached is not None and _cached[0] == revision:
            return _cached[1]
    lexicon = _build()
    if not freshness.written(freshness.LEXICON):
        with _lock:
            _cached = (revision, lexicon)
    return lexicon


@cache
def transliteration_weights() -> dict[str, float]:
    """Characters typical of transliterations, with how strongly each suggests one."""
    with open(DATA_DIR / "foreign_chars.tsv", encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    return {row["term"]: float(row["weight"]) for row in csv.DictReader(lines, delimiter="\t")}
