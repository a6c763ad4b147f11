"""Registry-wide audit: every active place's name judged, for a clean-up campaign.

The same ``judge`` as a single check, with batch economies: DUPLICATE and HOMOPHONE
come from in-memory groups built in one pass over the registry (instead of two indexed
queries per place), and SIMILAR from a deletion neighbourhood: two names are within
one edit (substitution, insertion, deletion or adjacent transposition) only if deleting
at most one character from each gives a common string, so grouping every name under
its one-character deletions finds all typo-like pairs exactly, without scoring
thousands of candidates per name. Results stream out place by place.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from registry.choices import PlaceStatus
from registry.models import Place
from registry.revisions import current
from registry.validation import judge
from rapidfuzz import fuzz

from registry.validation.comparisons import exact_from_rows, resembles, similar_finding
from registry.validation.conf import conf
from registry.validation.findings import Finding
from registry.validation.lexicon import get_lexicon
from registry.validation.normalize import name_key
from registry.validation.similarity import Candidate
from registry.workers import map_chunks


@dataclass(frozen=True)
class AuditedPlace:
    pk: int
    code: str
    name: str
    category: str
    findings: list[Finding]

    @property
    def level(self) -> str:
        if any(f.is_error for f in self.findings):
            return "error"
        return "warning" if self.findings else ""


def deletions(name: str) -> set[str]:
    """The name and every string one character shorter."""
    return {name} | {name[:i] + name[i + 1:] for i in range(len(name))}


class _Groups:
    """Active places grouped by comparison key, by pinyin key, by spelling, and their
    distinct spellings by one-character deletions.

    The deletion groups hold each spelling once, however many places bear it, so the
    typo test runs once per neighbouring spelling, not once per neighbouring place.
    """

    def __init__(self, rows):
        self.by_name = defaultdict(list)
        self.by_sound = defaultdict(list)
        self.by_spelling = defaultdict(list)
        self.by_deletion = defaultdict(list)
        for pk, code, name, category, division, key, sound in rows:
            entry = (pk, code, name, division, key, sound)
            self.by_name[(category, key)].append(entry)
            self.by_sound[(category, sound)].append(entry)
            places = self.by_spelling[(category, name)]
            if not places:
                for variant in deletions(name):
                    self.by_deletion[(category, variant)].append(name)
            places.append(entry)

    def similar(self, name: str, category: str, prefix: str, exclude_pk: int | None, reported: set[str]):
        cutoff = conf("SIMILAR_THRESHOLD")
        variants = deletions(name)
        scored = []
        for other in conf("COMPARE_WITH").get(category, (category,)):
            spellings = {s for v in variants for s in self.by_deletion.get((other, v), ())}
            spellings.discard(name)
            for spelling in spellings:
                score = fuzz.ratio(name, spelling)
                if score < cutoff or not resembles(name, spelling, category):
                    continue
                scored += [Candidate(e[0], e[1], e[2], score) for e in self.by_spelling[(other, spelling)]
                           if e[0] != exclude_pk and e[3].startswith(prefix) and e[1] not in reported]
        scored.sort(key=lambda c: (-c.score, c.code))
        return similar_finding(scored[: conf("MATCH_LIMIT")])

    def exact(self, name: str, category: str, prefix: str, exclude_pk: int | None, sound: str):
        key = name_key(name, category)
        found: dict[int, tuple] = {}
        for other in conf("COMPARE_WITH").get(category, (category,)):
            for entry in self.by_name.get((other, key), ()) + self.by_sound.get((other, sound), ()):
                if entry[0] != exclude_pk and entry[3].startswith(prefix):
                    found[entry[0]] = entry
        rows = sorted((e[1], e[2], e[4], e[5]) for e in found.values())
        return exact_from_rows(name, category, prefix, key, sound, rows)


_worker_state: dict = {}


def _judge_rows(rows: list[tuple]) -> list[AuditedPlace]:
    """Judge a chunk of places (in a worker process, or in this one)."""
    lexicon, groups = _worker_state["lexicon"], _worker_state["groups"]
    out = []
    for pk, code, name, category, division, pinyin, details in rows:
        findings = judge(
            name, category, division_code=division, exclude_pk=pk, pinyin=pinyin, details=details,
            lexicon=lexicon, exact=groups.exact, similar=groups.similar,
        )
        out.append(AuditedPlace(pk, code, name, category, findings))
    return out


def audit_places(*, categories: list[str] | None = None, workers: int | None = None) -> tuple[int, Iterator[AuditedPlace]]:
    """(number of places to audit, an iterator of their results).

    With more than one worker (default: the machine's cores) the places are judged in
    forked processes that share the in-memory groups and word lists copy-on-write; they
    never touch the database, whose connections are closed before forking.
    """
    revisions = current()
    _worker_state["lexicon"] = get_lexicon(revisions.get("lexicon", 0))
    active = Place.objects.filter(status=PlaceStatus.ACTIVE)
    _worker_state["groups"] = _Groups(
        active.values_list("pk", "code", "name", "category", "division_id", "name_key", "pinyin_key")
        .iterator(chunk_size=10_000)
    )
    targets = active.filter(category__in=categories) if categories else active
    total = targets.count()
    rows = list(targets.order_by("code").values_list(
        "pk", "code", "name", "category", "division_id", "pinyin", "details"
    ).iterator(chunk_size=5000))
    return total, map_chunks(_judge_rows, rows, workers=workers)
