"""Decision dates cannot rewrite history (issue #11 item 2): not before the notice ended,
not before the proposal was submitted, not in the future."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from registry.models import Announcement, Place, Proposal, ProposalEvent
from registry.services.places import place_create
from registry.services.proposals import proposal_transition
from tests.workflow.conftest import today

DECISION = {"authority": "合肥市人民政府", "document_number": "合政〔2026〕7号"}


def approve(proposal, user, day):
    return proposal_transition(proposal=proposal, transition="approve", acting_user=user, decided_on=day, **DECISION)


@pytest.mark.parametrize("day", ["0001-01-01", dt.date(1956, 3, 1), "2999-01-01"], ids=["year-1", "1956", "2999"])
def test_a_decision_date_outside_the_notice_and_today_is_refused(walk, users, shushan, day):
    road = place_create(name="左圣宫巷", category="road", division=shushan, named_on="1900")
    proposal = walk(["submit", "start_review", "start_notice"], action="rename", place=road, name="庐江路")
    with pytest.raises(ValidationError) as exc:
        approve(proposal, users["approver"], day)
    assert "decided_on" in exc.value.message_dict
    road.refresh_from_db()
    assert road.name == "左圣宫巷" and road.names.get().valid_to == ""
    assert Proposal.objects.get(pk=proposal.pk).state == "public_notice" and not Announcement.objects.exists()


def test_a_decision_the_day_before_the_notice_ended_is_refused_and_the_day_it_ended_accepted(walk, users, shushan):
    proposal = walk(
        ["submit", "start_review", "start_notice"], action="name", name="习友路", category="road", division=shushan
    )
    ends = timezone.now() - dt.timedelta(days=2)
    Proposal.objects.filter(pk=proposal.pk).update(notice_starts_at=ends - dt.timedelta(days=7), notice_ends_at=ends)
    ProposalEvent.objects.filter(proposal=proposal).update(at=ends - dt.timedelta(days=8))
    end_day = timezone.localdate(ends)
    with pytest.raises(ValidationError, match=end_day.isoformat()):
        approve(proposal, users["approver"], end_day - dt.timedelta(days=1))
    approve(proposal, users["approver"], end_day)
    assert Place.objects.get(name="习友路").approval_date == end_day


def test_a_decision_before_the_submission_is_refused(walk, users, shushan):
    """A notice cannot end before submission through the workflow; the rule holds all the same."""
    proposal = walk(
        ["submit", "start_review", "start_notice"], action="name", name="习友路", category="road", division=shushan
    )
    long_ago = timezone.now() - dt.timedelta(days=30)
    Proposal.objects.filter(pk=proposal.pk).update(notice_starts_at=long_ago, notice_ends_at=long_ago)
    submitted = timezone.localdate(proposal.events.get(transition="submit").at)
    with pytest.raises(ValidationError, match="submitted"):
        approve(proposal, users["approver"], submitted - dt.timedelta(days=1))


def test_the_decision_date_message_is_chinese(walk, users, shushan):
    from django.utils import translation

    proposal = walk(
        ["submit", "start_review", "start_notice"], action="name", name="习友路", category="road", division=shushan
    )
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        approve(proposal, users["approver"], "2999-01-01")
    assert exc.value.message_dict["decided_on"] == [f"批准日期 2999-01-01 晚于今天（{today()}）：不能填写将来的日期。"]


def test_the_notice_message_is_chinese(walk, users, shushan):
    from django.utils import translation

    proposal = walk(["submit", "start_review"], action="name", name="习友路", category="road", division=shushan)
    proposal = proposal_transition(proposal=proposal, transition="start_notice", acting_user=users["reviewer"], days=7)
    with translation.override("zh-hans"), pytest.raises(Exception) as exc:
        approve(proposal, users["approver"], today())
    assert str(exc.value).startswith("公示至 ") and "public notice" not in str(exc.value)
