"""The findings summary of many places written in one transaction, recorded after the last write.

``places.record_findings`` judges a place's current name right after each write. A
round's approval writes a thousand places in one transaction: judged one by one, each
check re-read every row the transaction had written so far (its pending rows, n² rows
for the round) and saw only the items applied before it. Inside ``deferred()`` the
places are collected instead, and on leaving the block each is judged once against the
registry with every item applied, the transaction's rows read once
(``similarity.pending_frozen``), and the summaries written with one UPDATE per distinct summary. The summary is
derived (no audit entry, no revision), as ``record_findings`` writes it.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from contextlib import contextmanager

from registry.models import Place

_local = threading.local()


def defer(place: Place) -> bool:
    """Queue ``place`` if a ``deferred()`` block is open (True), else leave it to the caller."""
    queued = getattr(_local, "queued", None)
    if queued is None:
        return False
    queued[place.pk] = place
    return True


@contextmanager
def deferred():
    """Collect the places ``record_findings`` is given, and record them all when the block ends."""
    if getattr(_local, "queued", None) is not None:
        yield  # an outer block records them
        return
    _local.queued = {}
    try:
        yield
        queued = list(_local.queued.values())
    finally:
        _local.queued = None
    record_all(queued)


def record_all(places: list[Place]) -> None:
    """Judge each place's current name and store its summary (one UPDATE per 500 places)."""
    from registry.validation import check_name
    from registry.validation.comparisons import prefetch_exact
    from registry.validation.similarity import pending_frozen

    # Read again as written: a place queued by one write may have been saved again since.
    places = list(Place.objects.select_related("division").filter(pk__in=[p.pk for p in places]).order_by("pk"))
    groups: dict[tuple, list[int]] = defaultdict(list)
    with pending_frozen():
        prefetch_exact((place.name, place.category) for place in places)
        for place in places:
            result = check_name(place.name, place.category, place=place, pinyin=place.pinyin)
            groups[result.summary()].append(place.pk)
    # One UPDATE per distinct summary (a handful), not one per place or a thousand-way CASE.
    for (level, rules), pks in groups.items():
        for start in range(0, len(pks), 500):
            Place.objects.filter(pk__in=pks[start : start + 500]).update(finding_level=level, finding_rules=rules)
