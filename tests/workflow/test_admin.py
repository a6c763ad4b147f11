"""The workflow in the admin: queues, buttons, transitions through forms, the printable 公告."""
import pytest
from django.test import Client
from django.urls import reverse

from registry.models import Place, Proposal


@pytest.fixture
def login(users):
    def client(name):
        c = Client()
        c.force_login(users[name])
        return c

    return client


def step(client, proposal, name, data=None):
    url = reverse("admin:registry_proposal_transition", args=[proposal.pk, name])
    return client.post(url, data or {}, follow=True)


def test_a_rename_through_the_admin(login, users, db, settings):
    settings.REGISTRY_NOTICE_DAYS = 0
    from registry.models import Division
    from registry.services.places import place_create

    road = place_create(name="左圣宫巷", category="road", division=Division.objects.get(code="340111"), named_on="1900")
    clerk, reviewer, approver = login("clerk"), login("reviewer"), login("approver")
    response = clerk.post(reverse("admin:registry_proposal_add"), {
        "action": "rename", "place": road.pk, "name": "庐江路", "reason": "以安徽省庐江县命名", "category": "",
    }, follow=True)
    assert response.status_code == 200
    proposal = Proposal.objects.get()
    page = clerk.get(reverse("admin:registry_proposal_change", args=[proposal.pk])).content.decode()
    assert 'data-step="submit"' in page and 'data-step="approve"' not in page
    step(clerk, proposal, "submit")
    queue = reviewer.get(reverse("admin:registry_proposal_changelist"), {"queue": "mine"}).content.decode()
    assert "庐江路" in queue
    step(reviewer, proposal, "start_review")
    step(reviewer, proposal, "start_notice", {"days": "0"})
    step(reviewer, proposal, "object", {"text": "群众来信：建议保留旧名"})
    page = approver.get(reverse("admin:registry_proposal_change", args=[proposal.pk])).content.decode()
    assert 'data-step="approve"' in page and "群众来信" in page
    step(approver, proposal, "approve", {"authority": "合肥市人民政府", "document_number": "合政〔1956〕12号",
                                         "decided_on": "2026-11-05"})
    proposal.refresh_from_db()
    assert proposal.state == "approved"
    road.refresh_from_db()
    assert road.name == "庐江路"
    history = approver.get(reverse("admin:registry_place_change", args=[road.pk])).content.decode()
    assert "左圣宫巷" in history and "合政〔1956〕12号" in history
    printed = approver.get(reverse("admin:registry_proposal_announcement", args=[proposal.pk])).content.decode()
    assert "庐江路" in printed and "Lujiang Lu" in printed and "合肥市人民政府" in printed and "包河区" in printed


def test_a_step_refused_in_the_admin_shows_why_and_changes_nothing(login, users, db):
    from registry.models import Division
    from registry.services.proposals import proposal_create

    proposal = proposal_create(action="name", name="习友路", category="road", division=Division.objects.get(code="340104"),
                               drafted_by=users["clerk"], reason="x")
    response = step(login("approver"), proposal, "approve", {"authority": "a", "document_number": "b",
                                                             "decided_on": "2026-11-05"})
    assert "draft" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == "draft" and not Place.objects.exists()


def test_the_add_form_shows_service_errors(login, db):
    response = login("clerk").post(reverse("admin:registry_proposal_add"), {"action": "rename", "reason": "x"})
    assert response.status_code == 200 and not Proposal.objects.exists()
    assert "errorlist" in response.content.decode()


def test_outsiders_cannot_draft(login, db):
    assert login("outsider").get(reverse("admin:registry_proposal_add")).status_code == 403
