"""Drafts are corrected by their drafter (``proposal_update``); a reviewer returns a
proposal for revision (``return_for_revision``) and the drafter resubmits; the check
result is always filled (issue #10 item 8, issue #12 item 7)."""

import pytest
from django.core.exceptions import ValidationError

from registry.workflow import STEPS
from registry.exceptions import InvalidTransition, TransitionNotAllowed
from registry.models import Division, Proposal
from registry.services.places import place_create
from registry.services.proposals import allowed_transitions, proposal_transition, proposal_update


def test_the_transition_exists_as_the_contract_says():
    step = STEPS["return_for_revision"]
    assert (set(step.sources), step.target, step.permission) == (
        {"submitted", "in_review"},
        "draft",
        "registry.review_proposal",
    )


def test_the_drafter_corrects_a_draft_and_the_check_runs_again(walk, users, shushan):
    place_create(name="潜山路", category="road", division=shushan)
    proposal = walk([], action="name", name="潜山路", category="road", division=shushan)
    assert proposal.check_level == "error"
    corrected = proposal_update(proposal=proposal, acting_user=users["clerk"], name="习友路", pinyin="")
    assert (corrected.name, corrected.check_level, corrected.check_findings) == ("习友路", "ok", [])
    assert Proposal.objects.get(pk=proposal.pk).check_level == "ok"
    record = corrected.history.first()
    assert (record.history_user, record.history_change_reason, record.name) == (users["clerk"], "update", "习友路")
    event = corrected.events.last()
    assert (event.transition, event.from_state, event.to_state, event.actor) == (
        "update",
        "draft",
        "draft",
        users["clerk"],
    )


def test_a_correction_that_changes_nothing_writes_nothing(walk, users, shushan):
    proposal = walk([], action="name", name="习友路", category="road", division=shushan)
    proposal_update(proposal=proposal, acting_user=users["clerk"], name="习友路")
    assert proposal.history.count() == 1 and not proposal.events.filter(transition="update").exists()


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"name": ""}, "name"),
        ({"division": None}, "division"),
        ({"reason": "  "}, "reason"),
        ({"division": "999999"}, "division"),
        ({"action": "fly"}, "action"),
    ],
)
def test_a_bad_correction_is_refused_with_the_field_and_changes_nothing(walk, users, shushan, changes, field):
    proposal = walk([], action="name", name="习友路", category="road", division=shushan)
    with pytest.raises(ValidationError) as exc:
        proposal_update(proposal=proposal, acting_user=users["clerk"], **changes)
    assert field in exc.value.message_dict
    assert Proposal.objects.get(pk=proposal.pk).name == "习友路" and proposal.history.count() == 1


def test_unknown_fields_are_refused(walk, users, shushan):
    proposal = walk([], action="name", name="习友路", category="road", division=shushan)
    with pytest.raises(ValidationError, match="state"):
        proposal_update(proposal=proposal, acting_user=users["clerk"], state="approved")


@pytest.mark.parametrize("who", ["clerk2", "reviewer", "approver"])
def test_only_the_drafter_corrects(walk, users, shushan, who):
    proposal = walk([], action="name", name="习友路", category="road", division=shushan)
    with pytest.raises(TransitionNotAllowed):
        proposal_update(proposal=proposal, acting_user=users[who], name="潜山路")
    assert Proposal.objects.get(pk=proposal.pk).name == "习友路"


def test_a_submitted_proposal_is_not_corrected(walk, users, shushan):
    proposal = walk(["submit"], action="name", name="习友路", category="road", division=shushan)
    with pytest.raises(InvalidTransition, match="Submitted"):
        proposal_update(proposal=proposal, acting_user=users["clerk"], name="潜山路")


def test_only_the_drafter_submits(walk, users, shushan):
    proposal = walk([], action="name", name="习友路", category="road", division=shushan)
    assert "submit" not in allowed_transitions(proposal, users["clerk2"])
    with pytest.raises(TransitionNotAllowed, match="drafted"):
        proposal_transition(proposal=proposal, transition="submit", acting_user=users["clerk2"])
    assert Proposal.objects.get(pk=proposal.pk).state == "draft"


@pytest.mark.parametrize("before", [["submit"], ["submit", "start_review"]], ids=["submitted", "in_review"])
def test_return_for_revision_needs_a_reason_and_the_drafter_resubmits(walk, users, shushan, before):
    proposal = walk(before, action="name", name="习有路", category="road", division=shushan)
    with pytest.raises(ValidationError) as exc:
        proposal_transition(
            proposal=proposal, transition="return_for_revision", acting_user=users["reviewer"], reason=" "
        )
    assert "reason" in exc.value.message_dict
    returned = proposal_transition(
        proposal=proposal, transition="return_for_revision", acting_user=users["reviewer"], reason="“有”字疑为笔误"
    )
    assert returned.state == "draft" and returned.events.last().note == "“有”字疑为笔误"
    assert allowed_transitions(returned, users["clerk"]) == ["submit", "withdraw"]
    corrected = proposal_update(proposal=returned, acting_user=users["clerk"], name="习友路")
    resubmitted = proposal_transition(proposal=corrected, transition="submit", acting_user=users["clerk"])
    assert (resubmitted.state, resubmitted.name) == ("submitted", "习友路")


def test_return_for_revision_is_not_possible_once_noticed(walk, users, shushan):
    proposal = walk(
        ["submit", "start_review", "start_notice"], action="name", name="习友路", category="road", division=shushan
    )
    with pytest.raises(InvalidTransition):
        proposal_transition(
            proposal=proposal, transition="return_for_revision", acting_user=users["reviewer"], reason="x"
        )


@pytest.mark.parametrize(
    "create,level",
    [
        ({"action": "name", "name": "习友路", "category": "road"}, "ok"),
        ({"action": "name", "name": "Xiyou路", "category": "road"}, "error"),
        ({"action": "retire"}, "ok"),
    ],
)
def test_the_check_result_is_filled_on_create_update_and_submit(walk, users, shushan, create, level):
    if "name" not in create:
        create["place"] = place_create(name="老城巷", category="road", division=shushan)
    else:
        create["division"] = shushan
    proposal = walk([], **create)
    assert proposal.check_level == level
    Proposal.objects.filter(pk=proposal.pk).update(check_level="")
    submitted = proposal_transition(proposal=proposal, transition="submit", acting_user=users["clerk"])
    assert submitted.check_level == level
    assert submitted.events.last().note.startswith("Check: ")


def test_check_results_read_in_chinese():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert [str(Proposal(check_level=code).get_check_level_display()) for code in ("ok", "warning", "error")] == [
            "通过",
            "有警告",
            "有错误",
        ]


def test_a_rename_takes_the_places_category_and_division(walk, users, db):
    road = place_create(name="左圣宫巷", category="road", division=Division.objects.get(code="340111"))
    proposal = walk(
        [], action="rename", place=road, name="庐江路", category="water", division=Division.objects.get(code="340104")
    )
    assert (proposal.category, proposal.division.code) == ("road", "340111")
