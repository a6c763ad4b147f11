"""Users in each role, and helpers to walk a proposal to a given state."""

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from registry.services.proposals import objection_respond, proposal_create, proposal_transition


def today() -> str:
    """Decisions are dated between the end of the notice and today: tests decide today."""
    return timezone.localdate().isoformat()


@pytest.fixture
def users(db, django_user_model):
    made = {}
    for name, group in [
        ("clerk", "clerk"),
        ("clerk2", "clerk"),
        ("reviewer", "reviewer"),
        ("approver", "approver"),
        ("outsider", None),
    ]:
        user = django_user_model.objects.create_user(name, password="pw-" + name, is_staff=True)
        if group:
            user.groups.add(Group.objects.get(name=group))
        made[name] = django_user_model.objects.get(pk=user.pk)  # fresh permission cache
    return made


@pytest.fixture
def walk(users, settings):
    """Create a proposal and take it through the given steps with the usual roles.

    ``respond`` answers the latest objection (it is not a transition, but a decision needs it).
    """
    settings.REGISTRY_NOTICE_DAYS = 0
    actors = {
        "submit": "clerk",
        "start_review": "reviewer",
        "start_notice": "reviewer",
        "object": "reviewer",
        "approve": "approver",
        "reject": "approver",
        "withdraw": "clerk",
        "return_for_revision": "reviewer",
        "respond": "reviewer",
    }

    def run(steps, **create):
        proposal = proposal_create(drafted_by=users["clerk"], reason=create.pop("reason", "测试"), **create)
        for step in steps:
            if step == "respond":
                objection_respond(
                    objection=proposal.objections.last(), response="已研究，维持原方案", acting_user=users["reviewer"]
                )
                continue
            data = {}
            if step == "approve":
                data = {"authority": "合肥市人民政府", "document_number": "合政秘〔2026〕1号", "decided_on": today()}
            if step == "object":
                data = {"text": "附近已有同名道路"}
            if step in ("reject", "return_for_revision"):
                data = {"reason": "不符合命名规则"}
            proposal = proposal_transition(proposal=proposal, transition=step, acting_user=users[actors[step]], **data)
        return proposal

    return run


def form_data(html: str, form_id: str) -> dict:
    """The values a browser would send for the form ``form_id`` of ``html`` (inputs,
    selected options, textareas), so that admin POSTs carry the inline management forms."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.inside, self.data, self.select, self.textarea = False, {}, None, None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form":
                self.inside = attrs.get("id") == form_id
            if not self.inside:
                return
            name = attrs.get("name")
            if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
                if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                    return
                self.data[name] = attrs.get("value", "")
            elif tag == "select" and name:
                self.select = name
                self.data.setdefault(name, "")
            elif tag == "option" and self.select and "selected" in attrs:
                self.data[self.select] = attrs.get("value", "")
            elif tag == "textarea" and name:
                self.textarea = name
                self.data[name] = ""

        def handle_endtag(self, tag):
            if tag == "form":
                self.inside = False
            elif tag == "select":
                self.select = None
            elif tag == "textarea":
                self.textarea = None

        def handle_data(self, data):
            if self.inside and self.textarea:
                self.data[self.textarea] += data.lstrip("\n") if not self.data[self.textarea] else data

    reader = Reader()
    reader.feed(html)
    return reader.data
