"""The name bank in the admin: saves through the service (refusals on the form), re-check, import page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from registry.models import NameBankEntry
from registry.models.name_bank import BankStatus
from registry.services.name_bank import bank_entry_save, bank_take

pytestmark = pytest.mark.django_db

FORM = {
    "name": "栖凤路",
    "pinyin": "",
    "category": "road",
    "series": "栖凤系列",
    "division": "340104",
    "reserved_for": "",
    "expires_on": "",
    "source": "蜀山区路网命名规划（2025）",
    "note": "",
    "override_reason": "",
}


def login(django_user_model, role: str) -> Client:
    user = django_user_model.objects.create_user(role, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clerk(django_user_model):
    return login(django_user_model, "clerk")


def test_the_add_form_saves_through_the_service_with_the_clerk_as_author(clerk):
    response = clerk.post(reverse("admin:registry_namebankentry_add"), FORM, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = NameBankEntry.objects.get()
    assert (entry.status, entry.pinyin) == (BankStatus.AVAILABLE, "Qifeng Lu")
    row = entry.history.get()
    assert (row.history_change_reason, row.history_user.username) == ("name bank: create", "clerk")


@pytest.mark.parametrize(
    "change,field,words",
    [
        ({"name": "长江河"}, "name", "河"),
        ({"source": ""}, "source", ""),
        ({"pinyin": "Qifeng Road"}, "name", "Qifeng Lu"),
    ],
)
def test_a_refusal_shows_on_the_form_and_writes_nothing(clerk, change, field, words):
    response = clerk.post(reverse("admin:registry_namebankentry_add"), {**FORM, **change})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors and words in str(errors[field])
    assert not NameBankEntry.objects.exists()


def test_a_duplicate_is_kept_only_with_a_reason(clerk, make_place):
    make_place("栖凤路")
    assert clerk.post(reverse("admin:registry_namebankentry_add"), FORM).status_code == 200
    response = clerk.post(reverse("admin:registry_namebankentry_add"), {**FORM, "override_reason": "原路将更名"})
    assert response.status_code == 302
    assert NameBankEntry.objects.get().accepted_rules == "DUPLICATE"


def test_a_used_entry_is_shown_not_changed(clerk):
    entry = bank_entry_save(entry=NameBankEntry(name="栖凤路", category="road", division_id="340104", source="规划"))
    bank_take(entry, for_what="命名批次第1项", user=None)
    url = reverse("admin:registry_namebankentry_change", args=[entry.pk])
    assert clerk.get(url).status_code == 200
    assert clerk.post(url, {**FORM, "name": "别的路"}).status_code == 403
    entry.refresh_from_db()
    assert entry.name == "栖凤路"


def test_the_recheck_action_flags_an_entry_that_became_a_duplicate(clerk, make_place):
    entry = bank_entry_save(entry=NameBankEntry(name="栖凤路", category="road", division_id="340104", source="规划"))
    make_place("栖凤路")
    response = clerk.post(
        reverse("admin:registry_namebankentry_changelist"),
        {"action": "recheck_selected", "_selected_action": [entry.pk]},
        follow=True,
    )
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.status == BankStatus.FLAGGED
    assert entry.history.latest("history_id").history_user.username == "clerk"


def upload(text: str, encoding="gbk") -> SimpleUploadedFile:
    return SimpleUploadedFile("bank.csv", text.encode(encoding), content_type="text/csv")


def test_the_import_page_enters_a_gbk_file_or_lists_its_problems_by_line(clerk):
    url = reverse("admin:registry_namebankentry_import")
    assert clerk.get(url).status_code == 200
    good = "名称,类别,来源\n栖凤路,道路街巷,蜀山区路网命名规划\n揽胜路,道路街巷,蜀山区路网命名规划\n"
    response = clerk.post(url, {"file": upload(good), "dry_run": ""})
    assert response.status_code == 200 and response.context["result"].created == 2
    assert NameBankEntry.objects.count() == 2
    bad = "名称,类别,来源\n云栖路,道路街巷,规划\n云栖河,道路街巷,规划\n"
    response = clerk.post(url, {"file": upload(bad), "dry_run": ""}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    problems = response.context["result"].problems
    assert {(p.line, p.column) for p in problems} == {(3, "名称")}
    assert "河" in problems[0].message
    assert 'id="import-problems"' in response.content.decode()
    assert NameBankEntry.objects.count() == 2


def test_an_approver_may_not_import(django_user_model):
    approver = login(django_user_model, "approver")
    assert approver.get(reverse("admin:registry_namebankentry_import")).status_code == 403
