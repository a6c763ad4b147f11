"""What a proposal POST costs (issue #12, reliability 9): under 8 clients on 2 workers the write's
latency is its round trips to the database times the queue, so their number is held here.

A draft of a new name: the token, the user's permissions (2), the division, the revisions, the
name check's lookup, the proposal, its audit entry, its draft event, the commit, and the answer's
timeline (events, their actors, objections). Not: the division checked again by ``full_clean``, the
similarity index's pending rows in a transaction that wrote no place, or the ETag's own reads.
"""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from registry.services.tokens import token_issue

BODY = {"action": "name", "name": "习友路", "category": "road", "division": "340104", "reason": "新建道路"}


@pytest.fixture
def clerk(db, django_user_model):
    user = django_user_model.objects.create_user("clerk", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="clerk"))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=user)[1]}")
    return api


def test_a_proposal_post_takes_a_bounded_number_of_queries(clerk, make_place):
    make_place("长江路")
    assert clerk.post("/api/v1/proposals/", BODY, format="json").status_code == 201  # warm the process's caches
    with CaptureQueriesContext(connection) as queries:
        response = clerk.post("/api/v1/proposals/", BODY, format="json")
    assert response.status_code == 201 and response["ETag"]
    sql = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert not [q for q in sql if q.startswith('SELECT 1 AS "a" FROM "registry_division"')], "division checked twice"
    assert len(sql) <= 13, "\n".join(s[:120] for s in sql)
