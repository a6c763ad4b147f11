"""A large import takes the parallel path: names judged in forked workers while places and
names are written, places published with their findings. Its results must be exactly
those of a registry-wide audit of the same places afterwards (the same judge, the same
set of names to compare with)."""

import csv

import pytest

from benchmarks.corpus import corpus
from registry.importers.places import import_places
from registry.models import Place, PlaceName
from registry.validation.audit import audit_places
from registry.workers import MIN_ITEMS

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_parallel_import_finds_what_an_audit_finds(tmp_path, monkeypatch):
    import registry.workers

    forks = []
    get_context = registry.workers.multiprocessing.get_context
    monkeypatch.setattr(registry.workers.multiprocessing, "get_context", lambda *a: forks.append(a) or get_context(*a))
    size = 3 * MIN_ITEMS
    path = tmp_path / "census.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name", "category", "division", "former_names"])
        for i, (name, category, division) in enumerate(corpus(size, seed=7)):
            writer.writerow([name, category, division, f"旧{name}||2000" if i % 10 == 0 else ""])

    result = import_places(path, workers=2, legacy=True)  # a census: names that exist, rule-breakers too

    assert result.ok and result.created == size
    assert len(forks) == 2  # romanizing and judging both ran in forked workers
    assert Place.objects.count() == size and Place.history.count() == size
    assert PlaceName.objects.count() == size + size // 10 == PlaceName.history.count()
    stored = dict(Place.objects.values_list("pk", "finding_rules"))
    total, audited = audit_places(workers=2)
    found = {a.pk: ",".join(sorted({f.rule for f in a.findings})) for a in audited}
    assert total == size and found == stored
    flagged = {line for line, _name, _findings in result.flagged}
    assert len(flagged) == len(result.flagged) == Place.objects.filter(finding_level="error").count()
    assert sum(1 for rules in stored.values() if "SIMILAR" in rules) > 100  # the corpus is dense: a real test
    assert sum(1 for rules in stored.values() if "DUPLICATE" in rules) > 100
