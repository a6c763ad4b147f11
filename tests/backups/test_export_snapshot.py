"""An export reads one consistent snapshot: every row it writes comes from one transaction.

Names are prefetched per chunk after their places; outside one transaction a rename
committed in between would make a ``name`` differ from its open official name.
"""

from __future__ import annotations

import pytest
from django.db import connection

from registry.importers import export
from registry.services.heritage import heritage_listing_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def transaction_seen() -> str:
    """What the reading code sees: on PostgreSQL the isolation level, on SQLite whether a transaction is open."""
    if connection.vendor == "postgresql":
        assert connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("SHOW transaction_isolation")
            return cursor.fetchone()[0]
    return "open" if connection.connection.in_transaction else "autocommit"


EXPECTED = "repeatable read" if connection.vendor == "postgresql" else "open"


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "geojson"])
def test_export_places_reads_inside_one_snapshot(make_place, tmp_path, monkeypatch, fmt):
    for _ in range(3):
        make_place()
    seen = []
    original = export._places

    def watched(chunk: int = 2):  # small chunks: names are prefetched three times
        for place in original(chunk):
            seen.append(transaction_seen())
            yield place

    monkeypatch.setattr(export, "_places", watched)
    assert export.export_places(tmp_path / f"places.{fmt}") == 3
    assert seen == [EXPECTED] * 3
    if connection.vendor == "sqlite":
        assert not connection.connection.in_transaction, "the read transaction ends with the export"


def test_export_heritage_reads_inside_one_snapshot(make_place, tmp_path, monkeypatch):
    heritage_listing_create(place=make_place(), scheme="other", level="municipal", in_use_since=-484)
    seen = []
    original = export._listing_row

    def watched(listing):
        seen.append(transaction_seen())
        return original(listing)

    monkeypatch.setattr(export, "_listing_row", watched)
    assert export.export_heritage(tmp_path / "heritage.csv") == 1
    assert seen == [EXPECTED]


def test_a_failed_export_ends_its_read_transaction(make_place, tmp_path, monkeypatch):
    make_place()

    def broken(chunk: int = 2000):
        raise OSError("disk full")
        yield

    monkeypatch.setattr(export, "_places", broken)
    with pytest.raises(OSError):
        export.export_places(tmp_path / "places.csv")
    if connection.vendor == "sqlite":
        assert not connection.connection.in_transaction
    assert not connection.in_atomic_block
