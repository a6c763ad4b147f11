"""The admin's maps, walked as a clerk (Debian's Chromium driven by Playwright; ``pytest -m browser``).

A clerk opens a road, sees it and the located places around it on the map, draws the
road's line with the map's own tool, picks its point, and saves: the line is stored as
GeoJSON and the point as longitude and latitude. The place list, filtered to roads,
opens on a map showing exactly the located roads. Leaflet is served from this site's
static files under the CSP: any violation fails the walk. No base map is configured, as
on an offline machine. Screenshots: ``docs/admin-map-*.png``.
"""

import pytest

from registry.models import Division, Place
from registry.services.places import place_create
from tests.browser.conftest import DOCS
from tests.browser.pages import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
WATCH = """() => { window.__violations = [];
  document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI)); }"""


@pytest.fixture
def places(db):
    baohe = Division.objects.get(code="340111")
    road = place_create(name="庐江路", category="road", division=baohe, longitude=117.2800, latitude=31.8600)
    place_create(name="宁国路", category="road", division=baohe, longitude=117.2850, latitude=31.8620)
    place_create(name="芜湖路", category="road", division=baohe)  # not located: not on the list map
    place_create(name="包河", category="water", division=baohe, longitude=117.2900, latitude=31.8550)
    return road


def _click_map(page, selector, fx, fy):
    box = page.locator(selector).bounding_box()
    page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
    page.wait_for_timeout(150)


def test_a_clerk_draws_a_road_and_sees_the_list_on_a_map(browser_page, live_server, clerk, places):
    page, base, road = browser_page, live_server.url, places
    page.add_init_script(f"({WATCH})()")
    login(page, base)
    page.goto(f"{base}/admin/registry/place/{road.pk}/change/")
    page.wait_for_selector("#id_geometry_map .leaflet-marker-icon")  # the road's point
    page.wait_for_selector("#id_geometry_map path.leaflet-interactive")  # its neighbours, from the API
    page.locator("#id_geometry_map").scroll_into_view_if_needed()

    # Draw the road's line: the polyline tool, three clicks, then 完成 (finish).
    assert page.get_attribute(".leaflet-draw-draw-polyline", "title") == "画线（道路、河流、桥梁）"
    page.click(".leaflet-draw-draw-polyline")
    for fx, fy in ((0.30, 0.50), (0.50, 0.45), (0.70, 0.40)):
        _click_map(page, "#id_geometry_map", fx, fy)
    page.click(".leaflet-draw-actions a:has-text('完成')")
    assert '"LineString"' in page.input_value("#id_geometry")

    # Pick the point again: the marker tool fills longitude and latitude.
    page.click(".leaflet-draw-draw-marker")
    _click_map(page, "#id_geometry_map", 0.50, 0.45)
    longitude = float(page.input_value("#id_longitude"))
    assert 117.0 < longitude < 118.0 and longitude != 117.28
    page.screenshot(path=str(DOCS / "admin-map-draw.png"), full_page=False)
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    road.refresh_from_db()
    assert road.geometry["type"] == "LineString" and len(road.geometry["coordinates"]) == 3
    assert all(117.0 < lon < 118.0 and 31.0 < lat < 33.0 for lon, lat in road.geometry["coordinates"])
    assert float(road.longitude) == pytest.approx(longitude, abs=1e-6)
    # Its envelope is kept for bbox queries: a box on the line's west end, off its point, finds it.
    lons = [lon for lon, _lat in road.geometry["coordinates"]]
    assert (road.geometry_west, road.geometry_east) == (min(lons), max(lons))
    end = road.geometry["coordinates"][0]
    bbox = f"{end[0] - 1e-5},{end[1] - 1e-5},{end[0] + 1e-5},{end[1] + 1e-5}"
    found = page.request.get(f"{base}/api/v1/places/?bbox={bbox}").json()["results"]
    assert [r["code"] for r in found] == [road.code]

    # The list, filtered to roads, on a map: exactly the located roads.
    page.goto(f"{base}/admin/registry/place/?category__exact=road")
    page.click("#list-map-link")
    page.wait_for_selector("#list-map path.leaflet-interactive")
    located = Place.objects.filter(category="road", longitude__isnull=False).count()
    assert page.locator("#list-map path.leaflet-interactive").count() == located == 2
    assert "3" in page.inner_text("#list-map-summary") and "2" in page.inner_text("#list-map-summary")
    assert "未配置底图" in page.inner_text("#list-map")
    page.screenshot(path=str(DOCS / "admin-map-list.png"), full_page=False)
    assert page.evaluate("() => window.__violations") == []
