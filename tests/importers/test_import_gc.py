"""The importer tunes the garbage collector only in a process of its own (issue #17 item 3).

``gc.disable()`` and ``gc.freeze()`` act on the whole process: in the command (or a forked
worker) that is the import alone, in the admin's web worker it is every request it serves.
So an import from the admin leaves the collector as it is, the command switches it off
for the reading and freezes before the workers fork, and a forked worker freezes what it
inherited. The work and its state reach the workers as a ``workers.Job``.
"""

import gc
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from registry import workers
from registry.importers import planning
from registry.models import Place

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


@pytest.fixture
def collector(monkeypatch):
    """The calls to ``gc.disable``/``gc.freeze``, and the collector's state while the names are judged."""
    seen = {"calls": [], "while_judging": []}
    for name in ("disable", "freeze"):
        real = getattr(gc, name)
        monkeypatch.setattr(gc, name, lambda real=real, name=name: seen["calls"].append(name) or real())
    collect = planning.collect

    def observed(*args, **kwargs):
        seen["while_judging"].append((gc.isenabled(), gc.get_freeze_count()))
        return collect(*args, **kwargs)

    monkeypatch.setattr(planning, "collect", observed)
    before = (gc.isenabled(), gc.get_freeze_count())
    yield seen
    assert (gc.isenabled(), gc.get_freeze_count()) == before  # left as found, whoever ran the import


def test_an_import_in_the_admin_leaves_the_web_workers_collector_alone(admin_client, collector):
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    for options in ({"dry_run": "on"}, {}):
        response = admin_client.post(
            reverse("admin:registry_place_import"),
            {"file": SimpleUploadedFile("good_gbk.csv", (DATA / "good_gbk.csv").read_bytes()), **options},
        )
        assert response.status_code == 200
    assert Place.objects.count() == 3
    assert collector["calls"] == []
    assert collector["while_judging"] == [(True, frozen), (True, frozen)]


def test_the_command_keeps_the_collector_off_the_rows_in_its_own_process(db, collector):
    call_command("import_places", str(DATA / "good_gbk.csv"), verbosity=0)
    assert Place.objects.count() == 3
    assert collector["calls"] == ["disable", "freeze"]
    assert [enabled for enabled, _frozen in collector["while_judging"]] == [True]  # enabled again after the freeze


def _collector_state(state, chunk):
    frozen = gc.get_freeze_count() > 0  # it counts the frozen objects one by one: once a chunk
    return [(state["tag"], frozen)] * len(chunk)


@pytest.mark.parametrize("count,forked", [(workers.MIN_ITEMS, True), (10, False)])
def test_a_job_brings_its_state_and_a_forked_worker_freezes_what_it_inherited(count, forked):
    frozen = gc.get_freeze_count()
    job = workers.Job(_collector_state, list(range(count)), {"tag": "handed"})
    results = list(workers.map_chunks(job, workers=2))
    assert results == [("handed", forked or frozen > 0)] * count
    assert gc.get_freeze_count() == frozen  # this process's collector: unchanged
