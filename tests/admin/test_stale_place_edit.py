"""Two clerks with the same place open (issue #12, reliability 8): the second save, based on what
the first has since changed, is refused with who changed what and when; nothing is saved and the
second clerk's entries are kept. Two Django test clients, two sessions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from registry.models import Place
from registry.services.places import name_record, place_rename
from tests.admin.forms import form_data


@pytest.fixture
def clerks(db, django_user_model):
    made = []
    for username, full in (("zhangsan", "张三"), ("lisi", "李四")):
        user = django_user_model.objects.create_user(username, password="pw", is_staff=True, first_name=full)
        user.groups.add(Group.objects.get(name="clerk"))
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(user)
        made.append(client)
    return made


@pytest.fixture
def road(make_place, baohe):
    return make_place("和平路", division=baohe, named_on="1950", note="旧备注", origin="旧含义")


def url(place) -> str:
    return reverse("admin:registry_place_change", args=[place.pk])


def opened(client, place) -> dict:
    response = client.get(url(place))
    assert response.status_code == 200
    return form_data(response.content.decode(), "place_form")


def refusal_of(response) -> str:
    assert response.status_code == 200, "the form comes back, not a redirect"
    return " ".join(response.context["adminform"].form.non_field_errors())


def test_the_second_of_two_clerks_saving_one_place_is_told_who_changed_what(clerks, road):
    zhang, li = clerks
    first, second = opened(zhang, road), opened(li, road)
    first["origin"] = "取“和平”之义"
    assert zhang.post(url(road), first).status_code == 302
    second["note"] = "李四的备注"
    response = li.post(url(road), second)
    message = refusal_of(response)
    assert "张三" in message and "含义由来" in message
    assert "您打开" in message and "未写入任何内容" in message
    saved = Place.objects.get(pk=road.pk)
    assert (saved.origin, saved.note) == ("取“和平”之义", "旧备注")  # the first save kept, nothing of the second
    page = response.content.decode()
    assert "李四的备注" in page  # what the clerk typed is kept
    # The refusal carries the current version: saving again, having compared, goes through.
    again = form_data(page, "place_form")
    assert li.post(url(road), again).status_code == 302
    saved.refresh_from_db()
    assert saved.note == "李四的备注"


# What happened to the place while the clerk had it open, and what the refusal names.
ELSEWHERE = [
    ("renamed", lambda place: place_rename(place=place, new_name="幸福路", effective="2020"), "更名为“幸福路”"),
    (
        "name recorded",
        lambda place: name_record(place=place, name="大路", kind="former", valid_from="1900", valid_to="1949"),
        "“大路”",
    ),
]


@pytest.mark.parametrize("label, change, named", ELSEWHERE, ids=[e[0] for e in ELSEWHERE])
def test_a_save_after_the_place_changed_elsewhere_is_refused(clerks, road, label, change, named):
    zhang, _ = clerks
    data = opened(zhang, road)
    change(Place.objects.get(pk=road.pk))
    before = Place.objects.get(pk=road.pk)
    data["note"] = "张三的备注"
    message = refusal_of(zhang.post(url(road), data))
    assert named in message
    after = Place.objects.get(pk=road.pk)
    assert (after.name, after.note, after.history.count()) == (before.name, "旧备注", before.history.count())


def test_one_clerk_saving_twice_in_a_row_is_not_refused(clerks, road):
    zhang, _ = clerks
    data = opened(zhang, road)
    data["note"] = "第一次"
    assert zhang.post(url(road), data).status_code == 302
    data = opened(zhang, road)
    data["note"] = "第二次"
    assert zhang.post(url(road), data).status_code == 302
    assert Place.objects.get(pk=road.pk).note == "第二次"


def test_a_save_that_lands_between_the_forms_check_and_the_write_is_refused_by_the_service(clerks, road, monkeypatch):
    """The form's check passed; another clerk's save commits before this one's write."""
    from registry.services import places as place_services

    zhang, _ = clerks
    data = opened(zhang, road)
    data["note"] = "张三的备注"
    real = place_services.place_update

    def meanwhile(**kwargs):
        monkeypatch.setattr(place_services, "place_update", real)
        real(place=Place.objects.get(pk=road.pk), origin="别人刚改的")
        return real(**kwargs)

    monkeypatch.setattr(place_services, "place_update", meanwhile)
    response = zhang.post(url(road), data)
    assert "未写入任何内容" in refusal_of(response)
    after = Place.objects.get(pk=road.pk)
    assert after.note == "旧备注"
