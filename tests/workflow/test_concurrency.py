"""Two decisions at the same moment, on PostgreSQL with two connections: exactly one wins.

SQLite serializes every writer by design, so the race cannot arise there; CI runs this
module against PostgreSQL.
"""

import threading

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from registry.exceptions import Conflict, InvalidTransition
from registry.models import Division, Place
from registry.services.proposals import proposal_create, proposal_transition

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs PostgreSQL (real row locks across connections); CI runs it there",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
DECISION = {"authority": "合肥市人民政府", "document_number": "合政〔2026〕8号", "decided_on": timezone.localdate()}


@pytest.fixture
def people(django_user_model):
    approver = Group.objects.get(name="approver")
    made = {
        "clerk": django_user_model.objects.create_user("c", is_staff=True),
        "reviewer": django_user_model.objects.create_user("r", is_staff=True),
    }
    made["clerk"].groups.add(Group.objects.get(name="clerk"))
    made["reviewer"].groups.add(Group.objects.get(name="reviewer"))
    for name in ("a1", "a2"):
        made[name] = django_user_model.objects.create_user(name, is_staff=True)
        made[name].groups.add(approver)
    return {k: django_user_model.objects.get(pk=v.pk) for k, v in made.items()}


def ready(people, name):
    proposal = proposal_create(
        action="name",
        name=name,
        category="road",
        division=Division.objects.get(code="340104"),
        drafted_by=people["clerk"],
        reason="并发测试",
    )
    proposal_transition(proposal=proposal, transition="submit", acting_user=people["clerk"])
    proposal_transition(proposal=proposal, transition="start_review", acting_user=people["reviewer"])
    return proposal_transition(proposal=proposal, transition="start_notice", acting_user=people["reviewer"], days=0)


def race(*jobs):
    barrier = threading.Barrier(len(jobs))
    outcomes = []

    def run(job):
        try:
            barrier.wait()
            job()
            outcomes.append("ok")
        except (Conflict, InvalidTransition) as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return sorted(outcomes)


def test_two_approvers_deciding_one_proposal(people):
    proposal = ready(people, "习友路")
    outcomes = race(
        lambda: proposal_transition(proposal=proposal, transition="approve", acting_user=people["a1"], **DECISION),
        lambda: proposal_transition(proposal=proposal, transition="approve", acting_user=people["a2"], **DECISION),
    )
    assert outcomes == ["InvalidTransition", "ok"]
    assert Place.objects.filter(name="习友路").count() == 1


def test_two_proposals_of_one_name_approved_at_once(people):
    first, second = ready(people, "翡翠路"), ready(people, "翡翠路")
    outcomes = race(
        lambda: proposal_transition(proposal=first, transition="approve", acting_user=people["a1"], **DECISION),
        lambda: proposal_transition(proposal=second, transition="approve", acting_user=people["a2"], **DECISION),
    )
    assert outcomes == ["Conflict", "ok"]
    assert Place.objects.filter(name="翡翠路").count() == 1
