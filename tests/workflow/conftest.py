"""Users in each role, and helpers to walk a proposal to a given state."""
import pytest
from django.contrib.auth.models import Group

from registry.services.proposals import proposal_create, proposal_transition


@pytest.fixture
def users(db, django_user_model):
    made = {}
    for name, group in [("clerk", "clerk"), ("clerk2", "clerk"), ("reviewer", "reviewer"), ("approver", "approver"),
                        ("outsider", None)]:
        user = django_user_model.objects.create_user(name, password="pw-" + name, is_staff=True)
        if group:
            user.groups.add(Group.objects.get(name=group))
        made[name] = django_user_model.objects.get(pk=user.pk)  # fresh permission cache
    return made


@pytest.fixture
def walk(users, settings):
    """Create a proposal and take it through the given transitions with the usual roles."""
    settings.REGISTRY_NOTICE_DAYS = 0
    actors = {"submit": "clerk", "start_review": "reviewer", "start_notice": "reviewer", "object": "reviewer",
              "approve": "approver", "reject": "approver", "withdraw": "clerk"}

    def run(steps, **create):
        proposal = proposal_create(drafted_by=users["clerk"], reason=create.pop("reason", "测试"), **create)
        for step in steps:
            data = {}
            if step == "approve":
                data = {"authority": "合肥市人民政府", "document_number": "合政秘〔2026〕1号", "decided_on": "2026-11-01"}
            if step == "object":
                data = {"text": "附近已有同名道路"}
            if step == "reject":
                data = {"reason": "不符合命名规则"}
            proposal = proposal_transition(proposal=proposal, transition=step, acting_user=users[actors[step]], **data)
        return proposal

    return run
