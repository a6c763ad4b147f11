"""A rename proposal about a name the place no longer carries is not approved (issue #12, reliability 8)."""

import pytest

from registry.exceptions import Conflict
from registry.models import Announcement, Place
from registry.services.places import place_create, place_rename
from registry.services.proposals import proposal_transition, proposal_update
from tests.workflow.conftest import today

APPROVAL = {"authority": "合肥市人民政府", "document_number": "合政秘〔2026〕9号"}


@pytest.fixture
def road(shushan):
    return place_create(name="和平路", category="road", division=shushan, named_on="1950")


def test_approving_a_rename_after_the_place_was_renamed_elsewhere_is_refused(walk, users, road):
    proposal = walk(["submit", "start_review", "start_notice"], action="rename", place=road.code, name="幸福路")
    place_rename(place=road, new_name="和谐路", effective="2020", acting_user=users["reviewer"])
    with pytest.raises(Conflict) as refused:
        proposal_transition(
            proposal=proposal, transition="approve", acting_user=users["approver"], decided_on=today(), **APPROVAL
        )
    message = str(refused.value)
    assert "“和谐路”" in message and "“和平路”" in message and "reviewer" in message and "return it" in message
    assert Place.objects.get(pk=road.pk).name == "和谐路"
    assert not Announcement.objects.exists()


def test_returned_and_resubmitted_against_the_current_name_it_is_approved(walk, users, road):
    proposal = walk(["submit", "start_review"], action="rename", place=road.code, name="幸福路")
    place_rename(place=road, new_name="和谐路", effective="2020")
    proposal = proposal_transition(
        proposal=proposal,
        transition="return_for_revision",
        acting_user=users["reviewer"],
        reason="该路已更名为和谐路，请核对",
    )
    proposal = proposal_update(proposal=proposal, acting_user=users["clerk"], reason="和谐路改为幸福路")
    for step, who in (("submit", "clerk"), ("start_review", "reviewer"), ("start_notice", "reviewer")):
        proposal = proposal_transition(proposal=proposal, transition=step, acting_user=users[who])
    proposal_transition(
        proposal=proposal, transition="approve", acting_user=users["approver"], decided_on=today(), **APPROVAL
    )
    assert Place.objects.get(pk=road.pk).name == "幸福路"
    assert Announcement.objects.get().old_name == "和谐路"


def test_a_rename_of_an_unchanged_place_is_approved_as_before(walk, road):
    walk(["submit", "start_review", "start_notice", "approve"], action="rename", place=road.code, name="幸福路")
    assert Place.objects.get(pk=road.pk).name == "幸福路"
