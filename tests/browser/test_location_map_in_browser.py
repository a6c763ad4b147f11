"""A reviewer sees where a round item and a rename proposal lie, beside their neighbours (issue #14:
"a proposal or round item shows its location beside its neighbours"), in Debian's Chromium.

The round item's own point is drawn in red with its name; the located places within 3 km
in grey, each linking to its page; places farther away are not drawn. A rename proposal
shows the place it renames the same way. No base map is configured (offline), and the
site's CSP must hold. Screenshots: ``docs/admin-location-map-*.png``.
"""

import pytest

from registry.models import Division
from registry.services.places import place_create
from registry.services.proposals import proposal_create
from registry.services.rounds import round_create, round_item_add
from tests.browser.conftest import DOCS
from tests.browser.pages import login
from tests.browser.test_map_in_browser import WATCH

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def neighbourhood(db):
    baohe = Division.objects.get(code="340111")
    near = place_create(name="宁国路", category="road", division=baohe, longitude=117.2850, latitude=31.8620)
    place_create(name="包河", category="water", division=baohe, longitude=117.2900, latitude=31.8550)
    place_create(name="远郊路", category="road", division=baohe, longitude=117.4000, latitude=31.9500)  # ~14 km
    return baohe, near


def test_a_round_item_and_a_rename_are_shown_among_their_neighbours(browser_page, live_server, clerk, neighbourhood):
    baohe, near = neighbourhood
    page, base = browser_page, live_server.url
    page.add_init_script(f"({WATCH})()")
    round_ = round_create(title="测试批次", organisers="合肥市民政局", authority="合肥市人民政府", drafted_by=clerk)
    item = round_item_add(
        round_=round_,
        acting_user=clerk,
        action="name",
        name="松风路",
        category="road",
        division=baohe.code,
        reason="新建道路",
        longitude="117.280000",
        latitude="31.860000",
        details={"start": "甲", "end": "乙"},
    )
    login(page, base)
    page.goto(f"{base}/admin/registry/rounditem/{item.pk}/change/")
    page.wait_for_selector("#location-map path.leaflet-interactive")
    assert page.locator("#location-map path.leaflet-interactive").count() == 3  # the item and 2 neighbours
    assert "松风路" in page.inner_text("#location-map .leaflet-tooltip")
    assert "2" in page.inner_text("#location-map-summary") and "3" in page.inner_text("#location-map-summary")
    page.locator("#location-map").scroll_into_view_if_needed()
    page.screenshot(path=str(DOCS / "admin-location-map-round-item.png"), full_page=False)

    proposal = proposal_create(drafted_by=clerk, action="rename", place=near.code, name="宁远路", reason="规范更名")
    page.goto(f"{base}/admin/registry/proposal/{proposal.pk}/change/")
    page.wait_for_selector("#location-map path.leaflet-interactive")
    assert page.locator("#location-map path.leaflet-interactive").count() == 2  # 宁国路 and 包河
    assert "宁国路" in page.inner_text("#location-map .leaflet-tooltip")
    page.locator("#location-map").scroll_into_view_if_needed()
    page.screenshot(path=str(DOCS / "admin-location-map-proposal.png"), full_page=False)
    assert page.evaluate("() => window.__violations") == []
