"""A killed export leaves the previous export at its path byte for byte, and no litter for long.

``manage.py export_places`` writes a temporary file beside its target and renames it
over the target at the end (issue #12 found a killed export truncating the file in
place). Here a registry of 1,500 places is exported, then exported again and killed
once the temporary file has data in it: by SIGTERM (the export unwinds and removes its
temporary file) and by SIGKILL (nothing can clean up; the next export to that path
removes what the killed one left). The previous file is untouched each time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.faults.conftest import PYTHON, ROOT, manage, server_env

PLACES = 1_500


@pytest.fixture
def registry(fresh_db, tmp_path):
    sys.path.insert(0, str(ROOT))
    from benchmarks.importer import write_csv

    census = tmp_path / "census.csv"
    write_csv(census, PLACES)
    manage(fresh_db, "import_places", str(census), "--legacy")
    return fresh_db


def litter(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def killed_export(db, target, signum) -> None:
    """Start an export to ``target``, wait until its temporary file holds data, then send ``signum``."""
    before = set(litter(target.parent))
    process = subprocess.Popen(
        [PYTHON, "manage.py", "export_places", str(target)],
        cwd=ROOT,
        env=server_env(db),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    end = time.monotonic() + 60
    while not any((target.parent / name).stat().st_size > 0 for name in set(litter(target.parent)) - before):
        assert process.poll() is None and time.monotonic() < end, "the export ended before it could be killed"
        time.sleep(0.01)
    process.send_signal(signum)
    assert process.wait(timeout=30) in (-signum, 128 + signum)


def test_a_killed_export_leaves_the_previous_file_and_its_litter_is_removed(registry, tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "registry.csv"
    manage(registry, "export_places", str(target))
    previous = target.read_bytes()
    assert previous.count(b"\n") == PLACES + 1 and litter(folder) == []

    killed_export(registry, target, signal.SIGTERM)
    assert target.read_bytes() == previous
    assert litter(folder) == [], "SIGTERM: the export removes its own temporary file"

    killed_export(registry, target, signal.SIGKILL)
    assert target.read_bytes() == previous
    assert len(litter(folder)) == 1, "SIGKILL: nothing could clean up"

    # A file that only looks like an export's temporary file, and a running export's, stay.
    (folder / f".registry.csv.{os.getpid()}-feedbeef.part").write_text("a running export's")
    (folder / "notes.part").write_text("not ours")
    manage(registry, "export_places", str(target))
    assert target.read_bytes() == previous
    assert litter(folder) == sorted([f".registry.csv.{os.getpid()}-feedbeef.part", "notes.part"])
