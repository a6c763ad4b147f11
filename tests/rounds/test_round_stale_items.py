"""A round's rename or retirement item whose place was renamed after the round was submitted
is refused at approval, naming the item and both names, and nothing is written: the notice
told the public of a name the place no longer carries (as ``stale_rename`` does for a proposal)."""

import pytest
from django.utils import translation

from registry.exceptions import Conflict
from registry.models import Place, RoundAnnouncement
from registry.services.places import place_rename
from registry.services.rounds import round_item_step
from tests.rounds.test_round_workflow import _decide, walk


def _under_notice(round30, users):
    walk(round30, users, "submit", "start_review", "start_notice")
    round_item_step(item=round30.items.get(position=11), step="withdraw", acting_user=users["reviewer"])


@pytest.mark.parametrize(
    ("old", "position"),
    [("旧甲路", 27), ("废丙路", 29)],  # a rename item and a retirement item
)
def test_an_item_whose_place_was_renamed_since_submission_is_refused(round30, users, places, old, position):
    _under_notice(round30, users)
    place_rename(place=places[old], new_name="新生路", acting_user=users["clerk"])
    names = sorted(Place.objects.values_list("name", flat=True))
    with translation.override("zh-hans"), pytest.raises(Conflict) as refused:
        _decide(round30, users)
    message = str(refused.value)
    assert f"第{position}项" in message and f"“{old}”" in message and "“新生路”" in message
    assert sorted(Place.objects.values_list("name", flat=True)) == names
    assert not RoundAnnouncement.objects.exists()
    round30.refresh_from_db()
    assert round30.state == "public_notice"


def test_once_the_stale_item_is_withdrawn_the_round_is_approved(round30, users, places):
    _under_notice(round30, users)
    place_rename(place=places["旧甲路"], new_name="新生路", acting_user=users["clerk"])
    round_item_step(item=round30.items.get(position=27), step="withdraw", acting_user=users["reviewer"])
    round30 = _decide(round30, users)
    assert round30.state == "approved"
    assert Place.objects.get(pk=places["旧甲路"].pk).name == "新生路"  # left as the later decision made it


def test_a_place_edited_without_a_new_name_does_not_make_its_item_stale(round30, users, places):
    from registry.services.places import place_update

    _under_notice(round30, users)
    place_update(place=places["旧甲路"], acting_user=users["clerk"], reason="edit", history_text="旧时为土路")
    assert _decide(round30, users).state == "approved"
