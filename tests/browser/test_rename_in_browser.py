"""End to end in a real browser (Debian's Chromium driven by Playwright): a rename goes
from a clerk's draft through review and public notice to an approver's decision, and
the place's page then shows the old name closed and the new one with its document.

Run with ``pytest -m browser`` (CI installs Chromium and runs it); it never downloads a
browser. Screenshots of the proposal and of the place's history go to ``docs/``.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from registry.models import Division, Place, Proposal
from registry.services.places import place_create
from tests.browser.conftest import DOCS
from tests.browser.pages import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def staff(django_user_model, settings):
    settings.REGISTRY_NOTICE_DAYS = 0
    for name in ("clerk", "reviewer", "approver"):
        user = django_user_model.objects.create_user(name, password=f"{name}-pass-2026", is_staff=True)
        user.groups.add(Group.objects.get(name=name))


def take_step(page, base, proposal_id, step, fields=None):
    page.goto(f"{base}/admin/registry/proposal/{proposal_id}/change/")
    page.click(f"a.workflow-step[data-step='{step}']")
    for selector, value in (fields or {}).items():
        page.fill(selector, value)
    page.click("#transition-form input[type=submit]")
    page.wait_for_selector(".messagelist .success")


def test_a_rename_from_draft_to_decision(browser_page, live_server, staff):
    page, base = browser_page, live_server.url
    road = place_create(name="左圣宫巷", category="road", division=Division.objects.get(code="340111"), named_on="1900")

    login(page, base, "clerk")
    page.goto(f"{base}/admin/registry/proposal/add/")
    page.select_option("#id_action", "rename")
    page.evaluate(f"""() => {{ const s = document.querySelector('#id_place');
        s.add(new Option('{road.name}', '{road.pk}', true, true)); }}""")
    page.fill("#id_name", "庐江路")
    page.fill("#id_reason", "以安徽省庐江县命名，统一旧城街巷名称")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    proposal = Proposal.objects.get()
    assert proposal.check_level == "ok"
    take_step(page, base, proposal.pk, "submit")

    login(page, base, "reviewer")
    take_step(page, base, proposal.pk, "start_review")
    take_step(page, base, proposal.pk, "start_notice", {"#id_days": "0"})

    login(page, base, "approver")
    page.goto(f"{base}/admin/registry/proposal/{proposal.pk}/change/")
    page.screenshot(path=str(DOCS / "proposal-page.png"), full_page=True)
    today = timezone.localdate()
    take_step(
        page,
        base,
        proposal.pk,
        "approve",
        {"#id_document_number": "合政〔2026〕18号", "#id_decided_on": today.isoformat()},
    )

    page.goto(f"{base}/admin/registry/place/{road.pk}/change/")
    history = page.inner_text("body")
    page.screenshot(path=str(DOCS / "place-history.png"), full_page=True)
    assert "庐江路" in history and "左圣宫巷" in history and "合政〔2026〕18号" in history
    road = Place.objects.get(pk=road.pk)
    assert road.name == "庐江路"
    assert list(road.names.values_list("name", "kind", "valid_to", "decision_document")) == [
        ("左圣宫巷", "former", (today - dt.timedelta(days=1)).isoformat(), ""),
        ("庐江路", "official", "", "合政〔2026〕18号"),
    ]
