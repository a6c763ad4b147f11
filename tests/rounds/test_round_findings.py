"""A round's approval records every new place's findings once all its items are applied (issue #13's speed)."""

import pytest
from django.db import transaction

from registry import freshness
from registry.models import Division, Place
from registry.services import place_findings
from registry.services.places import place_create
from registry.services.rounds import round_item_step
from registry.validation import check_name
from registry.validation import similarity
from tests.rounds.test_round_workflow import _decide, walk


def test_each_new_place_gets_the_findings_of_the_registry_after_the_round(round30, users):
    walk(round30, users, "submit", "start_review", "start_notice")
    round_item_step(item=round30.items.get(position=11), step="withdraw", acting_user=users["reviewer"])
    round_item_step(item=round30.items.get(position=20), step="defer", acting_user=users["reviewer"])
    _decide(round30, users)
    made = Place.objects.filter(pk__in=round30.items.filter(outcome="approved").values("place"))
    assert made.count() == 28
    for place in made:  # as record_findings would judge each place now, with every item applied
        assert (place.finding_level, place.finding_rules) == check_name(
            place.name, place.category, place=place
        ).summary()
    # 竹林路 and 竹琳路 (items 12, 13) sound alike: both are flagged, not only the later one.
    assert all("HOMOPHONE" in Place.objects.get(name=name).finding_rules for name in ("竹林路", "竹琳路"))


def test_a_failure_while_recording_the_findings_changes_nothing(round30, users, monkeypatch):
    walk(round30, users, "submit", "start_review", "start_notice")
    round_item_step(item=round30.items.get(position=11), step="withdraw", acting_user=users["reviewer"])
    before = Place.objects.count()

    def failing(places):
        raise RuntimeError("injected")

    monkeypatch.setattr(place_findings, "record_all", failing)
    with pytest.raises(RuntimeError):
        _decide(round30, users)
    assert Place.objects.count() == before
    round30.refresh_from_db()
    assert round30.state == "public_notice" and not round30.items.filter(outcome="approved").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pending_rows_are_read_once_inside_the_frozen_block(django_assert_max_num_queries):
    division = Division.objects.get(code="340104")
    with transaction.atomic():
        place_create(name="甲乙路", category="road", division=division)
        revision = freshness.lock()
        outside = [similarity.get_index(revision)[1] for _ in range(3)]
        assert all(any(row[2] == "甲乙路" for row in rows) for rows in outside)
        with similarity.pending_frozen():
            with django_assert_max_num_queries(1):
                inside = [similarity.get_index(revision)[1] for _ in range(5)]
        assert inside == [outside[0]] * 5
        # After the block each check reads them again, seeing a later write.
        place_create(name="丙丁路", category="road", division=division)
        assert any(row[2] == "丙丁路" for row in similarity.get_index(revision)[1])


def test_new_places_get_consecutive_codes_in_item_order(round30, users):
    from registry.models import CodeCounter

    walk(round30, users, "submit", "start_review", "start_notice")
    round_item_step(item=round30.items.get(position=11), step="withdraw", acting_user=users["reviewer"])
    _decide(round30, users)
    made = [i.place.code for i in round30.items.filter(outcome="approved", action="name").order_by("position")]
    serials = [int(code[-5:]) for code in made]
    assert len(made) == 25 and serials == list(range(serials[0], serials[0] + 25))
    assert CodeCounter.objects.get(prefix=made[0][:7]).last == serials[-1]
