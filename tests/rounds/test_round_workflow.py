"""A round through the workflow: checks item by item, item steps, one decision applied at once."""

import datetime as dt

import pytest

from registry.exceptions import Conflict, TransitionNotAllowed
from registry.models import Place, RoundAnnouncement
from registry.services.rounds import round_item_step, round_transition
from tests.rounds.conftest import today


def rules(round_, position):
    return {f["rule"] for f in round_.items.get(position=position).findings}


def walk(round_, users, *steps):
    actors = {"submit": "clerk", "start_review": "reviewer", "start_notice": "reviewer", "approve": "approver"}
    for step in steps:
        round_ = round_transition(round_=round_, transition=step, acting_user=users[actors[step]])
    return round_


def test_checks_flag_items_inside_the_round(round30, users):
    walk(round30, users, "submit")
    assert "DUPLICATE" in rules(round30, 11) and "DUPLICATE" in rules(round30, 10)
    assert "HOMOPHONE" in rules(round30, 12) and "HOMOPHONE" in rules(round30, 13)
    assert "SERIES_GAP" in rules(round30, 1) and "SERIES_GAP" in rules(round30, 9)
    assert not rules(round30, 15) - {"HOMOPHONE", "SIMILAR"}
    assert round30.items.get(position=11).check_level == "error"


def test_four_eyes_and_roles_hold_for_rounds(round30, users):
    with pytest.raises(TransitionNotAllowed):
        round_transition(round_=round30, transition="submit", acting_user=users["reviewer"])
    walk(round30, users, "submit", "start_review", "start_notice")
    with pytest.raises(TransitionNotAllowed):
        round_transition(
            round_=round30,
            transition="approve",
            acting_user=users["clerk"],
            authority="x",
            document_number="y",
            decided_on=today(),
        )


def _decide(round30, users, **extra):
    return round_transition(
        round_=round30,
        transition="approve",
        acting_user=users["approver"],
        authority="合肥市人民政府",
        document_number="合政秘〔2026〕9号",
        decided_on=today(),
        **extra,
    )


def test_errors_need_their_own_override(round30, users):
    walk(round30, users, "submit", "start_review", "start_notice")
    with pytest.raises(Conflict, match="11"):
        _decide(round30, users)
    assert not RoundAnnouncement.objects.exists()


def test_approval_applies_the_approved_items_at_once(round30, users, places):
    walk(round30, users, "submit", "start_review", "start_notice")
    round_item_step(
        item=round30.items.get(position=11), step="withdraw", acting_user=users["reviewer"], reason="与第10项重名"
    )
    round_item_step(item=round30.items.get(position=20), step="defer", acting_user=users["reviewer"])
    before = Place.objects.count()
    round30 = _decide(round30, users)
    assert round30.state == "approved"
    approved = round30.items.filter(outcome="approved")
    assert approved.count() == 28
    assert Place.objects.count() == before + 24
    renamed = Place.objects.get(pk=places["旧甲路"].pk)
    assert renamed.name == "青檀路" and renamed.names.get(name="青檀路").decision_document == "合政秘〔2026〕9号"
    assert Place.objects.get(pk=places["废丙路"].pk).status == "retired"
    assert not Place.objects.filter(name="海棠路").exists()  # the deferred item (20)
    announcement = round30.announcement
    assert announcement.number.endswith("号")


def test_failure_midway_changes_nothing(round30, users, monkeypatch):
    from registry.services import round_apply

    walk(round30, users, "submit", "start_review", "start_notice")
    round_item_step(item=round30.items.get(position=11), step="withdraw", acting_user=users["reviewer"])
    real, calls = round_apply._apply_item, []

    def failing(round_, item, user, announced_on):
        calls.append(item.position)
        if len(calls) == 15:
            raise RuntimeError("injected")
        return real(round_, item, user, announced_on)

    monkeypatch.setattr(round_apply, "_apply_item", failing)
    places_before, names = Place.objects.count(), sorted(Place.objects.values_list("name", flat=True))
    with pytest.raises(RuntimeError):
        _decide(round30, users)
    assert len(calls) == 15
    assert Place.objects.count() == places_before
    assert sorted(Place.objects.values_list("name", flat=True)) == names
    round30.refresh_from_db()
    assert round30.state == "public_notice" and not round30.items.filter(outcome="approved").exists()
    assert not RoundAnnouncement.objects.exists()
    assert dt.date.today()
