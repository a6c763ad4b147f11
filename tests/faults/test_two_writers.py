"""Two writers at the same moment, through a production server with two workers.

- Two approvers approve the same proposal at once (a barrier releases both requests
  together): exactly one 200, the other a 409 saying why, and one decision recorded.
- Two clerks open the same place's change form, then save it at once, each changing two
  fields: exactly one save goes through (302); the other, based on a version that is no
  longer current, is refused with what changed (a 200 re-showing the form with the
  error, issue #12 reliability 8), and the place holds the winner's pair, never a mix.
"""

from __future__ import annotations

import threading

import requests
from django.utils import timezone

from tests.admin.html_forms import parse
from tests.faults.conftest import admin_session, gunicorn, seed

ROUNDS = 3


def together(*calls):
    """Run the calls in threads released at the same instant; their results in order."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def proposal_in_notice(base: str, tokens: dict, name: str) -> int:
    def post(who, path, body):
        response = requests.post(base + path, json=body, headers={"Authorization": f"Token {tokens[who]}"}, timeout=60)
        assert response.status_code in (200, 201), (path, response.text)
        return response.json()

    pid = post(
        "clerk",
        "/api/v1/proposals/",
        {"action": "name", "name": name, "category": "road", "division": "340104", "reason": "新建道路"},
    )["id"]
    post("clerk", f"/api/v1/proposals/{pid}/submit/", {})
    post("reviewer", f"/api/v1/proposals/{pid}/start_review/", {})
    post("reviewer", f"/api/v1/proposals/{pid}/start_notice/", {"days": 0})
    return pid


def test_two_approvals_at_once_have_exactly_one_winner(fresh_db, static_root):
    people = seed(fresh_db)
    tokens = people["tokens"]
    with gunicorn(fresh_db, static_root, REGISTRY_NOTICE_DAYS="0") as base:
        for round_ in range(ROUNDS):
            pid = proposal_in_notice(base, tokens, f"并发审批{'甲乙丙'[round_]}路")
            decision = {
                "authority": "合肥市人民政府",
                "document_number": f"合政〔2026〕{90 + round_}号",
                "decided_on": timezone.localdate().isoformat(),
            }

            def approve(who):
                return lambda: requests.post(
                    f"{base}/api/v1/proposals/{pid}/approve/",
                    json=decision,
                    timeout=60,
                    headers={"Authorization": f"Token {tokens[who]}"},
                )

            answers = together(approve("approver"), approve("approver2"))
            assert sorted(a.status_code for a in answers) == [200, 409], [(a.status_code, a.text) for a in answers]
            loser = next(a for a in answers if a.status_code == 409)
            assert loser.headers["Content-Type"].startswith("application/json") and loser.json()
            assert (
                fresh_db.scalar(
                    "SELECT COUNT(*) FROM registry_proposalevent WHERE proposal_id = %s AND transition = 'approve'",
                    (pid,),
                )
                == 1
            )
            assert (
                fresh_db.scalar(
                    "SELECT COUNT(*) FROM registry_place WHERE name = %s", (f"并发审批{'甲乙丙'[round_]}路",)
                )
                == 1
            )


def test_two_clerks_saving_one_place_at_once_one_wins_the_other_is_told(fresh_db, static_root):
    people = seed(fresh_db)
    place = people["place"]["id"]
    with gunicorn(fresh_db, static_root) as base:
        clerks = [admin_session(base, name, f"pw-{name}-2026") for name in ("clerk", "clerk2")]
        change = f"{base}/admin/registry/place/{place}/change/"
        for round_ in range(ROUNDS):
            posts = []
            for index, session in enumerate(clerks):
                form = parse(session.get(change, timeout=60).text).form("place_form")
                mark = f"第{round_}轮{'甲乙'[index]}"
                data = form.data("_save") | {
                    "origin": [f"{mark}的含义"],
                    "note": [f"{mark}的备注"],
                    "csrfmiddlewaretoken": [session.cookies["csrftoken"]],
                }
                posts.append(
                    lambda s=session, d=data: s.post(
                        change, data=d, headers={"Referer": change}, timeout=60, allow_redirects=False
                    )
                )
            answers = together(*posts)
            assert all(a.status_code < 500 for a in answers), [(a.status_code, a.text[:300]) for a in answers]
            statuses = [a.status_code for a in answers]
            assert sorted(statuses) == [200, 302], [(a.status_code, parse(a.text).errors) for a in answers]
            loser = answers[statuses.index(200)]
            assert "已有他人修改" in loser.text or "was changed by someone else" in loser.text, parse(loser.text).errors
            winner = "甲乙"[statuses.index(302)]
            origin, note = fresh_db.rows("SELECT origin, note FROM registry_place WHERE id = %s", (place,))[0]
            assert (origin, note) == (f"第{round_}轮{winner}的含义", f"第{round_}轮{winner}的备注"), (origin, note)
