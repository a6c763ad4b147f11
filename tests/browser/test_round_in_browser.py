"""A naming round of 30 items walked in a real browser (Debian's Chromium driven by Playwright),
as the naming office walks it: a clerk imports the planning department's spreadsheet, sees
the findings item by item (a name twice in the round, two names that sound alike, a series
with a gap), withdraws one item and defers another, and submits; a reviewer starts the
review and the public notice; an approver decides on the decision page (the round's summary,
one override reason per item with errors); the printed 公告 lists exactly the approved
items, with 原名 → 新名 for the renames.

The round is modelled on Hefei's 5th batch (HEFEI_FACTS.md §4.2: 小庙镇's roads themed on
六安 places, noticed by 合肥市自然资源和规划局 + 合肥市民政局); the renames are the sourced
ones of §5 (东方大道 → 北城大道, 沱河路 → 洪河路, 飞虎路 → 杭埠路); the series 经一路 … 经十路
is test-only. Run with ``pytest -m browser``; it never downloads a browser. Screenshots go
to ``docs/admin-round-<step>-*.png``.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from openpyxl import Workbook

from tests.browser.conftest import DOCS
from tests.browser.pages import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DIVISION = "340104"
SERIES = ["经一路", "经二路", "经三路", "经四路", "经五路", "经六路", "经八路", "经九路", "经十路"]  # 经七路 left out
# 六安's counties and landmarks (the 5th batch's theme for 小庙镇); 淠河路 twice, 裕安路 and 玉安路 alike.
THEMED = [
    "霍山路",
    "舒城路",
    "霍邱路",
    "金寨路",
    "叶集路",
    "裕安路",
    "玉安路",
    "金安路",
    "大别山路",
    "万佛湖路",
    "天堂寨路",
    "淠河路",
    "淠河路",
    "毛坦厂路",
]
WATERS = ["小庙河", "霍山渠"]
BRIDGES = [("经三路小庙河桥", "经三路", "小庙河"), ("舒城路霍山渠桥", "舒城路", "霍山渠")]
RENAMES = [("东方大道", "北城大道"), ("沱河路", "洪河路"), ("飞虎路", "杭埠路")]
HEADERS = ["操作", "地名编码", "拟用名称", "类别", "行政区划代码", "理由", "含义由来", "起点", "终点", "承载", "跨越"]
WITHDRAWN, DEFERRED = "淠河路", "玉安路"  # the second 淠河路 and one of the pair that sound alike


@pytest.fixture
def staff(django_user_model, settings):
    settings.REGISTRY_NOTICE_DAYS = 0
    for name, full in (("clerk", "王录入"), ("reviewer", "李审核"), ("approver", "张审批")):
        user = django_user_model.objects.create_user(name, password=f"{name}-pass-2026", is_staff=True, first_name=full)
        user.groups.add(Group.objects.get(name=name))


@pytest.fixture
def old_roads(staff):
    from registry.models import Division
    from registry.services.places import place_create

    division = Division.objects.get(code=DIVISION)
    return {old: place_create(name=old, category="road", division=division, named_on="2001") for old, _new in RENAMES}


def round_workbook(path, old_roads) -> None:
    """The spreadsheet as a planning department sends it: Chinese headers and labels, one row an item."""
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for name in SERIES:
        sheet.append(["命名", "", name, "道路街巷", DIVISION, "新建道路", "经向道路序列", "纬一路", "纬三路", "", ""])
    for name in THEMED:
        sheet.append(
            ["命名", "", name, "道路街巷", DIVISION, "新建道路", f"以六安地名“{name[:-1]}”命名", "", "", "", ""]
        )
    for name in WATERS:
        sheet.append(["命名", "", name, "水系", DIVISION, "新开挖水系", "以所在镇命名", "", "", "", ""])
    for name, carries, crosses in BRIDGES:
        sheet.append(["命名", "", name, "桥梁", DIVISION, "新建桥梁", "路名加所跨水系", "", "", carries, crosses])
    for old, new in RENAMES:
        sheet.append(["更名", old_roads[old].code, new, "", "", "避免重名、一路多名", "", "", "", "", ""])
    book.save(path)


def _shot(name):
    return lambda page: page.screenshot(path=str(DOCS / f"admin-round-{name}.png"), full_page=True)


def _items_page(page, base, round_id, query=""):
    page.goto(f"{base}/admin/registry/rounditem/?round__id__exact={round_id}{query}")
    page.wait_for_selector("#result_list")


def _bulk(page, base, round_id, position, action, shot=None):
    """Tick one item in the round's item list and run a bulk action on it."""
    _items_page(page, base, round_id, f"&position={position}")
    page.check("#result_list input[name=_selected_action]")
    page.select_option("select[name=action]", action)
    if shot:
        shot(page)
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist")
    return page.inner_text(".messagelist")


def _step(page, base, round_id, name, fields=None, shot=None):
    page.goto(f"{base}/admin/registry/round/{round_id}/change/")
    page.click(f"a.round-link[href$='/step/{name}/']")
    page.wait_for_selector("#transition-form")
    for selector, value in (fields or {}).items():
        page.fill(selector, value)
    if shot:
        shot(page)
    page.click("#transition-form input[type=submit]")
    page.wait_for_selector(".messagelist .success")


def _import(page, base, path) -> int:
    login(page, base, "clerk")
    page.goto(f"{base}/admin/registry/round/")
    page.click("#round-import-link")
    page.fill("#id_title", "合肥市第五批道路、水域命名（小庙镇片区）")
    page.fill("#id_organisers", "合肥市自然资源和规划局、合肥市民政局")
    page.fill("#id_authority", "合肥市人民政府")
    page.set_input_files("#id_file", str(path))
    _shot("1-import")(page)
    page.click("#round-import-form input[type=submit]")
    page.wait_for_selector(".messagelist .success")
    return int(page.url.rstrip("/").split("/")[-2])


def walk(page, base, path, today: str) -> dict:
    """The whole walk; returns what the pages showed, for the test to assert on."""
    seen = {}
    round_id = seen["round_id"] = _import(page, base, path)
    seen["round_page"] = page.inner_text("#content")
    seen["import_message"] = page.inner_text(".messagelist")
    _shot("2-round")(page)
    _items_page(page, base, round_id, "&rule=DUPLICATE")
    seen["duplicates"] = page.inner_text("#result_list")
    _shot("3-duplicates")(page)
    _items_page(page, base, round_id)
    seen["items"] = page.inner_text("#result_list")
    _shot("4-findings")(page)
    positions = {row: n for n, row in enumerate(SERIES + THEMED, start=1)}
    seen["withdraw"] = _bulk(
        page, base, round_id, len(SERIES) + THEMED.index(WITHDRAWN) + 2, "withdraw_items", shot=_shot("5-withdraw")
    )
    seen["defer"] = _bulk(page, base, round_id, positions[DEFERRED], "defer_items")
    _items_page(page, base, round_id)
    seen["items_after"] = page.inner_text("#result_list")
    _shot("6-withdrawn-deferred")(page)
    _step(page, base, round_id, "submit")

    login(page, base, "reviewer")
    _step(page, base, round_id, "start_review")
    _step(page, base, round_id, "start_notice", {"#id_days": "0"}, shot=_shot("7-notice"))

    login(page, base, "approver")
    page.goto(f"{base}/admin/registry/round/{round_id}/step/approve/")
    seen["summary"] = page.inner_text("#round-summary")
    seen["overrides"] = [
        page.get_attribute(f, "name")
        for f in [f"#{e.get_attribute('id')}" for e in page.query_selector_all("textarea[id^=id_override_]")]
    ]
    for name in seen["overrides"]:
        page.fill(f"textarea[name={name}]", "经专家论证：与周边路名不致混淆，同意使用")
    page.fill("#id_document_number", "合政秘〔2026〕30号")
    page.fill("#id_decided_on", today)
    _shot("8-decision")(page)
    page.click("#transition-form input[type=submit]")
    page.wait_for_selector(".messagelist .success")
    seen["approved_page"] = page.inner_text("#content")
    page.goto(f"{base}/admin/registry/round/{round_id}/announcement/")
    seen["announcement"] = page.inner_text("body")
    _shot("9-announcement")(page)
    return seen


def test_a_round_of_thirty_from_import_to_announcement(browser_page, live_server, old_roads, tmp_path):
    from django.utils import timezone

    from registry.models import Place, Round

    path = tmp_path / "第五批道路水域命名.xlsx"
    round_workbook(path, old_roads)
    today = timezone.localdate()
    seen = walk(browser_page, live_server.url, path, today.isoformat())

    round_ = Round.objects.get(pk=seen["round_id"])
    assert round_.items.count() == 30 and round_.state == "approved"
    # Findings item by item, in Chinese, on the round's page and in the item list.
    assert "已办理：导入" in seen["import_message"]
    assert "重名" in seen["round_page"] and "DUPLICATE" not in seen["round_page"]
    assert seen["duplicates"].count("淠河路") == 2 and "霍山路" not in seen["duplicates"]
    assert "同音" in seen["items"] and "系列缺号" in seen["items"]
    assert "已办理：撤回该条目 × 1" in seen["withdraw"] and "已办理：该条目暂缓至以后批次 × 1" in seen["defer"]
    outcomes = dict(round_.items.values_list("position", "outcome").order_by())
    assert sorted(outcomes.values()).count("approved") == 28
    assert [p for p, o in outcomes.items() if o != "approved"] == sorted(
        [len(SERIES) + THEMED.index(WITHDRAWN) + 2, len(SERIES) + THEMED.index(DEFERRED) + 1]
    )
    assert "已撤回" in seen["items_after"] and "暂缓" in seen["items_after"]
    # The decision page summarises the round: with the second 淠河路 withdrawn, the submission's
    # check left no item with errors, so no override reason is asked for.
    assert "待定\t28" in seen["summary"] and "已撤回\t1" in seen["summary"] and "暂缓\t1" in seen["summary"]
    assert seen["overrides"] == [] and round_.items.get(position=21).check_level != "error"
    # The announcement lists exactly the approved items, renames as 原名 → 新名.
    announcement = seen["announcement"]
    for old, new in RENAMES:
        assert f"{old} → {new}" in announcement
        assert Place.objects.get(pk=old_roads[old].pk).name == new
    for name in SERIES + WATERS + [b for b, *_ in BRIDGES] + [n for n in THEMED if n != DEFERRED]:
        assert name in announcement
    assert DEFERRED not in announcement and "合政秘〔2026〕30号" in announcement
    assert round_.announcement.number in announcement
