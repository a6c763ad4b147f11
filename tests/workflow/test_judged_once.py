"""The admin's proposal form judges a proposed name once per save (issue #17 item 5): the
check its trial through the service made is handed to the real save as ``check=``."""

import pytest
from django.test import Client
from django.urls import reverse

from registry.models import Division, Proposal
from registry.services import steps
from tests.workflow.conftest import form_data


@pytest.fixture
def judgements(monkeypatch):
    """The names ``check_name`` judged on the admin form → service path."""
    calls = []
    real = steps.check_name

    def counted(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(steps, "check_name", counted)
    return calls


@pytest.fixture
def clerk(users):
    client = Client()
    client.force_login(users["clerk"])
    return client


def _change(client, proposal, **changes):
    url = reverse("admin:registry_proposal_change", args=[proposal.pk])
    data = form_data(client.get(url).content.decode(), "proposal_form")
    data.update(changes, _continue="1")
    return client.post(url, data)


def test_a_draft_added_and_corrected_in_the_admin_is_judged_once_per_save(clerk, judgements):
    shushan = Division.objects.get(code="340104")
    response = clerk.post(
        reverse("admin:registry_proposal_add"),
        {
            "action": "name",
            "name": "望湖新路",
            "category": "road",
            "division": shushan.pk,
            "reason": "以望湖片区命名",
            "heritage_era": "ce",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    proposal = Proposal.objects.get()
    assert judgements == ["望湖新路"]
    assert proposal.check_level == "ok"

    assert _change(clerk, proposal, name="望湖北路").status_code == 302
    assert judgements == ["望湖新路", "望湖北路"]
    assert Proposal.objects.get().name == "望湖北路"

    assert _change(clerk, proposal, reason="以望湖片区北部命名").status_code == 302  # the name unchanged: judged once
    assert judgements == ["望湖新路", "望湖北路", "望湖北路"]

    assert _change(clerk, proposal).status_code == 302  # nothing changed: nothing judged, nothing written
    assert judgements == ["望湖新路", "望湖北路", "望湖北路"]
