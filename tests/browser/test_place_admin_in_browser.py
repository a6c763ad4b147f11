"""A clerk's day in the place admin, in a real browser (Debian's Chromium driven by Playwright):
edit a road's note and save; record a former name with its dates; find places by a typo,
by pinyin and by a former name (the list says which name matched); record an existing
name with the source that attests it; and see that a delete URL says to retire instead.

Run with ``pytest -m browser``; it never downloads a browser. Screenshots go to
``docs/admin-place-*.png``.
"""

import pytest

from registry.models import Division, Place
from registry.services.places import name_record, place_create
from tests.browser.conftest import DOCS
from tests.browser.pages import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def roads(db):
    baohe = Division.objects.get(code="340111")
    road = place_create(name="庐江路", category="road", division=baohe, named_on="1956", details={"width_m": 20})
    name_record(place=road, name="左圣宫巷", kind="former", valid_to="1956", source="《合肥县志》")
    axis = place_create(name="长江中路", category="road", division=Division.objects.get(code="340103"), named_on="1953")
    return road, axis


def test_a_clerks_day_in_the_place_admin(browser_page, live_server, clerk, roads):
    page, base = browser_page, live_server.url
    road, axis = roads
    login(page, base)

    # Open a road, change its note, save: the edit is kept.
    page.goto(f"{base}/admin/registry/place/{road.pk}/change/")
    page.fill("#id_note", "2026年路面翻修")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    assert Place.objects.get(pk=road.pk).note == "2026年路面翻修"

    # Record a former name with its dates, in the rows right under the names history.
    page.click("#names-2-group .add-row a")
    page.fill("#id_names-2-0-name", "官盐街")
    page.select_option("#id_names-2-0-kind", "former")
    page.fill("#id_names-2-0-valid_from", "1900")
    page.fill("#id_names-2-0-valid_to", "1956")
    page.fill("#id_names-2-0-source", "《合肥市地名录》")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    assert road.names.filter(name="官盐街", kind="former", valid_from="1900", valid_to="1956").exists()
    history = page.inner_text("#names-group")
    assert "官盐街" in history and "左圣宫巷" in history
    page.screenshot(path=str(DOCS / "admin-place-edit.png"), full_page=False)

    # Search by Hanzi, a typo, pinyin, initials and a former name, typed into the list's search
    # box as a clerk does; the 匹配 column says what matched.
    for term, expected, match in [
        ("长江中路", axis, ""),
        ("长江仲路", axis, "同音"),
        ("changjiang", axis, "拼音"),
        ("cjzl", axis, "首字母"),
        ("左圣宫巷", road, "曾用名：左圣宫巷"),
    ]:
        page.goto(f"{base}/admin/registry/place/")
        page.fill("#searchbar", term)
        page.press("#searchbar", "Enter")
        page.wait_for_load_state()
        first = page.inner_text("#result_list tbody tr:first-child")
        assert expected.code in first and match in first, (term, first)
        if term == "左圣宫巷":
            page.screenshot(path=str(DOCS / "admin-place-search.png"), full_page=False)
    assert page.evaluate(
        "() => document.querySelector('.results').scrollWidth <= document.querySelector('.results').clientWidth + 1"
    ), "the list fits 1366 px"

    # Record an existing name: the focus starts in the name, the source is required.
    page.goto(f"{base}/admin/registry/place/add/")
    assert page.evaluate("() => document.activeElement.id") == "id_name"
    assert page.locator("#new-name-proposal").count() == 1  # a new name goes through a naming proposal
    page.keyboard.type("习友路")
    page.select_option("#id_category", "road")
    page.evaluate("""() => { const s = document.querySelector('#id_division');
        s.add(new Option('蜀山区', '340104', true, true)); }""")
    page.click("input[name=_save]")
    page.wait_for_selector(".errornote")
    assert "录入依据" in page.inner_text("body")
    page.evaluate("""() => { const s = document.querySelector('#id_division');
        if (!s.value) s.add(new Option('蜀山区', '340104', true, true)); }""")
    page.fill("#id_reason", "第二次全国地名普查成果；习友路路牌")
    page.screenshot(path=str(DOCS / "admin-place-record-existing.png"), full_page=True)
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    recorded = Place.objects.get(name="习友路")
    assert recorded.status == "active" and recorded.names.get().source == "第二次全国地名普查成果；习友路路牌"
    page.goto(f"{base}/admin/registry/place/{recorded.pk}/history/")
    assert "第二次全国地名普查成果" in page.inner_text("#change-history")

    # A delete URL typed by hand says to retire instead, and deletes nothing.
    page.goto(f"{base}/admin/registry/place/{road.pk}/delete/")
    page.wait_for_selector(".messagelist .error")
    assert "销名" in page.inner_text(".messagelist")
    assert Place.objects.filter(pk=road.pk).exists()
