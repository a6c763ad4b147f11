"""Word-list and allow-list saves in the admin go through the services, with an audit reason.

Before, the admin saved these entries itself: the history rows had no change reason
(the history page showed "—") and nothing outside the form validated the entry.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from registry.admin.history import change_reason_label
from registry.models import AllowListEntry, WordListEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example.org", "pw-boss")


@pytest.fixture
def client_for(boss):
    client = Client()
    client.force_login(boss)
    return client


def latest(model, **lookup):
    return model.history.filter(**lookup).order_by("-history_id").first()


WORD = {
    "word_list": "exaggerated",
    "term": "寰宇中心",
    "kind": "",
    "severity": "",
    "note": "测试词条",
    "source": "",
    "active": "on",
}
ALLOWED = {"term": "测试国际公园", "rules": ["EXAGGERATED"], "reason": "测试豁免", "source": "", "active": "on"}


@pytest.mark.parametrize(
    "model,data,create,update",
    [
        (WordListEntry, WORD, ("word list: create", "新增词条"), ("word list: update", "修改词条")),
        (AllowListEntry, ALLOWED, ("allow-list: create", "新增豁免名称"), ("allow-list: update", "修改豁免名称")),
    ],
)
def test_add_and_change_leave_an_audit_entry_with_a_chinese_reason(client_for, boss, model, data, create, update):
    opts = model._meta
    response = client_for.post(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = model.objects.get(term=data["term"])
    row = latest(model, id=entry.pk)
    assert (row.history_change_reason, row.history_user) == (create[0], boss)
    response = client_for.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[entry.pk]), {**data, "active": ""}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row = latest(model, id=entry.pk)
    assert (row.history_change_reason, row.history_user, row.active) == (update[0], boss, False)
    with translation.override("zh-hans"):
        assert (change_reason_label(create[0]), change_reason_label(update[0])) == (create[1], update[1])


def test_the_lists_editable_active_box_saves_through_the_service(client_for, boss):
    entry = WordListEntry.objects.filter(word_list="foreign", active=True).order_by("pk").first()
    url = reverse("admin:registry_wordlistentry_changelist") + f"?q={entry.term}"
    page = client_for.get(url)
    rows = list(page.context["cl"].result_list)
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(len(rows)), "_save": "保存"}
    for i, row in enumerate(rows):
        data[f"form-{i}-id"] = str(row.pk)
        if row.active and row.pk != entry.pk:
            data[f"form-{i}-active"] = "on"
    response = client_for.post(url, data)
    assert response.status_code == 302
    row = latest(WordListEntry, id=entry.pk)
    assert (row.history_change_reason, row.history_user, row.active) == ("word list: update", boss, False)


def test_a_duplicate_term_is_refused_and_nothing_is_saved(client_for):
    existing = WordListEntry.objects.filter(word_list="exaggerated").order_by("pk").first()
    before = WordListEntry.history.count()
    response = client_for.post(
        reverse("admin:registry_wordlistentry_add"),
        {**WORD, "term": existing.term},
        headers={"accept-language": "zh-hans"},
    )
    assert response.status_code == 200 and response.context["adminform"].form.errors
    assert WordListEntry.history.count() == before
