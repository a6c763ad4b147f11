"""Correcting and taking out a draft round's items: by its drafter, through the services, audited,
checked again with the others, and refused once the round has left draft."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from registry.exceptions import InvalidTransition, TransitionNotAllowed
from registry.models import RoundEvent
from registry.services.round_steps import store_checks
from registry.services.rounds import round_item_edit, round_item_remove, round_transition


def client(user):
    made = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    made.force_authenticate(user)
    return made


def item(round_, number):
    return round_.items.get(position=number)


def test_correcting_the_duplicate_clears_the_finding_of_both_and_is_audited(round30, users):
    store_checks(round30)
    assert item(round30, 10).check_level == "error" and item(round30, 11).check_level == "error"  # 松风路 twice
    edited = round_item_edit(item=item(round30, 11), acting_user=users["clerk"], name="松涛路", origin="松林涛声")
    assert (edited.name, edited.origin, edited.reason) == ("松涛路", "松林涛声", "新建道路")  # the rest kept
    assert edited.check_level != "error" and item(round30, 10).check_level != "error"
    history = edited.history.order_by("-history_id").first()
    assert history.history_user == users["clerk"] and history.history_change_reason in ("update", "check")
    assert edited.history.filter(history_change_reason="update", name="松涛路").exists()
    event = RoundEvent.objects.get(item=edited, transition="update")
    assert event.actor == users["clerk"] and "name" in event.note


def test_an_edit_is_judged_as_an_added_item_is(round30, users):
    with pytest.raises(ValidationError):
        round_item_edit(item=item(round30, 1), acting_user=users["clerk"], reason="  ")
    with pytest.raises(ValidationError):
        round_item_edit(item=item(round30, 1), acting_user=users["clerk"], division="999999")
    with pytest.raises(ValidationError):
        round_item_edit(item=item(round30, 1), acting_user=users["clerk"], outcome="approved")
    assert item(round30, 1).name == "经一路" and item(round30, 1).division.code == "340104"


def test_removing_keeps_the_item_on_record_as_withdrawn_and_rechecks_the_others(round30, users):
    store_checks(round30)
    removed = round_item_remove(item=item(round30, 11), acting_user=users["clerk"], reason="与第10项重名")
    assert removed.pk and removed.outcome == "withdrawn" and removed.outcome_note == "与第10项重名"
    assert round30.items.count() == 30 and item(round30, 10).check_level != "error"
    assert removed.history.filter(history_change_reason="remove").exists()
    assert RoundEvent.objects.filter(item=removed, transition="item_withdraw", actor=users["clerk"]).exists()
    with pytest.raises(InvalidTransition):
        round_item_edit(item=removed, acting_user=users["clerk"], name="松涛路")


def test_only_the_drafter_and_only_in_draft(round30, users):
    with pytest.raises(TransitionNotAllowed):
        round_item_edit(item=item(round30, 1), acting_user=users["clerk2"], name="纬一路")
    with pytest.raises(TransitionNotAllowed):
        round_item_remove(item=item(round30, 1), acting_user=users["reviewer"])
    round_transition(round_=round30, transition="submit", acting_user=users["clerk"])
    with pytest.raises(InvalidTransition, match="草稿|draft"):
        round_item_edit(item=item(round30, 1), acting_user=users["clerk"], name="纬一路")
    with pytest.raises(InvalidTransition):
        round_item_remove(item=item(round30, 1), acting_user=users["clerk"])
    assert item(round30, 1).name == "经一路" and item(round30, 1).outcome == "pending"


def test_the_api_patches_and_deletes_a_draft_item(round30, users):
    clerk = client(users["clerk"])
    base = f"/api/v1/rounds/{round30.pk}/items"
    patched = clerk.patch(f"{base}/12/", {"name": "竹园路"}, format="json")
    assert patched.status_code == 200, patched.content
    row = next(i for i in patched.json()["items"] if i["number"] == 12)
    assert row["name"] == "竹园路" and patched["ETag"].startswith('"r')
    removed = clerk.delete(f"{base}/13/", {"reason": "与第12项同音"}, format="json", HTTP_IF_MATCH=patched["ETag"])
    assert removed.status_code == 200, removed.content
    assert next(i for i in removed.json()["items"] if i["number"] == 13)["outcome"] == "withdrawn"
    stale = clerk.patch(f"{base}/14/", {"name": "杉林路"}, format="json", HTTP_IF_MATCH=patched["ETag"])
    assert stale.status_code == 412 and item(round30, 14).name == "杉木路"
    unknown = clerk.patch(f"{base}/99/", {"name": "杉林路"}, format="json")
    assert unknown.status_code == 404


def test_the_api_refuses_an_edit_after_submission_in_chinese(round30, users):
    round_transition(round_=round30, transition="submit", acting_user=users["clerk"])
    refused = client(users["clerk"]).patch(f"/api/v1/rounds/{round30.pk}/items/1/", {"name": "纬一路"}, format="json")
    assert refused.status_code in (400, 409), refused.content
    assert "草稿" in str(refused.json()) and item(round30, 1).name == "经一路"
    other = client(users["clerk2"]).delete(f"/api/v1/rounds/{round30.pk}/items/2/")
    assert other.status_code in (403, 409) and item(round30, 2).outcome == "pending"


def test_the_admin_corrects_and_takes_out_a_draft_item_and_refuses_after_submission(round30, users):
    from django.test import Client
    from django.urls import reverse

    clerk = Client()
    clerk.force_login(users["clerk"])
    eleven, twelve = item(round30, 11), item(round30, 12)
    page = clerk.get(reverse("admin:registry_rounditem_change", args=[eleven.pk]))
    assert 'id="item-edit-link"' in page.content.decode()
    done = clerk.post(
        reverse("admin:registry_rounditem_edit", args=[eleven.pk]),
        {"name": "松涛路", "reason": "新建道路", "pinyin": "", "origin": ""},
    )
    assert done.status_code == 302 and item(round30, 11).name == "松涛路"
    assert item(round30, 11).history.filter(history_change_reason="update", history_user=users["clerk"]).exists()
    gone = clerk.post(reverse("admin:registry_rounditem_remove", args=[twelve.pk]), {"reason": "与第13项同音"})
    assert gone.status_code == 302 and item(round30, 12).outcome == "withdrawn"
    round_transition(round_=round30, transition="submit", acting_user=users["clerk"])
    page = clerk.get(reverse("admin:registry_rounditem_change", args=[eleven.pk]))
    assert 'id="item-edit-link"' not in page.content.decode()
    refused = clerk.post(
        reverse("admin:registry_rounditem_edit", args=[eleven.pk]),
        {"name": "松林路", "reason": "新建道路"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert refused.status_code == 200 and "仅在批次为草稿时" in refused.content.decode()
    assert item(round30, 11).name == "松涛路"
