"""Filing (备案): an approver records that an approved name was filed; the dashboard lets it go.

地名管理条例 Art. 13 gives 15 days from approval. Before this, nothing recorded a filing:
the dashboard dropped an approval once its deadline had passed, filed or not.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from registry.admin.dashboard import dashboard
from registry.exceptions import InvalidTransition, TransitionNotAllowed
from registry.models import Place, Proposal
from registry.services.filing import proposal_mark_filed

APPROVED = ["submit", "start_review", "start_notice", "approve"]


@pytest.fixture
def road(db, make_place) -> Place:
    return make_place("左圣宫巷")


@pytest.fixture
def approved(walk, road) -> Proposal:
    return walk(APPROVED, action="rename", place=road, name="庐江路")


def test_marking_filed_records_the_date_the_user_and_an_audit_entry(approved, users):
    proposal = proposal_mark_filed(proposal=approved, acting_user=users["approver"])
    assert (proposal.filed_on, proposal.filed_by) == (timezone.localdate(), users["approver"])
    latest = proposal.history.order_by("-history_id").first()
    assert (latest.history_change_reason, latest.history_user, latest.filed_on) == (
        "filing",
        users["approver"],
        timezone.localdate(),
    )


@pytest.mark.parametrize(
    "case,error",
    [
        ("clerk", TransitionNotAllowed),
        ("not approved", InvalidTransition),
        ("already filed", InvalidTransition),
        ("before the approval", ValidationError),
        ("in the future", ValidationError),
    ],
)
def test_a_filing_that_cannot_be_recorded_is_refused_and_changes_nothing(case, error, approved, walk, road, users):
    proposal, user, filed_on = approved, users["approver"], None
    if case == "clerk":
        user = users["clerk"]
    elif case == "not approved":
        proposal = walk(["submit"], action="rename", place=road, name="桐城路")
    elif case == "already filed":
        proposal = proposal_mark_filed(proposal=approved, acting_user=user, filed_on=timezone.localdate())
    elif case == "before the approval":
        filed_on = approved.decided_on - dt.timedelta(days=1)
    else:
        filed_on = timezone.localdate() + dt.timedelta(days=1)
    before = (Proposal.objects.filter(pk=proposal.pk).values("filed_on", "filed_by").get(), proposal.history.count())
    with pytest.raises(error):
        proposal_mark_filed(proposal=proposal, acting_user=user, filed_on=filed_on)
    assert (
        Proposal.objects.filter(pk=proposal.pk).values("filed_on", "filed_by").get(),
        proposal.history.count(),
    ) == before


def _deadlines(user, days_later=0):
    now = timezone.now() + dt.timedelta(days=days_later)
    return next(s for s in dashboard(user, now) if s.deadlines is not None).deadlines


def test_the_admin_action_marks_filed_and_the_dashboard_stops_counting_it(approved, users):
    approver = users["approver"]
    assert [d.proposal.pk for d in _deadlines(approver, 20)] == [approved.pk]  # overdue, still listed
    client = Client()
    client.force_login(approver)
    url = reverse("admin:registry_proposal_changelist")
    response = client.post(
        url,
        {"action": "mark_filed", "_selected_action": [approved.pk]},
        headers={"accept-language": "zh-hans"},
        follow=True,
    )
    assert "1 项提案已标记为已备案" in response.content.decode()
    assert Proposal.objects.get(pk=approved.pk).filed_on == timezone.localdate()
    assert _deadlines(approver, 0) == [] and _deadlines(approver, 20) == []
    # Again: refused with a message saying why, nothing changes.
    response = client.post(
        url,
        {"action": "mark_filed", "_selected_action": [approved.pk]},
        headers={"accept-language": "zh-hans"},
        follow=True,
    )
    assert "已于" in response.content.decode() and "备案" in response.content.decode()


def test_only_approvers_are_offered_the_action(approved, users):
    for role, offered in [("clerk", False), ("reviewer", False), ("approver", True)]:
        client = Client()
        client.force_login(users[role])
        page = client.get(reverse("admin:registry_proposal_changelist")).content.decode()
        assert ('value="mark_filed"' in page) is offered, role
