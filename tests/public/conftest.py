"""What the public-site tests share: staff in each role, a place with a former name, a
heritage listing, and proposals walked to a public notice (open or decided)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from registry.services.heritage import heritage_listing_create
from registry.services.places import name_record
from registry.services.proposals import objection_respond, proposal_create, proposal_transition
from registry.services.rounds import round_create, round_item_add, round_transition

CONTACT = "13900001111-secret@example.org"


@pytest.fixture
def staff(db, django_user_model):
    made = {}
    for name in ("clerk", "reviewer", "approver"):
        user = django_user_model.objects.create_user(name, password=f"{name}-pass-2026", is_staff=True)
        user.groups.add(Group.objects.get(name=name))
        made[name] = django_user_model.objects.get(pk=user.pk)
    return made


@pytest.fixture
def old_road(make_place):
    """淮河路, once 江淮路 (1948–1953)."""
    place = make_place("淮河路", pinyin="Huaihe Lu", named_on="1953", origin="以淮河命名。")
    name_record(place=place, name="江淮路", kind="former", valid_from="1948", valid_to="1953", source="测试来源")
    return place


@pytest.fixture
def town(make_place, db):
    from registry.models import Division

    place = make_place("柘皋镇", category="town", division=Division.objects.get(code="340181"))
    heritage_listing_create(
        place=place,
        scheme="ancient_town",
        level="provincial",
        status="listed",
        first_recorded_name="橐皋",
        in_use_since=-483,
        verification="secondary",
        source="巢湖市政府 2020",
    )
    return place


@pytest.fixture
def notice(staff, old_road, settings):
    """A rename of 淮河路 under a public notice that runs for another 7 days."""
    settings.REGISTRY_NOTICE_DAYS = 7
    proposal = proposal_create(
        action="rename",
        place=old_road,
        name="淮水路",
        drafted_by=staff["clerk"],
        reason="测试：与淮河路区分",
        origin="淮水",
    )
    for step, who in (("submit", "clerk"), ("start_review", "reviewer"), ("start_notice", "reviewer")):
        proposal = proposal_transition(proposal=proposal, transition=step, acting_user=staff[who])
    return proposal


def end_notice(proposal):
    """The notice ran its time (as if its days had passed)."""
    from registry.models import Proposal

    ended = timezone.now() - dt.timedelta(seconds=1)
    Proposal.objects.filter(pk=proposal.pk).update(notice_ends_at=ended)
    proposal.refresh_from_db()
    return proposal


def decide(proposal, staff):
    """Answer every objection and approve."""
    for objection in proposal.objections.filter(response=""):
        objection_respond(
            objection=objection, response="经研究，维持原方案。", acting_user=staff["reviewer"], outcome="not_accepted"
        )
    end_notice(proposal)
    return proposal_transition(
        proposal=proposal,
        transition="approve",
        acting_user=staff["approver"],
        authority="合肥市人民政府",
        document_number="合政秘〔2026〕9号",
        decided_on=timezone.localdate().isoformat(),
    )


# Three of the 61 长临河镇 roads of the 5th round, themed on famous people (HEFEI_FACTS.md §4).
ROUND_NAMES = ["蔡永祥路", "冯玉祥路", "丁汝昌路"]


def round_under_notice(staff: dict, names, *, title="合肥市第五批道路、水域命名规划", **item_fields):
    """A round of new 长临河镇 roads, submitted, reviewed and put under public notice."""
    round_ = round_create(
        title=title,
        organisers="合肥市自然资源和规划局、合肥市民政局",
        authority="合肥市人民政府",
        drafted_by=staff["clerk"],
    )
    for name in names:
        round_item_add(
            round_=round_,
            acting_user=staff["clerk"],
            action="name",
            name=name,
            category="road",
            division="340122104000",
            **{"reason": "长临河镇新建道路，以名人命名", **item_fields},
        )
    for step, who in (("submit", "clerk"), ("start_review", "reviewer"), ("start_notice", "reviewer")):
        round_ = round_transition(round_=round_, transition=step, acting_user=staff[who])
    return round_


@pytest.fixture
def round_notice(staff, settings):
    """A round of three new roads under a notice that runs for another 7 days."""
    settings.REGISTRY_NOTICE_DAYS = 7
    return round_under_notice(staff, ROUND_NAMES, details={"start": "甲", "end": "乙"})
