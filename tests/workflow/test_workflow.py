"""The naming workflow: permissions, each transition's effects, the notice, overrides, heritage."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from registry.workflow import STEPS
from registry.exceptions import Conflict, InvalidTransition, TransitionNotAllowed
from registry.models import Announcement, Division, Place, Proposal, ProposalEvent
from registry.services.heritage import heritage_listing_create
from registry.services.places import place_create
from registry.services.proposals import allowed_transitions, proposal_create, proposal_transition
from tests.workflow.conftest import today

STATE_BEFORE = {  # steps that bring a fresh proposal to the state each transition starts from
    "submit": [],
    "start_review": ["submit"],
    "start_notice": ["submit", "start_review"],
    "return_for_revision": ["submit", "start_review"],
    "object": ["submit", "start_review", "start_notice"],
    "approve": ["submit", "start_review", "start_notice"],
    "reject": ["submit", "start_review"],
    "withdraw": ["submit"],
}
DATA = {
    "approve": {"authority": "合肥市人民政府", "document_number": "合政〔2026〕9号"},
    "object": {"text": "异议"},
    "reject": {"reason": "理由"},
    "return_for_revision": {"reason": "请补充命名理由"},
}


def step_data(transition: str) -> dict:
    """The step's fields; an approval dated today when it runs (not when the module was
    collected: across local midnight that day is already before the notice ended)."""
    return {**DATA.get(transition, {}), **({"decided_on": today()} if transition == "approve" else {})}


# Who may take each transition (on a proposal drafted by "clerk").
MAY = {
    # Only the drafter submits their draft: another clerk may not (issue #12).
    "submit": {"clerk"},
    "start_review": {"reviewer"},
    "start_notice": {"reviewer"},
    "return_for_revision": {"reviewer"},
    "object": {"reviewer"},
    "approve": {"approver"},
    "reject": {"approver"},
    "withdraw": {"clerk"},
}


@pytest.fixture
def shushan(db):
    return Division.objects.get(code="340104")


@pytest.mark.parametrize("role", ["clerk", "clerk2", "reviewer", "approver", "outsider"])
@pytest.mark.parametrize("transition", list(STEPS))
def test_permission_matrix(walk, users, shushan, role, transition):
    proposal = walk(STATE_BEFORE[transition], action="name", name="习友路", category="road", division=shushan)
    if role in MAY[transition]:
        proposal_transition(proposal=proposal, transition=transition, acting_user=users[role], **step_data(transition))
        assert Proposal.objects.get(pk=proposal.pk).state == STEPS[transition].target
    else:
        with pytest.raises(TransitionNotAllowed):
            proposal_transition(
                proposal=proposal, transition=transition, acting_user=users[role], **step_data(transition)
            )
        assert Proposal.objects.get(pk=proposal.pk).state == proposal.state


def test_nobody_decides_on_their_own_draft(walk, users, shushan):
    users["approver"].groups.add(*users["clerk"].groups.all())  # an approver who is also a clerk
    from registry.models import ProposalEvent as Event  # noqa: F401

    proposal = proposal_create(
        action="name", name="习友路", category="road", division=shushan, drafted_by=users["approver"], reason="测试"
    )
    for step, who in [("submit", "approver"), ("start_review", "reviewer"), ("start_notice", "reviewer")]:
        proposal = proposal_transition(
            proposal=proposal,
            transition=step,
            acting_user=users[who],
            **({"days": 0} if step == "start_notice" else {}),
        )
    with pytest.raises(TransitionNotAllowed, match="drafted"):
        proposal_transition(
            proposal=proposal, transition="approve", acting_user=users["approver"], **step_data("approve")
        )
    assert "approve" not in allowed_transitions(proposal, users["approver"])


def test_a_transition_from_the_wrong_state_names_both_states(walk, users, shushan):
    proposal = walk([], action="name", name="习友路", category="road", division=shushan)
    with pytest.raises(InvalidTransition) as exc:
        proposal_transition(
            proposal=proposal, transition="approve", acting_user=users["approver"], **step_data("approve")
        )
    assert "“Approve”" in str(exc.value) and "“Draft”" in str(exc.value) and "Public notice" in str(exc.value)


def test_refusals_in_chinese_name_steps_states_and_roles_never_codes(walk, users, shushan):
    from django.utils import translation

    proposal = walk([], action="name", name="习友路", category="road", division=shushan)
    submitted = walk(["submit"], action="name", name="潜山路", category="road", division=shushan)
    with translation.override("zh-hans"):
        with pytest.raises(InvalidTransition) as wrong_state:
            proposal_transition(
                proposal=proposal, transition="approve", acting_user=users["approver"], **step_data("approve")
            )
        with pytest.raises(TransitionNotAllowed) as wrong_role:
            proposal_transition(proposal=submitted, transition="start_review", acting_user=users["clerk"])
    assert (
        "“批准”" in str(wrong_state.value) and "“草稿”" in str(wrong_state.value) and "公示中" in str(wrong_state.value)
    )
    assert "需要审核员角色" in str(wrong_role.value)
    for message in (str(wrong_state.value), str(wrong_role.value)):
        for code in ("approve", "draft", "public_notice", "start_review", "registry.", "_proposal"):
            assert code not in message


def test_every_transition_is_an_event(walk, shushan):
    proposal = walk(
        ["submit", "start_review", "start_notice", "object", "respond", "approve"],
        action="name",
        name="习友路",
        category="road",
        division=shushan,
    )
    events = list(proposal.events.values_list("transition", "from_state", "to_state"))
    assert events == [
        ("draft", "", "draft"),
        ("submit", "draft", "submitted"),
        ("start_review", "submitted", "in_review"),
        ("start_notice", "in_review", "public_notice"),
        ("object", "public_notice", "public_notice"),
        ("respond", "public_notice", "public_notice"),
        ("approve", "public_notice", "approved"),
    ]
    assert all(e.actor_id for e in proposal.events.all())


def test_approving_a_new_name_creates_the_place_and_the_announcement(walk, shushan):
    proposal = walk(
        ["submit", "start_review", "start_notice", "approve"],
        action="name",
        name="习友路",
        category="road",
        division=shushan,
        reason="新建道路",
    )
    place = Place.objects.get(name="习友路")
    assert proposal.place == place and place.approval_document == "合政秘〔2026〕1号"
    assert place.approval_date == timezone.localdate() and place.announcement_date == timezone.localdate()
    (name,) = place.names.all()
    assert (name.valid_from, name.decision_document) == (today(), "合政秘〔2026〕1号")
    announcement = Announcement.objects.get(proposal=proposal)
    assert (announcement.standard_name, announcement.pinyin, announcement.division_name) == (
        "习友路",
        "Xiyou Lu",
        "合肥市蜀山区",
    )
    assert (announcement.approved_on, announcement.authority, announcement.old_name) == (
        timezone.localdate(),
        "合肥市人民政府",
        "",
    )
    assert place.history.first().history_user.username == "approver"


def test_approving_a_rename_closes_the_old_name(walk, shushan):
    road = place_create(name="左圣宫巷", category="road", division=shushan, named_on="1900")
    walk(["submit", "start_review", "start_notice", "approve"], action="rename", place=road, name="庐江路")
    road.refresh_from_db()
    assert road.name == "庐江路"
    day_before = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    assert list(road.names.values_list("name", "kind", "valid_to")) == [
        ("左圣宫巷", "former", day_before),
        ("庐江路", "official", ""),
    ]


def test_approving_a_retirement_keeps_the_place(walk, shushan):
    road = place_create(name="老城巷", category="road", division=shushan)
    walk(["submit", "start_review", "start_notice", "approve"], action="retire", place=road)
    road.refresh_from_db()
    assert road.status == "retired" and road.names.get().valid_to == today()


def test_approving_a_heritage_listing_lists_it(walk, db):
    town = place_create(name="柘皋镇", category="town", division=Division.objects.get(code="340181"))
    walk(
        ["submit", "start_review", "start_notice", "approve"],
        action="list_heritage",
        place=town,
        heritage={"scheme": "ancient_town", "level": "provincial", "in_use_since": -483, "first_recorded_name": "橐皋"},
    )
    listing = town.heritage_listings.get()
    assert (listing.status, listing.document_number, listing.listed_on) == ("listed", "合政秘〔2026〕1号", today())
    assert listing.notice_start == listing.notice_end == timezone.localdate()


def test_a_heritage_listing_that_breaks_the_thousand_year_rule_is_refused_at_drafting(users, db):
    town = place_create(name="新镇", category="town", division=Division.objects.get(code="340181"))
    with pytest.raises(ValidationError, match="1,000 years"):
        proposal_create(
            action="list_heritage",
            place=town,
            drafted_by=users["clerk"],
            reason="x",
            heritage={"scheme": "ancient_town", "level": "provincial", "in_use_since": 1500},
        )


def test_no_decision_before_the_notice_ends(walk, users, shushan, settings):
    proposal = walk(["submit", "start_review"], action="name", name="习友路", category="road", division=shushan)
    proposal = proposal_transition(proposal=proposal, transition="start_notice", acting_user=users["reviewer"], days=7)
    assert proposal.notice_ends_at - proposal.notice_starts_at == dt.timedelta(days=7)
    with pytest.raises(InvalidTransition, match="public notice runs until"):
        proposal_transition(
            proposal=proposal, transition="approve", acting_user=users["approver"], **step_data("approve")
        )
    Proposal.objects.filter(pk=proposal.pk).update(notice_ends_at=timezone.now() - dt.timedelta(seconds=1))
    proposal_transition(proposal=proposal, transition="approve", acting_user=users["approver"], **step_data("approve"))


def test_the_default_notice_length_comes_from_the_setting(walk, users, shushan, settings):
    proposal = walk(["submit", "start_review"], action="name", name="习友路", category="road", division=shushan)
    settings.REGISTRY_NOTICE_DAYS = 7
    proposal = proposal_transition(proposal=proposal, transition="start_notice", acting_user=users["reviewer"])
    assert proposal.notice_ends_at - proposal.notice_starts_at == dt.timedelta(days=7)


@pytest.mark.parametrize("days", [-1, "seven", 400])
def test_a_notice_of_impossible_length_is_refused(walk, users, shushan, days):
    proposal = walk(["submit", "start_review"], action="name", name="习友路", category="road", division=shushan)
    with pytest.raises(ValidationError):
        proposal_transition(proposal=proposal, transition="start_notice", acting_user=users["reviewer"], days=days)
    assert Proposal.objects.get(pk=proposal.pk).state == "in_review"


def test_objections_are_recorded(walk, shushan):
    proposal = walk(
        ["submit", "start_review", "start_notice", "object"],
        action="name",
        name="习友路",
        category="road",
        division=shushan,
    )
    (objection,) = proposal.objections.all()
    assert objection.text == "附近已有同名道路" and objection.recorded_by.username == "reviewer"
    assert (objection.channel, objection.received_on, objection.response) == ("other", timezone.localdate(), "")


def test_errors_need_a_written_override(walk, users, shushan):
    place_create(name="金寨路", category="road", division=shushan)
    proposal = walk(
        ["submit", "start_review", "start_notice"],
        action="name",
        name="金寨路",
        category="road",
        division=Division.objects.get(code="340111"),
    )
    assert proposal.check_level == "error"
    with pytest.raises(Conflict, match="override"):
        proposal_transition(
            proposal=proposal, transition="approve", acting_user=users["approver"], **step_data("approve")
        )
    assert Place.objects.filter(name="金寨路").count() == 1 and not Announcement.objects.exists()
    proposal_transition(
        proposal=proposal,
        transition="approve",
        acting_user=users["approver"],
        override_reason="历史道路整合，经市政府专题会议同意",
        **step_data("approve"),
    )
    assert Place.objects.filter(name="金寨路").count() == 2


def test_renaming_a_listed_heritage_name_needs_protection_measures(walk, users, db):
    town = place_create(name="三河镇", category="town", division=Division.objects.get(code="340123"))
    listing = heritage_listing_create(
        place=town, scheme="ancient_town", level="provincial", status="listed", in_use_since=-500, listed_on="2016"
    )
    proposal = walk(["submit", "start_review", "start_notice"], action="rename", place=town, name="三河古镇")
    assert "HERITAGE_PROTECTED" in {f["rule"] for f in proposal.check_findings}
    with pytest.raises(Conflict, match="protection measures"):
        proposal_transition(
            proposal=proposal,
            transition="approve",
            acting_user=users["approver"],
            override_reason="x",
            **step_data("approve"),
        )
    listing.protection_measures = "设立标志，派生命名三河古镇景区"
    listing.save()
    proposal_transition(proposal=proposal, transition="approve", acting_user=users["approver"], **step_data("approve"))
    town.refresh_from_db()
    assert town.name == "三河古镇"


@pytest.mark.parametrize(
    "data,field",
    [
        ({"document_number": "x", "decided_on": today()}, "authority"),
        ({"authority": "x", "decided_on": today()}, "document_number"),
        ({"authority": "x", "document_number": "y"}, "decided_on"),
        ({"authority": "x", "document_number": "y", "decided_on": "2026-02-30"}, "decided_on"),
    ],
)
def test_a_decision_without_its_record_changes_nothing(walk, users, shushan, data, field):
    proposal = walk(
        ["submit", "start_review", "start_notice"], action="name", name="习友路", category="road", division=shushan
    )
    with pytest.raises(ValidationError) as exc:
        proposal_transition(proposal=proposal, transition="approve", acting_user=users["approver"], **data)
    assert field in exc.value.message_dict
    assert (
        Proposal.objects.get(pk=proposal.pk).state == "public_notice"
        and not Place.objects.filter(name="习友路").exists()
    )


@pytest.mark.parametrize(
    "create,field",
    [
        ({"action": "rename", "place": "NOPE00001", "name": "x路"}, "place"),
        ({"action": "name", "name": "x路", "category": "road", "division": "999999"}, "division"),
        ({"action": "name", "category": "road", "division": "340104"}, "name"),
        ({"action": "rename"}, "place"),
        ({"action": "fly"}, "action"),
        ({"action": "name", "name": "x路", "category": "road", "division": "340104", "reason": " "}, "reason"),
    ],
)
def test_bad_proposals_are_refused_with_the_field(users, db, create, field):
    create.setdefault("reason", "x")
    with pytest.raises(ValidationError) as exc:
        proposal_create(drafted_by=users["clerk"], **create)
    assert field in exc.value.message_dict
    assert not Proposal.objects.exists()


def test_rejection_and_withdrawal(walk, shushan):
    rejected = walk(
        ["submit", "start_review", "reject"], action="name", name="习友路", category="road", division=shushan
    )
    assert rejected.state == "rejected" and rejected.rejection_reason == "不符合命名规则"
    withdrawn = walk(["submit", "withdraw"], action="name", name="潜山路", category="road", division=shushan)
    assert withdrawn.state == "withdrawn"
    assert not Place.objects.exists()


def test_proposals_are_never_deleted(walk, shushan):
    from registry.exceptions import DeletionRefused

    proposal = walk([], action="name", name="习友路", category="road", division=shushan)
    with pytest.raises(DeletionRefused):
        proposal.delete()
    with pytest.raises(DeletionRefused):
        ProposalEvent.objects.all().delete()
