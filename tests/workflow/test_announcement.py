"""The 公告 (issue #10 item 7): titled by action, a rename shows 原名 → 新名, the location
does not repeat the division, a per-year number from a locked counter with the prefix
from the settings, the issuing authority and date."""

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from registry.models import Announcement, CodeCounter, Division
from registry.services.places import place_create
from registry.services.proposals import announcement_number

STEPS = ["submit", "start_review", "start_notice", "approve"]


@pytest.fixture
def baohe(db):
    return Division.objects.get(code="340111")


def printed(announcement) -> str:
    from django.conf import settings

    return render_to_string(
        "registry/announcement.html",
        {
            "a": announcement,
            "lang": settings.LANGUAGE_CODE,
            "action": announcement.action,
            "issuer": announcement.issuing_authority,
            "issued_on": announcement.issued_on,
        },
    )


def test_a_rename_announcement_shows_the_old_and_the_new_name(walk, baohe):
    road = place_create(
        name="左圣宫巷",
        category="road",
        division=baohe,
        named_on="1900",
        details={"start": "宿州路", "end": "徽州路"},
        longitude="117.291",
        latitude="31.863",
    )
    proposal = walk(STEPS, action="rename", place=road, name="庐江路")
    announcement = Announcement.objects.get(proposal=proposal)
    assert (announcement.action, announcement.old_name, announcement.standard_name) == ("rename", "左圣宫巷", "庐江路")
    assert announcement.division_name == "合肥市包河区"
    assert announcement.location == "起于宿州路，止于徽州路；中心点位于东经 117.291000°、北纬 31.863000°"
    assert "包河区" not in announcement.location
    page = printed(announcement)
    assert '<h1 id="announcement-title">地名更名公告</h1>' in page
    assert '<span id="old-name">左圣宫巷</span> → <span id="new-name">庐江路</span>' in page
    assert "特此公告" in page and "合肥市民政局" in page


@pytest.mark.parametrize(
    "action,title",
    [
        ("name", "地名命名公告"),
        ("retire", "地名销名公告"),
        ("rename", "地名更名公告"),
    ],
)
def test_the_title_follows_the_action(walk, baohe, action, title):
    create = {"action": action}
    if action == "name":
        create.update(name="习友路", category="road", division=baohe)
    else:
        create["place"] = place_create(name="老城巷", category="road", division=baohe)
        if action == "rename":
            create["name"] = "新城巷"
    proposal = walk(STEPS, **create)
    announcement = Announcement.objects.get(proposal=proposal)
    from django.utils import translation

    with translation.override("zh-hans"):
        assert announcement.title == title
    page = printed(announcement)
    assert f'<h1 id="announcement-title">{title}</h1>' in page
    assert ("原名 → 新名" in page) == (action == "rename")


def test_announcements_are_numbered_per_year_with_the_configured_prefix(walk, baohe, settings):
    year = timezone.localdate().year
    first = walk(STEPS, action="name", name="习友路", category="road", division=baohe)
    settings.REGISTRY_ANNOUNCEMENT_PREFIX = "芜民地公"
    settings.REGISTRY_ANNOUNCING_AUTHORITY = "芜湖市民政局"
    second = walk(STEPS, action="name", name="潜山路", category="road", division=baohe)
    a1, a2 = (Announcement.objects.get(proposal=p) for p in (first, second))
    assert (a1.year, a1.serial, a1.number) == (year, 1, f"合民地公〔{year}〕第1号")
    assert (a2.year, a2.serial, a2.number) == (year, 2, f"芜民地公〔{year}〕第2号")
    assert a2.issuing_authority == "芜湖市民政局" and a2.issued_on == timezone.localdate()
    assert f"芜民地公〔{year}〕第2号" in printed(a2) and "合肥市民政局" not in printed(a2)


def test_a_number_is_never_handed_out_twice(walk, baohe):
    """A number already taken (say, entered by hand) is skipped; the counter is the lock."""
    year = timezone.localdate().year
    first = walk(STEPS, action="name", name="习友路", category="road", division=baohe)
    CodeCounter.objects.filter(prefix=f"announce-{year}").update(last=0)
    second = walk(STEPS, action="name", name="潜山路", category="road", division=baohe)
    assert [Announcement.objects.get(proposal=p).serial for p in (first, second)] == [1, 2]


def test_the_default_settings_come_from_the_city(settings):
    from config import settings as config

    assert config.REGISTRY_APPROVING_AUTHORITY == f"{config.REGISTRY_CITY_NAME}市人民政府"
    assert config.REGISTRY_ANNOUNCING_AUTHORITY == f"{config.REGISTRY_CITY_NAME}市民政局"
    assert announcement_number(2026, 3) == "合民地公〔2026〕第3号"


def test_the_migration_fills_in_rows_written_before_it(walk, baohe, users):
    """Announcements, objections and check results from before 0012 get what they already imply."""
    import datetime as dt
    import importlib

    from django.apps import apps

    from registry.models import Objection, Proposal

    migration = importlib.import_module("registry.migrations.0012_workflow_return_objections")
    road = place_create(name="左圣宫巷", category="road", division=baohe, named_on="1900")
    proposal = walk(
        ["submit", "start_review", "start_notice", "object", "respond", "approve"],
        action="rename",
        place=road,
        name="庐江路",
    )
    Announcement.objects.update(action="", old_name="")
    Objection.objects.update(received_on=dt.date(2000, 1, 1))
    Proposal.objects.update(check_level="")
    migration.fill_in(apps, None)
    announcement = Announcement.objects.get(proposal=proposal)
    assert (announcement.action, announcement.old_name) == ("rename", "左圣宫巷")
    assert Objection.objects.get().received_on == timezone.localdate()
    assert Proposal.objects.get().check_level == "ok"
