"""Objections: who, how, when received, the text and contact; the reviewer's response;
none after the notice ended unless received within it; every one answered before
approval (issue #10 item 9)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from registry.exceptions import Conflict, InvalidTransition, TransitionNotAllowed
from registry.models import Announcement, Objection, Place, Proposal
from registry.services.proposals import objection_respond, proposal_transition
from tests.workflow.conftest import today

DECISION = {"authority": "合肥市人民政府", "document_number": "合政〔2026〕5号"}


@pytest.fixture
def noticed(walk, shushan):
    return walk(
        ["submit", "start_review", "start_notice"], action="name", name="习友路", category="road", division=shushan
    )


def ended_days_ago(proposal, days: int, length: int = 7) -> dt.date:
    """Move the notice into the past: it ended ``days`` ago after ``length`` days."""
    ends = timezone.now() - dt.timedelta(days=days)
    Proposal.objects.filter(pk=proposal.pk).update(
        notice_starts_at=ends - dt.timedelta(days=length), notice_ends_at=ends
    )
    return timezone.localdate(ends)


def record(proposal, user, **data):
    return proposal_transition(proposal=proposal, transition="object", acting_user=user, **data)


def test_an_objection_records_who_how_when_and_a_contact(noticed, users):
    record(
        noticed,
        users["reviewer"],
        text="附近已有同名道路",
        objector="王先生",
        channel="in_person",
        received_on=today(),
        contact="0551-12345678",
    )
    objection = Objection.objects.get()
    assert (objection.objector, objection.channel, objection.received_on, objection.contact, objection.response) == (
        "王先生",
        "in_person",
        timezone.localdate(),
        "0551-12345678",
        "",
    )
    assert objection.history.first().history_user == users["reviewer"]
    assert "In person" in noticed.events.last().note


def test_the_dashboard_query_counts_objections_without_a_response(noticed, users):
    record(noticed, users["reviewer"], text="一")
    record(noticed, users["reviewer"], text="二")
    objection_respond(objection=Objection.objects.first(), response="已答复", acting_user=users["reviewer"])
    assert Objection.objects.filter(response="").count() == 1


@pytest.mark.parametrize(
    "data,field",
    [
        ({"text": " "}, "text"),
        ({"text": "x", "channel": "pigeon"}, "channel"),
        ({"text": "x", "received_on": "2026-02-30"}, "received_on"),
        ({"text": "x", "objector": "名" * 101}, "objector"),
    ],
)
def test_a_bad_objection_is_refused_with_the_field(noticed, users, data, field):
    with pytest.raises(ValidationError) as exc:
        record(noticed, users["reviewer"], **data)
    assert field in exc.value.message_dict and not Objection.objects.exists()


def test_an_objection_received_after_the_notice_ended_is_refused_with_the_end_date(noticed, users):
    from django.utils import translation

    ended = ended_days_ago(noticed, 3)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        record(noticed, users["reviewer"], text="迟到的异议")
    assert exc.value.message_dict["received_on"] == [
        f"公示已于 {ended.isoformat()} 结束，此后收到的异议（{today()}）不能登记。"
    ]
    assert not Objection.objects.exists()


@pytest.mark.parametrize("offset", [0, 1, 7], ids=["the-last-day", "the-day-before", "the-first-day"])
def test_an_objection_received_within_the_notice_may_be_entered_after_it(noticed, users, offset):
    ended = ended_days_ago(noticed, 3)
    record(
        noticed,
        users["reviewer"],
        text="公示期内寄出的信",
        channel="letter",
        received_on=ended - dt.timedelta(days=offset),
    )
    assert Objection.objects.get().received_on == ended - dt.timedelta(days=offset)


@pytest.mark.parametrize("received", ["future", "before-the-notice"])
def test_an_objection_received_in_the_future_or_before_the_notice_is_refused(noticed, users, received):
    ended = ended_days_ago(noticed, 0, length=2)
    day = timezone.localdate() + dt.timedelta(days=1) if received == "future" else ended - dt.timedelta(days=5)
    with pytest.raises(ValidationError) as exc:
        record(noticed, users["reviewer"], text="x", received_on=day)
    assert "received_on" in exc.value.message_dict


def test_a_response_is_recorded_with_who_and_when_and_audited(noticed, users):
    record(noticed, users["reviewer"], text="反对")
    answered = objection_respond(
        objection=Objection.objects.get(),
        response="经核实无同名道路",
        acting_user=users["reviewer"],
        outcome="not_accepted",
    )
    assert (answered.response, answered.outcome, answered.responded_by) == (
        "经核实无同名道路",
        "not_accepted",
        users["reviewer"],
    )
    assert answered.responded_at is not None
    record_ = answered.history.first()
    assert (record_.history_user, record_.history_change_reason) == (users["reviewer"], "respond")
    event = noticed.events.last()
    assert (event.transition, event.actor) == ("respond", users["reviewer"]) and "经核实无同名道路" in event.note


def test_a_response_needs_text_a_reviewer_and_an_undecided_proposal(noticed, users):
    record(noticed, users["reviewer"], text="反对")
    objection = Objection.objects.get()
    with pytest.raises(ValidationError) as exc:
        objection_respond(objection=objection, response=" ", acting_user=users["reviewer"])
    assert "response" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        objection_respond(objection=objection, response="x", acting_user=users["reviewer"], outcome="maybe")
    assert "outcome" in exc.value.message_dict
    with pytest.raises(TransitionNotAllowed, match="reviewer"):
        objection_respond(objection=objection, response="x", acting_user=users["approver"])
    objection.refresh_from_db()
    assert objection.response == ""
    objection_respond(objection=objection, response="已答复", acting_user=users["reviewer"])
    proposal_transition(
        proposal=noticed, transition="approve", acting_user=users["approver"], decided_on=today(), **DECISION
    )
    with pytest.raises(InvalidTransition, match="Approved"):
        objection_respond(objection=objection, response="再答复", acting_user=users["reviewer"])


def test_approval_waits_until_every_objection_is_answered(noticed, users):
    record(noticed, users["reviewer"], text="一")
    record(noticed, users["reviewer"], text="二")
    first, second = Objection.objects.all()
    objection_respond(objection=first, response="已答复", acting_user=users["reviewer"])
    with pytest.raises(Conflict, match="1 objection"):
        proposal_transition(
            proposal=noticed, transition="approve", acting_user=users["approver"], decided_on=today(), **DECISION
        )
    assert Proposal.objects.get(pk=noticed.pk).state == "public_notice" and not Place.objects.exists()
    assert not Announcement.objects.exists()
    objection_respond(objection=second, response="已答复", acting_user=users["reviewer"])
    proposal_transition(
        proposal=noticed, transition="approve", acting_user=users["approver"], decided_on=today(), **DECISION
    )
    assert Place.objects.filter(name="习友路").exists()


def test_a_rejection_does_not_wait_for_answers(noticed, users):
    record(noticed, users["reviewer"], text="反对")
    rejected = proposal_transition(
        proposal=noticed, transition="reject", acting_user=users["approver"], reason="采纳异议"
    )
    assert rejected.state == "rejected"
