"""/api/v1/name-bank/: staff list, read, enter and edit bank names through the one service."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from registry.models import NameBankEntry

URL = "/api/v1/name-bank/"
GOOD = {
    "name": "紫云路",
    "category": "road",
    "division": "340104",
    "series": "紫云系列",
    "source": "蜀山区路网命名规划（2025）",
}


def client(role: str) -> APIClient:
    user = get_user_model().objects.create_user(role, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    api = APIClient()
    api.force_authenticate(get_user_model().objects.get(pk=user.pk))
    return api


@pytest.fixture
def clerk(db):
    return client("clerk")


def test_a_clerk_enters_lists_reads_and_edits_a_name(clerk):
    created = clerk.post(URL, GOOD, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["status"], body["pinyin"], body["findings"]) == ("available", "Ziyun Lu", [])
    listed = clerk.get(URL, {"status": "available", "division": "340104"}).json()
    assert [r["name"] for r in listed["results"]] == ["紫云路"]
    assert clerk.get(f"{URL}{body['id']}/").json()["series"] == "紫云系列"
    edited = clerk.patch(f"{URL}{body['id']}/", {"reserved_for": "某片区路网项目"}, format="json")
    assert edited.status_code == 200 and edited.json()["status"] == "reserved"
    assert NameBankEntry.objects.get().history.count() == 2


def test_a_duplicate_is_refused_with_the_finding_and_kept_with_a_reason(clerk, make_place):
    make_place("紫云路")
    refused = clerk.post(URL, GOOD, format="json")
    assert refused.status_code == 400 and "紫云路" in str(refused.json()["name"])
    kept = clerk.post(URL, {**GOOD, "override_reason": "原紫云路将更名"}, format="json")
    assert kept.status_code == 201 and kept.json()["findings"][0]["rule"] == "DUPLICATE"


@pytest.mark.parametrize(
    "body,field",
    [
        ({**GOOD, "source": ""}, "source"),
        ({**GOOD, "category": "castle"}, "category"),
        ({**GOOD, "division": "999999"}, "division"),
        ({**GOOD, "expires_on": "明年"}, "expires_on"),
        ({**GOOD, "name": ""}, "name"),
        ({**GOOD, "name": "紫\x00云路"}, "name"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(clerk, body, field):
    response = clerk.post(URL, body, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not NameBankEntry.objects.exists()


def test_an_approver_reads_but_does_not_write(db):
    approver = client("approver")
    assert approver.get(URL).status_code == 200
    assert approver.post(URL, GOOD, format="json").status_code == 403


@pytest.mark.parametrize("path,status", [("0/", 404), ("abc/", 404), ("9" * 30 + "/", 404)])
def test_unknown_ids_are_404(clerk, path, status):
    assert clerk.get(URL + path).status_code == status


def test_anonymous_clients_are_refused(db):
    assert APIClient().get(URL).status_code in (401, 403)


def test_the_schema_links_a_new_entry_to_its_reading_and_editing(db):
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()
    links = schema["paths"]["/api/v1/name-bank/"]["post"]["responses"]["201"]["links"]
    assert {link["operationId"] for link in links.values()} == {"name_bank_retrieve", "name_bank_partial_update"}
