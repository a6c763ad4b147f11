"""The round's admin pages as the naming office uses them: bulk withdraw/defer, the decision summary, import."""

from django.test import Client
from django.urls import reverse

from registry.models import Round
from registry.services.rounds import round_item_step, round_transition


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_bulk_defer_from_the_item_list_and_the_decision_summary(round30, users):
    for step, role in (("submit", "clerk"), ("start_review", "reviewer"), ("start_notice", "reviewer")):
        round_transition(round_=round30, transition=step, acting_user=users[role])
    round_item_step(item=round30.items.get(position=12), step="object", acting_user=users["reviewer"], text="同音")
    chosen = list(round30.items.filter(position__in=(3, 4)).values_list("pk", flat=True))
    response = _client(users["reviewer"]).post(
        reverse("admin:registry_rounditem_changelist"), {"action": "defer_items", "_selected_action": chosen}
    )
    assert response.status_code == 302
    assert set(round30.items.filter(outcome="deferred").values_list("position", flat=True)) == {3, 4}
    listing = _client(users["reviewer"]).get(reverse("admin:registry_rounditem_changelist") + "?rule=DUPLICATE")
    assert (
        listing.status_code == 200 and "松风路" in listing.content.decode() and "经一路" not in listing.content.decode()
    )
    page = _client(users["approver"]).get(reverse("admin:registry_round_step", args=[round30.pk, "approve"]))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="round-summary"' in html and "同音" in html
    assert 'name="override_11"' in html and 'name="override_10"' in html  # the items whose check has errors


def test_the_import_page_refuses_a_bad_file_by_row(users, tmp_path):
    upload = tmp_path / "round.csv"
    upload.write_text("操作,拟用名称,类别,行政区划代码,理由\n命名,经一路,道路街巷,999999,新建\n", encoding="utf-8")
    with open(upload, "rb") as fh:
        response = _client(users["clerk"]).post(reverse("admin:registry_round_import"), {"title": "第五批", "file": fh})
    assert response.status_code == 200 and "第 2 行" in response.content.decode()
    assert not Round.objects.exists()
