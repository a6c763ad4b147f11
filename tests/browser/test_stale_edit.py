"""Two clerks edit the same road in two browsers (issue #12, reliability 8): the second save, based on
what the first has since changed, comes back with who changed what and when, in Chinese; nothing of
it is saved and what the second clerk typed is still in the form; saving again goes through.

Run with ``pytest -m browser``. Screenshot: ``docs/admin-place-stale-edit.png``.
"""

import pytest
from django.contrib.auth.models import Group

from registry.models import Division, Place
from registry.services.places import place_create
from tests.browser.conftest import DOCS
from tests.browser.pages import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def clerks(django_user_model):
    for name, full in (("clerk", "张三"), ("clerk2", "李四")):
        user = django_user_model.objects.create_user(name, password=f"{name}-pass-2026", is_staff=True, first_name=full)
        user.groups.add(Group.objects.get(name="clerk"))


def test_the_second_clerk_is_told_who_changed_the_road_and_keeps_what_she_typed(browser_page, live_server, clerks):
    page, base = browser_page, live_server.url
    road = place_create(name="庐江路", category="road", division=Division.objects.get(code="340111"), named_on="1956")
    url = f"{base}/admin/registry/place/{road.pk}/change/"
    second = page.context.browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()

    login(second, base, "clerk2")  # 李四 opens the road first …
    second.goto(url)
    login(page, base, "clerk")  # … then 张三 opens it, changes the origin and saves
    page.goto(url)
    page.fill("#id_origin", "因通往庐江县而得名")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    second.fill("#id_note", "2026年路面翻修")  # 李四, still on the page she opened, saves her note
    second.click("input[name=_continue]")
    second.wait_for_selector(".errornote")
    refusal = second.inner_text(".errorlist.nonfield")
    assert "张三" in refusal and "含义由来" in refusal and "未写入任何内容" in refusal
    assert second.input_value("#id_note") == "2026年路面翻修"  # what she typed is kept
    assert second.input_value("#id_origin") == ""  # … including the box she did not touch, as she saw it
    second.locator(".errornote").scroll_into_view_if_needed()
    second.screenshot(path=str(DOCS / "admin-place-stale-edit.png"))
    saved = Place.objects.get(pk=road.pk)
    assert (saved.origin, saved.note) == ("因通往庐江县而得名", "")

    # Having compared, she puts the origin back as it now is and saves again: it goes through.
    second.fill("#id_origin", "因通往庐江县而得名")
    second.click("input[name=_continue]")
    second.wait_for_selector(".messagelist .success")
    saved.refresh_from_db()
    assert (saved.origin, saved.note) == ("因通往庐江县而得名", "2026年路面翻修")
