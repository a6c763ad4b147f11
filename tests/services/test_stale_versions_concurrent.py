"""Two saves of one place from the same version, at the same moment, each on its own connection:
exactly one is written, the other is refused with what changed (issue #12, reliability 8).

On PostgreSQL the registry's revision row and the place's row are locked, so the second is judged
after the first commits. SQLite serializes every writer by design (and the test database, in
memory, refuses a second connection's write outright), so the race cannot arise there.
"""

import threading

import pytest
from django.conf import settings as django_settings
from django.db import connection

from registry.models import Division, Place
from registry.services.place_versions import StaleVersion, version_of
from registry.services.places import place_create, place_update

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs PostgreSQL (real row locks across connections); CI runs it there",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_saves_from_one_version_at_once_one_wins(django_user_model):
    place = place_create(name="和平路", category="road", division=Division.objects.get(code="340111"))
    seen = version_of(place)
    barrier = threading.Barrier(2)
    outcomes = []

    def save(note):
        try:
            barrier.wait()
            place_update(place=Place.objects.get(pk=place.pk), note=note, expected_version=seen)
            outcomes.append(("ok", note))
        except StaleVersion as exc:
            outcomes.append(("refused", " ".join(exc.messages)))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(note,)) for note in ("甲的备注", "乙的备注")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    winner = next(note for kind, note in outcomes if kind == "ok")
    refusal = next(text for kind, text in outcomes if kind == "refused")
    assert Place.objects.get(pk=place.pk).note == winner
    assert "备注" in refusal  # what the winner changed (the threads speak the site language)
