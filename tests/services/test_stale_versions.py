"""Saves based on a stale version of a place (issue #12, reliability 8): the last writer no longer silently wins."""

import pytest

from registry.models import Place
from registry.services.place_versions import StaleVersion, is_current, version_of
from registry.services.places import name_record, place_rename, place_update


@pytest.fixture
def road(make_place, baohe):
    return make_place("和平路", division=baohe, named_on="1950", note="旧备注")


def test_an_update_through_an_object_read_before_a_rename_keeps_the_new_name(road):
    stale = Place.objects.get(pk=road.pk)
    place_rename(place=road, new_name="幸福路", effective="2020")
    place_update(place=stale, note="路面翻修", pinyin="")
    fresh = Place.objects.get(pk=road.pk)
    assert (fresh.name, fresh.note) == ("幸福路", "路面翻修")
    assert fresh.pinyin == "Xingfu Lu"
    assert fresh.names.get(valid_to="").name == "幸福路"
    assert stale.name == "幸福路"  # the caller's object shows the row as saved


def test_an_update_writes_only_the_fields_given(road):
    stale = Place.objects.get(pk=road.pk)
    place_update(place=road, origin="取和平之义")
    stale.source = "手写的值，未提交"
    place_update(place=stale, note="新备注")
    fresh = Place.objects.get(pk=road.pk)
    assert (fresh.origin, fresh.note, fresh.source) == ("取和平之义", "新备注", "")


# What another writer does between reading the version and saving, and what the refusal names.
CHANGES = [
    ("another field", lambda p, u: place_update(place=p, acting_user=u, origin="取和平之义"), "origin and meaning"),
    (
        "a rename",
        lambda p, u: place_rename(place=p, new_name="幸福路", acting_user=u, effective="2020"),
        "renamed it to “幸福路”",
    ),
    (
        "a name recorded",
        lambda p, u: name_record(
            place=p, name="大路", kind="former", valid_from="1900", valid_to="1949", acting_user=u
        ),
        "recorded the name “大路”",
    ),
]


@pytest.mark.parametrize("label, change, named", CHANGES, ids=[c[0] for c in CHANGES])
def test_an_update_based_on_a_stale_version_is_refused_with_who_changed_what(
    road, django_user_model, label, change, named
):
    other = django_user_model.objects.create_user("lisi", first_name="李四")
    seen = version_of(road)
    change(Place.objects.get(pk=road.pk), other)
    before = Place.objects.get(pk=road.pk)
    with pytest.raises(StaleVersion) as refused:
        place_update(place=before, note="我的修改", expected_version=seen)
    message = " ".join(refused.value.messages)
    assert "李四" in message and named in message and "Nothing of your save was written" in message
    after = Place.objects.get(pk=road.pk)
    assert (after.note, after.history.count()) == ("旧备注", before.history.count())
    assert refused.value.current == version_of(after)
    place_update(place=after, note="我的修改", expected_version=refused.value.current)  # the fresh version saves
    assert Place.objects.get(pk=road.pk).note == "我的修改"


def test_the_current_version_saves_and_moves_the_version(road):
    seen = version_of(road)
    assert is_current(road, seen)
    place_update(place=road, note="新备注", expected_version=seen)
    assert not is_current(road, seen)


def test_a_version_that_was_never_given_out_is_refused(road):
    with pytest.raises(StaleVersion) as refused:
        place_update(place=road, note="x", expected_version="abc")
    assert "not one the registry gave out" in " ".join(refused.value.messages)
    assert Place.objects.get(pk=road.pk).note == "旧备注"
