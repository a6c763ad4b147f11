"""A round's new places are written at once (``place_batches.places_create``): the same rows and audit trail.

The approval used to create each new place with its own ``place_create`` (ten queries a
place); it now writes them in batches. These tests pin that the batch writes what one
``place_create`` each wrote (the places, their official names and every history row),
refuses what it refused, and that the approval's audit trail is unchanged: the history
rows of a round approval by model, type, reason and user, counted as the one-by-one
path left them.
"""

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from registry.models import Division, Place, PlaceName, Round, RoundAnnouncement, RoundEvent, RoundItem
from registry.services import place_batches
from registry.services.place_batches import places_create
from registry.services.places import place_create
from registry.services.rounds import round_item_step, round_transition
from tests.rounds.conftest import today

HISTORY = {
    "place": Place.history.model,
    "name": PlaceName.history.model,
    "item": RoundItem.history.model,
    "round": Round.history.model,
}
SKIPPED = {"id", "place", "history_id", "history_date", "created_at", "updated_at"}


def _entries(division, decided_on):
    return [
        {
            "name": "琥珀山路",
            "category": "road",
            "division": division,
            "code": "340104R00901",
            "named_on": decided_on,
            "decision_document": "合政秘〔2026〕9号",
            "decision_date": decided_on,
            "approval_authority": "合肥市人民政府",
            "details": {"start": "甲", "end": "乙"},
        },
        {
            "name": "南淝河",
            "category": "water",
            "division": division,
            "pinyin": "Nánféi Hé",
            "longitude": "117.2912345",
            "latitude": "31.8612345",
            "named_on": "2026",
            "name_source": "基准",
        },
        {
            "name": "十五里河大桥",
            "category": "bridge",
            "division": division,
            "geometry": {"type": "LineString", "coordinates": [[117.25, 31.78], [117.26, 31.79]]},
            "origin": "跨十五里河",
        },
    ]


def _row(obj, model) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields if f.name not in SKIPPED} | {
        "place_code": obj.place.code if hasattr(obj, "place_id") and model is not Place else None
    }


def _written(first: dict) -> dict:
    """Every row of places, names and their history written after the primary keys in ``first``."""
    return {
        "places": [_row(p, Place) for p in Place.objects.filter(pk__gt=first["place"]).order_by("code")],
        "names": [_row(n, PlaceName) for n in PlaceName.objects.filter(pk__gt=first["name"]).order_by("name")],
        "place history": [
            _row(h, HISTORY["place"])
            for h in HISTORY["place"].objects.filter(history_id__gt=first["place_h"]).order_by("code")
        ],
        "name history": [
            _row(h, HISTORY["name"])
            for h in HISTORY["name"].objects.filter(history_id__gt=first["name_h"]).order_by("name")
        ],
    }


def _marks() -> dict:
    def last(query, key="pk"):
        return query.order_by(f"-{key}").values_list(key, flat=True).first() or 0

    return {
        "place": last(Place.objects),
        "name": last(PlaceName.objects),
        "place_h": last(HISTORY["place"].objects, "history_id"),
        "name_h": last(HISTORY["name"].objects, "history_id"),
    }


def test_the_batch_writes_what_one_place_create_each_writes(users):
    division = Division.objects.get(code="340104")
    entries, user = _entries(division, today()), users["approver"]
    first = _marks()
    with transaction.atomic():
        for entry in entries:
            place_create(acting_user=user, **entry)
        one_by_one = _written(first)
        transaction.set_rollback(True)  # the same registry again for the batch: the same codes
    places_create(entries, acting_user=user)
    batched = _written(first)
    assert len(batched["places"]) == len(batched["names"]) == len(batched["place history"]) == 3
    assert len(batched["name history"]) == 3
    assert batched == one_by_one
    history = HISTORY["place"].objects.filter(history_id__gt=first["place_h"])
    assert {(h.history_type, h.history_change_reason, h.history_user_id) for h in history} == {("+", "create", user.pk)}
    assert Place.objects.get(name="十五里河大桥").geometry_west == 117.25  # the envelope, as save() keeps it


GOOD = {"name": "习友路", "category": "road"}


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"name": "潜山路", "category": "road", "code": "340104R00001"}, "code"),  # taken by GOOD's place
        ({"name": "潜山路", "category": "road", "code": "3401 R"}, None),  # a message without a field
        ({"name": "潜山路", "category": "road", "status": "retired"}, "status"),
        ({"name": "潜山路", "category": "road", "longitude": "117.2"}, "latitude"),
        ({"name": "潜山路", "category": "road", "longitude": "2.3", "latitude": "48.8"}, "longitude"),
        ({"name": "  ", "category": "road"}, "name"),
        ({"name": "潜山路", "category": "road", "details": {"lanes": "many"}}, "details"),
    ],
)
def test_the_batch_refuses_what_place_create_refuses_and_writes_nothing(users, bad, field):
    division = Division.objects.get(code="340104")
    place_create(division=division, code="340104R00001", **GOOD)
    first = _marks()
    with pytest.raises(ValidationError) as single:
        place_create(division=division, **bad)
    with pytest.raises(ValidationError) as batch:
        places_create([{"division": division, "name": "望江西路", "category": "road"}, {"division": division, **bad}])
    assert single.value.messages == batch.value.messages
    assert getattr(single.value, "error_dict", {}).keys() == getattr(batch.value, "error_dict", {}).keys()
    assert field is None or field in batch.value.message_dict
    assert _written(first) == {"places": [], "names": [], "place history": [], "name history": []}


def test_a_code_given_twice_in_one_batch_is_refused(users):
    division = Division.objects.get(code="340104")
    entries = [{"name": n, "category": "road", "division": division, "code": "340104R00777"} for n in ("甲路", "乙路")]
    with pytest.raises(ValidationError, match="340104R00777"):
        places_create(entries)
    assert not Place.objects.filter(code="340104R00777").exists()


def _decide(round_, users, before_approval=None):
    actors = {"submit": "clerk", "start_review": "reviewer", "start_notice": "reviewer"}
    for step, role in actors.items():
        round_ = round_transition(round_=round_, transition=step, acting_user=users[role])
    round_item_step(item=round_.items.get(position=11), step="withdraw", acting_user=users["reviewer"])
    round_item_step(item=round_.items.get(position=20), step="defer", acting_user=users["reviewer"])
    if before_approval is not None:
        before_approval.update(_last_history())
    return round_transition(
        round_=round_,
        transition="approve",
        acting_user=users["approver"],
        authority="合肥市人民政府",
        document_number="合政秘〔2026〕9号",
        decided_on=today(),
    )


# The history rows a round30 approval (24 new roads, 2 renames, 2 retirements; item 11
# withdrawn, 20 deferred) wrote on the one-by-one path, before the batch, as measured on it:
# (model, type, change reason, user) -> count. The "check" row is the approval's re-check
# of an item whose findings changed (stored without a user, as before).
APPROVAL_HISTORY = {
    ("item", "~", "approve", "approver"): 28,
    ("item", "~", "check", None): 1,
    ("name", "+", "create", "approver"): 24,
    ("name", "+", "rename: opened", "approver"): 2,
    ("name", "~", "rename: closed", "approver"): 2,
    ("name", "~", "retire: closed", "approver"): 2,
    ("place", "+", "create", "approver"): 24,
    ("place", "~", "approval", "approver"): 2,
    ("place", "~", "rename", "approver"): 2,
    ("place", "~", "retire", "approver"): 2,
    ("round", "~", "approve", "approver"): 1,
}


def _last_history() -> dict:
    return {
        key: model.objects.order_by("-history_id").values_list("history_id", flat=True).first() or 0
        for key, model in HISTORY.items()
    }


def test_the_approval_leaves_the_audit_trail_the_one_by_one_path_left(round30, users):
    round30 = _decide(round30, users, before_approval=(marks := {}))
    written = Counter()
    for key, model in HISTORY.items():
        for row in model.objects.filter(history_id__gt=marks[key]).select_related("history_user"):
            user = row.history_user.username if row.history_user else None
            written[(key, row.history_type, row.history_change_reason, user)] += 1
    assert dict(written) == APPROVAL_HISTORY
    approved = list(round30.items.filter(outcome="approved").select_related("place"))
    assert len(approved) == 28 and RoundEvent.objects.filter(round=round30, transition="apply").count() == 28
    for item in approved:
        event = RoundEvent.objects.get(round=round30, item=item, transition="apply")
        assert event.actor == users["approver"] and item.place.code in event.note
        # The round's document on every name it opened or closed (a retired name's in its note).
        assert any("合政秘〔2026〕9号" in n.decision_document + n.note for n in item.place.names.all()), item.position
        if item.action == "name":
            place_history = item.place.history.get()
            assert (place_history.code, place_history.name, place_history.approval_document) == (
                item.place.code,
                item.name,
                "合政秘〔2026〕9号",
            )
            official = item.place.names.get(decision_document="合政秘〔2026〕9号")
            assert (official.valid_from, official.revision) == (round30.decided_on.isoformat(), item.place.revision)
            assert official.history.get().history_user == users["approver"]
    assert RoundAnnouncement.objects.get(round=round30).document_number == "合政秘〔2026〕9号"


def test_a_failure_while_writing_the_new_names_changes_nothing(round30, users, monkeypatch):
    real, calls = place_batches.bulk_create_with_history, []

    def failing(objs, model, **kwargs):
        calls.append(model)
        if model is PlaceName:  # the places are written already, in the approval's transaction
            raise RuntimeError("injected")
        return real(objs, model, **kwargs)

    monkeypatch.setattr(place_batches, "bulk_create_with_history", failing)
    before = (Place.objects.count(), PlaceName.objects.count(), HISTORY["place"].objects.count())
    with pytest.raises(RuntimeError):
        _decide(round30, users)
    assert calls == [Place, PlaceName]
    assert (Place.objects.count(), PlaceName.objects.count(), HISTORY["place"].objects.count()) == before
    round30.refresh_from_db()
    assert round30.state == "public_notice" and not round30.items.filter(outcome="approved").exists()
