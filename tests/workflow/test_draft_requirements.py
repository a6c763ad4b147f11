"""The draft requirements of proposals (drafts.DRAFT_REQUIREMENTS): each one refuses a
draft built to break only it, on its field, with its Chinese message."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from registry.services import drafts

# Each draft requirement, by its field and Chinese message, with a draft that breaks only it.
DRAFTS = [
    ("name", "新命名须填写拟用名称。", {"action": "name", "category": "road", "division": "shushan"}),
    ("category", "新命名须选择类别。", {"action": "name", "name": "新路", "division": "shushan"}),
    ("division", "新命名须选择行政区划。", {"action": "name", "name": "新路", "category": "road"}),
    ("place", "请指明所涉地名（编码）。", {"action": "retire"}),
    ("place", "旧路 已销名。", {"action": "retire", "place": "retired"}),
    ("name", "更名须填写新名称。", {"action": "rename", "place": "active"}),
    (
        "heritage",
        "未知的文化遗产字段：colour",
        {
            "action": "list_heritage",
            "place": "active",
            "heritage": {"scheme": "red", "level": "national", "colour": "red"},
        },
    ),
    (
        "heritage",
        "列入文化遗产须写明名录类别和级别。",
        {"action": "list_heritage", "place": "active", "heritage": {"scheme": "red"}},
    ),
]


def test_every_draft_requirement_is_pinned_here():
    with translation.override("zh-hans"):
        table = [(r.field, str(r.message)) for r in drafts.DRAFT_REQUIREMENTS]
    assert len(table) == len(DRAFTS) and [field for field, _m in table] == [field for field, _m, _d in DRAFTS]


@pytest.mark.parametrize("field,message,draft", DRAFTS, ids=[f"{d['action']}-{f}" for f, _m, d in DRAFTS])
def test_each_draft_requirement_refuses_a_draft_built_to_break_it(make_place, shushan, field, message, draft):
    retired = make_place("旧路")
    retired.status = "retired"
    retired.save()
    objects = {"active": make_place("庐江路"), "retired": retired, "shushan": shushan}
    arguments = {
        "reason": "因为",
        "place": None,
        "name": "",
        "category": "",
        "division": None,
        "pinyin": "",
        "origin": "",
        "heritage": None,
    }
    arguments.update({k: objects.get(v, v) if isinstance(v, str) else v for k, v in draft.items()})
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        drafts.draft_fields(**arguments)
    assert refused.value.message_dict == {field: [message]}
