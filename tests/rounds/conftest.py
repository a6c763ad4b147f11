"""A naming round of 30 items, as the Done-when of issue #13 describes it."""

import pytest

from registry.models import Division
from registry.services.places import place_create
from registry.services.rounds import round_create, round_item_add
from tests.workflow import conftest as workflow

DIVISION = "340104"
# 26 new roads: a numbered series 经一路 … 经十路 with 经七路 left out (a gap), the other
# names plain; item 11 repeats item 10 (a duplicate in the round); 12 and 13 sound alike.
SERIES = ["经一路", "经二路", "经三路", "经四路", "经五路", "经六路", "经八路", "经九路", "经十路"]
PLAIN = [
    "松风路",
    "松风路",
    "竹林路",
    "竹琳路",
    "杉木路",
    "梧桐路",
    "樟树路",
    "榆钱路",
    "桂花路",
    "枫叶路",
    "海棠路",
    "丁香路",
    "紫藤路",
    "石榴路",
    "银杏路",
    "芙蓉路",
    "玉兰路",
]
RENAMES = [("旧甲路", "青檀路"), ("旧乙路", "黄杨路")]
RETIRES = ["废丙路", "废丁路"]
users = workflow.users  # the users in each role, as the proposals' tests have them
today = workflow.today


@pytest.fixture
def places(users):
    division = Division.objects.get(code=DIVISION)
    made = {}
    for name in [old for old, _ in RENAMES] + RETIRES:
        made[name] = place_create(
            name=name, category="road", division=division, acting_user=users["clerk"], named_on="2001-01-01"
        )
    return made


@pytest.fixture
def round30(users, places, settings):
    """A draft round of 30 items: 26 new roads (SERIES + PLAIN), 2 renames, 2 retirements."""
    settings.REGISTRY_NOTICE_DAYS = 0
    round_ = round_create(
        title="第五批道路命名",
        organisers="合肥市自然资源和规划局、合肥市民政局",
        authority="合肥市人民政府",
        drafted_by=users["clerk"],
    )
    for name in SERIES + PLAIN:
        round_item_add(
            round_=round_,
            acting_user=users["clerk"],
            action="name",
            name=name,
            category="road",
            division=DIVISION,
            reason="新建道路",
            details={"start": "甲", "end": "乙"},
        )
    for old, new in RENAMES:
        round_item_add(
            round_=round_,
            acting_user=users["clerk"],
            action="rename",
            place=places[old].code,
            name=new,
            reason="规范更名",
        )
    for name in RETIRES:
        round_item_add(
            round_=round_, acting_user=users["clerk"], action="retire", place=places[name].code, reason="道路已拆除"
        )
    assert round_.items.count() == 30
    return round_
