"""Registry-wide audit: every active place's name judged, for a clean-up campaign.

The same ``judge`` as a single check, with batch economies: DUPLICATE, HOMOPHONE and
SIMILAR come from in-memory groups of every active place built in one pass over the
registry (``batch.Comparisons``) instead of indexed queries per place. Results stream
out place by place.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from registry.choices import PlaceStatus
from registry.models import Place
from registry.freshness import snapshot
from registry.validation.batch import Comparisons, Entry
from registry.validation.findings import Finding, summarize
from registry.validation.lexicon import get_lexicon
from registry.workers import Job, map_chunks


@dataclass(frozen=True)
class AuditedPlace:
    pk: int
    code: str
    name: str
    category: str
    findings: list[Finding]

    @property
    def level(self) -> str:
        return summarize(self.findings)[0]

    def summary(self) -> tuple[str, str]:
        """(worst severity, rule codes) as stored on the place; see ``findings.summarize``."""
        return summarize(self.findings)


@dataclass(frozen=True)
class _AuditState:
    """What the judging workers read: the word lists and the groups of every active place."""

    lexicon: object
    groups: Comparisons


def _judge_rows(state: _AuditState, rows: list[tuple]) -> list[AuditedPlace]:
    """Judge a chunk of places (in a worker process, or in this one)."""
    out = []
    for pk, code, name, category, division, pinyin, details in rows:
        findings = state.groups.judge(
            name, category, division_code=division, pk=pk, pinyin=pinyin, details=details, lexicon=state.lexicon
        )
        out.append(AuditedPlace(pk, code, name, category, findings))
    return out


def warm_models() -> None:
    """Train the transliteration model and load the native names before any fork."""
    from registry.validation.morphemes import native_names
    from registry.validation.translit_model import model

    model()
    native_names()


def audit_places(
    *, categories: list[str] | None = None, workers: int | None = None
) -> tuple[int, Iterator[AuditedPlace]]:
    """(number of places to audit, an iterator of their results).

    With more than one worker (default: the machine's cores) the places are judged in
    forked processes that share the in-memory groups and word lists copy-on-write; they
    never touch the database, whose connections are closed before forking.
    """
    lexicon = get_lexicon(snapshot().lexicon)
    warm_models()  # trained once here, shared by the forked workers copy-on-write
    active = Place.objects.filter(status=PlaceStatus.ACTIVE)
    groups = Comparisons(
        Entry.place(*row)
        for row in active.values_list(
            "pk", "code", "name", "category", "division_id", "name_key", "pinyin_key"
        ).iterator(chunk_size=10_000)
    )
    targets = active.filter(category__in=categories) if categories else active
    total = targets.count()
    rows = list(
        targets.order_by("code")
        .values_list("pk", "code", "name", "category", "division_id", "pinyin", "details")
        .iterator(chunk_size=5000)
    )
    return total, map_chunks(Job(_judge_rows, rows, _AuditState(lexicon, groups)), workers=workers)
