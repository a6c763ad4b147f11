"""The work dashboard on the admin home: per role, what waits, with counts that match
the lists they open, changing as a proposal moves through the workflow."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from registry.admin.dashboard import dashboard, objections_have_responses, waiting_for_me
from registry.models import Division, Objection, Proposal
from registry.services.places import place_create
from registry.services.filing import proposal_mark_filed
from registry.services.proposals import proposal_create, proposal_transition
from tests.admin.html_forms import parse

ROLES = ("clerk", "reviewer", "approver")
WAITING, NOTICES, DEADLINES = "待我处理", "公示", "备案与公告期限"
TILE = re.compile(r'<a href="([^"]+)"><span class="dash-count">(\d+)</span><span class="dash-label">([^<]+)</span>')


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
    made = {u.username: u for u in django_user_model.objects.all()}
    made["boss"] = django_user_model.objects.create_superuser("boss", "boss@example.org", "pw-boss")
    return made


@pytest.fixture
def road(db):
    return place_create(name="左圣宫巷", category="road", division=Division.objects.get(code="340111"), named_on="1900")


def step(proposal, name, user, **data):
    return proposal_transition(proposal=proposal, transition=name, acting_user=user, **data)


def tiles(user, now=None) -> dict[tuple[str, str], int]:
    """(section, tile label) → count, in Chinese as the page shows them."""
    from django.utils import translation

    with translation.override("zh-hans"):
        return {(str(s.title), str(t.label)): t.count for s in dashboard(user, now) for t in s.tiles}


def waiting(user, now=None) -> dict[str, int]:
    return {label: n for (section, label), n in tiles(user, now).items() if section == WAITING}


def test_the_counts_follow_a_proposal_through_the_workflow(users, road):
    clerk, reviewer, approver = (users[r] for r in ROLES)
    proposal = proposal_create(
        action="rename", place=road, name="庐江路", reason="以安徽省庐江县命名", drafted_by=clerk
    )
    assert waiting(clerk) == {"我的草稿（待提交）": 1}
    assert waiting(users["clerk2"]) == {"我的草稿（待提交）": 0}  # another clerk's draft is not mine
    assert waiting(reviewer)["已提交（待受理审核）"] == 0

    proposal = step(proposal, "submit", clerk)
    assert waiting(clerk) == {"我的草稿（待提交）": 0}
    assert waiting(reviewer)["已提交（待受理审核）"] == 1 and waiting(reviewer)["审核中（待发起公示）"] == 0

    proposal = step(proposal, "start_review", reviewer)
    assert waiting(reviewer)["已提交（待受理审核）"] == 0 and waiting(reviewer)["审核中（待发起公示）"] == 1

    proposal = step(proposal, "start_notice", reviewer, days=2)
    assert waiting(reviewer)["审核中（待发起公示）"] == 0
    assert tiles(approver)[(NOTICES, "3 日内结束")] == 1 and tiles(approver)[(NOTICES, "正在公示")] == 1
    assert waiting(approver) == {"公示期满（待决定）": 0}  # the notice still runs

    later = timezone.now() + dt.timedelta(days=2, minutes=1)
    assert waiting(approver, later) == {"公示期满（待决定）": 1}
    assert tiles(approver, later)[(NOTICES, "3 日内结束")] == 0
    assert tiles(approver, later)[(DEADLINES, "已批准、尚未备案")] == 0

    Proposal.objects.filter(pk=proposal.pk).update(notice_ends_at=timezone.now() - dt.timedelta(minutes=1))
    proposal = step(
        proposal,
        "approve",
        approver,
        authority="合肥市人民政府",
        document_number="合政〔2026〕18号",
        decided_on=timezone.localdate(),
    )
    assert waiting(approver) == {"公示期满（待决定）": 0}
    assert tiles(approver)[(DEADLINES, "已批准、尚未备案")] == 1
    assert DEADLINES not in {section for section, _label in tiles(clerk)}  # filing is the approver's duty


def test_an_approval_shows_its_filing_and_announcement_deadlines_until_it_is_filed(users, road, settings):
    settings.REGISTRY_NOTICE_DAYS = 0
    proposal = proposal_create(action="rename", place=road, name="庐江路", reason="x", drafted_by=users["clerk"])
    for name, user in [("submit", "clerk"), ("start_review", "reviewer"), ("start_notice", "reviewer")]:
        proposal = step(proposal, name, users[user])
    today = timezone.localdate()
    step(
        proposal,
        "approve",
        users["approver"],
        authority="合肥市人民政府",
        document_number="合政〔2026〕18号",
        decided_on=today,
    )

    def deadlines(days_later):
        now = timezone.now() + dt.timedelta(days=days_later)
        return next(s for s in dashboard(users["approver"], now) if s.deadlines is not None).deadlines

    [row] = deadlines(0)
    assert (row.decided_on, row.filing_due, row.announcement_due) == (
        today,
        today + dt.timedelta(days=15),
        today + dt.timedelta(days=15),
    )
    assert row.days_left == 15 and not row.close and not row.overdue
    [row] = deadlines(13)
    assert row.days_left == 2 and row.close
    [row] = deadlines(15)
    assert row.days_left == 0 and row.close
    [row] = deadlines(16)  # past its deadline and not filed: it stays, overdue
    assert row.overdue and row.days_overdue == 1
    proposal_mark_filed(proposal=proposal, acting_user=users["approver"])
    assert deadlines(0) == [] and deadlines(16) == []  # filed: it leaves the list


@pytest.fixture
def every_state(users, road, settings):
    """Proposals in every state, one of them drafted by the approver (who may not decide it)."""
    settings.REGISTRY_NOTICE_DAYS = 0
    division = Division.objects.get(code="340104")
    clerk, reviewer, approver = (users[r] for r in ROLES)
    made = []
    for i, steps in enumerate(
        [
            [],
            ["submit"],
            ["submit", "start_review"],
            ["submit", "start_review", "start_notice"],
            ["submit", "start_review", "start_notice", "object"],
            ["submit", "start_review", "start_notice", "approve"],
            ["submit", "reject"],
            ["withdraw"],
        ]
    ):
        proposal = proposal_create(
            action="name",
            name=f"望岳{'一二三四五六七八'[i]}路",
            category="road",
            division=division,
            reason="x",
            drafted_by=clerk,
        )
        for name in steps:
            actor = {"submit": clerk, "withdraw": clerk, "approve": approver, "reject": approver}.get(name, reviewer)
            data = {
                "object": {"text": "附近居民来信"},
                "reject": {"reason": "重名"},
                "approve": {
                    "authority": "合肥市人民政府",
                    "document_number": f"合政〔2026〕{i}号",
                    "decided_on": timezone.localdate(),
                },
            }.get(name, {})
            proposal = step(proposal, name, actor, **data)
        made.append(proposal)
    boss = users["boss"]
    own = proposal_create(action="name", name="听泉路", category="road", division=division, reason="x", drafted_by=boss)
    for name in ("submit", "start_review", "start_notice"):
        own = step(own, name, boss)
    running = proposal_create(
        action="name", name="揽月路", category="road", division=division, reason="x", drafted_by=clerk
    )
    for name, data in [("submit", {}), ("start_review", {}), ("start_notice", {"days": 2})]:
        running = step(running, name, clerk if name == "submit" else reviewer, **data)
    return made


@pytest.mark.parametrize("role", [*ROLES, "boss"])
def test_every_count_is_the_number_of_rows_its_link_opens(role, users, every_state):
    client = Client()
    client.force_login(users[role])
    page = client.get(reverse("admin:index"))
    assert page.status_code == 200
    shown = TILE.findall(page.content.decode())
    assert len(shown) == sum(len(s.tiles) for s in dashboard(users[role])) > 0
    for url, count, label in shown:
        response = client.get(html.unescape(url))
        assert response.status_code == 200, (label, url, response.status_code)
        assert "e=1" not in response.request["QUERY_STRING"], f"the list refused the filter of {label}"
        assert response.context["cl"].result_count == int(count), (label, url)


@pytest.mark.parametrize("role", [*ROLES, "boss"])
def test_waiting_for_me_is_what_the_queue_filter_lists(role, users, every_state):
    """The dashboard and the proposal list's 待我处理 filter agree (one definition)."""
    client = Client()
    client.force_login(users[role])
    response = client.get(reverse("admin:registry_proposal_changelist"), {"queue": "mine"})
    listed = {p.pk for p in response.context["cl"].queryset}
    assert listed == set(Proposal.objects.filter(waiting_for_me(users[role])).values_list("pk", flat=True))


def test_nobody_is_asked_to_decide_their_own_draft(users, every_state):
    boss = users["boss"]
    own = Proposal.objects.get(name="听泉路")
    assert own.state == "public_notice" and own.notice_ends_at <= timezone.now()
    assert not Proposal.objects.filter(waiting_for_me(boss), pk=own.pk).exists()
    assert Proposal.objects.filter(waiting_for_me(users["approver"]), pk=own.pk).exists()


def test_objections_without_a_response_are_counted_once_objections_record_responses(users, every_state):
    labels = {label for _section, label in tiles(users["reviewer"])}
    if not objections_have_responses():
        assert "未答复的异议" not in labels
        return
    assert tiles(users["reviewer"])[(NOTICES, "未答复的异议")] == Objection.objects.filter(response="").count() == 1
    assert "未答复的异议" not in {label for _section, label in tiles(users["clerk"])}


def test_the_dashboard_sits_above_the_app_list_in_chinese(users, every_state):
    client = Client()
    client.force_login(users["approver"])
    content = client.get(reverse("admin:index")).content.decode()
    assert content.index('id="work-dashboard"') < content.index('class="app-registry module')
    for text in (
        "我的工作",
        "待我处理",
        "公示期满（待决定）",
        "3 日内结束",
        "备案与公告期限",
        "备案期限",
        "公告期限",
        "还剩 15 日",
    ):
        assert text in content, text
    page = parse(content)
    assert any("/admin/registry/proposal/?queue=mine&state__exact=public_notice" == link for link in page.links)


def test_a_staff_user_without_a_role_gets_no_dashboard(users):
    client = Client()
    client.force_login(users["outsider"])
    content = client.get(reverse("admin:index")).content.decode()
    assert 'id="work-dashboard"' not in content
    assert dashboard(users["outsider"]) == []
