"""The rounds API (SPEC.md "Naming rounds"): the Done-when walk of issue #13 over HTTP."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from registry.models import Place
from tests.rounds.conftest import DIVISION, PLAIN, RENAMES, RETIRES, SERIES, today


def client(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def post(user, path, data=None, status=200):
    response = client(user).post(f"/api/v1/rounds/{path}", data or {}, format="json")
    assert response.status_code == status, response.content.decode()[:500]
    return response.json()


@pytest.fixture
def drafted(users, places, settings):
    settings.REGISTRY_NOTICE_DAYS = 0
    body = post(
        users["clerk"],
        "",
        {"title": "第五批道路命名", "organisers": "合肥市自然资源和规划局、合肥市民政局"},
        status=201,
    )
    rid = body["id"]
    for name in SERIES + PLAIN:
        post(
            users["clerk"],
            f"{rid}/items/",
            {"action": "name", "name": name, "category": "road", "division": DIVISION, "reason": "新建道路"},
            status=201,
        )
    for old, new in RENAMES:
        post(
            users["clerk"],
            f"{rid}/items/",
            {"action": "rename", "place": places[old].code, "name": new, "reason": "规范更名"},
            status=201,
        )
    for name in RETIRES:
        post(
            users["clerk"],
            f"{rid}/items/",
            {"action": "retire", "place": places[name].code, "reason": "道路已拆除"},
            status=201,
        )
    return rid


def test_a_round_of_thirty_items_walks_to_its_announcement(drafted, users, places):
    rid = drafted
    body = post(users["clerk"], f"{rid}/submit/")
    findings = {item["number"]: {f["rule"] for f in item["findings"]} for item in body["items"]}
    assert len(findings) == 30
    assert "DUPLICATE" in findings[10] and "DUPLICATE" in findings[11]
    assert "HOMOPHONE" in findings[12] and "HOMOPHONE" in findings[13]
    assert all("SERIES_GAP" in findings[n] for n in range(1, 10))
    post(users["reviewer"], f"{rid}/start_review/")
    body = post(users["reviewer"], f"{rid}/start_notice/", {"days": 0})
    assert body["state"] == "public_notice"
    post(users["reviewer"], f"{rid}/items/11/withdraw/", {"reason": "与第10项重名"})
    post(users["reviewer"], f"{rid}/items/20/defer/", {"reason": "待下一批"})
    post(users["reviewer"], f"{rid}/items/12/object/", {"text": "与竹琳路同音"})
    body = post(
        users["approver"],
        f"{rid}/approve/",
        {"authority": "合肥市人民政府", "document_number": "合政秘〔2026〕9号", "decided_on": today()},
        status=409,
    )
    objection = client(users["reviewer"]).get(f"/api/v1/rounds/{rid}/").json()["items"][11]["objections"][0]
    post(users["reviewer"], f"{rid}/objections/{objection['id']}/respond/", {"response": "已研究，维持原方案"})
    body = post(
        users["approver"],
        f"{rid}/approve/",
        {"authority": "合肥市人民政府", "document_number": "合政秘〔2026〕9号", "decided_on": today()},
    )
    outcomes = {item["number"]: item["outcome"] for item in body["items"]}
    assert outcomes[11] == "withdrawn" and outcomes[20] == "deferred"
    assert sum(1 for o in outcomes.values() if o == "approved") == 28
    announcement = client(users["reviewer"]).get(f"/api/v1/rounds/{rid}/announcement/").json()
    listed = [row["item"] for row in announcement["items"]]
    assert listed == [n for n in range(1, 31) if n not in (11, 20)]
    renamed = [row for row in announcement["items"] if row["old_name"]]
    assert [(r["old_name"], r["standard_name"]) for r in renamed] == RENAMES
    html = client(users["reviewer"]).get(f"/api/v1/rounds/{rid}/announcement/?format=html").content.decode()
    assert '旧甲路</span> → <span class="standard-name">青檀路' in html and announcement["number"] in html
    table = list(
        csv.reader(
            io.StringIO(
                client(users["reviewer"])
                .get(f"/api/v1/rounds/{rid}/announcement/?format=csv")
                .content.decode("utf-8-sig")
            )
        )
    )
    assert table[0][1] == announcement["number"] and len([r for r in table if r and r[0].isdigit()]) == 28
    sheet = load_workbook(
        io.BytesIO(client(users["reviewer"]).get(f"/api/v1/rounds/{rid}/announcement/?format=xlsx").content)
    ).active
    assert sum(1 for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)) == 28
    day_before = (dt.date.fromisoformat(today()) - dt.timedelta(days=1)).isoformat()
    old = client(users["reviewer"]).get(f"/api/v1/places/{places['旧甲路'].code}/?as_of={day_before}").json()
    assert old["name"] == "旧甲路"
    assert Place.objects.get(pk=places["旧甲路"].pk).name == "青檀路"


def test_a_step_not_allowed_is_refused_with_its_reason(drafted, users):
    response = client(users["reviewer"]).post(f"/api/v1/rounds/{drafted}/submit/", {}, format="json")
    assert response.status_code == 403
    response = client(users["clerk"]).post(f"/api/v1/rounds/{drafted}/approve/", {"bogus": 1}, format="json")
    assert response.status_code == 400 and "bogus" in response.json().get("bogus", response.json()).__str__()
