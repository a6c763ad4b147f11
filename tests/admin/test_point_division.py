"""The place page's note beside the point (issue #14 item 4): once division boundaries are
loaded, a place with a point shows, read-only, the division whose boundary holds it, and warns
in Chinese when that is not the place's division; without a point or without boundaries there
is no note. The page re-posted as rendered still saves, warning or not.

The boundaries are the test squares of tests/test_boundaries.py around real codes (蜀山区,
包河区, with a hole in 蜀山区's); the places are made before the boundaries are loaded, as
stored points judged before a boundary existed are (``Place._located_anew``).
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from registry.models import Division, Place
from registry.services.places import place_create
from tests.admin.forms import form_data
from tests.test_boundaries import BAOHE, SHUSHAN, feature, write

pytestmark = pytest.mark.django_db

IN_SHUSHAN, IN_BAOHE, IN_HOLE = (117.20, 31.86), (117.30, 31.75), (117.16, 31.81)
SHUSHAN_NOTE = "该点位于蜀山区（340104）的边界内。"
BAOHE_NOTE = "该点位于包河区（340111）的边界内。"
NOWHERE_NOTE = "已导入的行政区划边界都不包含该点。"


def _township(parent: str) -> str:
    township = Division.objects.filter(parent_id=parent, level="township").first()
    if township is None:
        pytest.skip(f"no township of {parent} in the reference data")
    return township.code


# (filed under, point) → (note, warning or None); a division given as a callable is looked up.
CASES = {
    "in its own district": ("340104", IN_SHUSHAN, SHUSHAN_NOTE, None),
    "in another district": (
        "340111",
        IN_SHUSHAN,
        SHUSHAN_NOTE,
        "这与本地名所属行政区划“包河区”不一致：请核对坐标，或将行政区划改为“蜀山区”。",
    ),
    "in a hole of its district": (
        "340104",
        IN_HOLE,
        NOWHERE_NOTE,
        "该点不在本地名所属行政区划“蜀山区”的边界内：请核对坐标或行政区划。",
    ),
    "a township in its district": (lambda: _township("340104"), IN_SHUSHAN, SHUSHAN_NOTE, None),
    "a county without a boundary, the point in another": (
        "340123",
        IN_BAOHE,
        BAOHE_NOTE,
        "这与本地名所属行政区划“肥西县”不一致：请核对坐标，或将行政区划改为“包河区”。",
    ),
}


@pytest.fixture
def clerk(db, django_user_model):
    user = django_user_model.objects.create_user("clerk1", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="clerk"))
    client = Client()
    client.force_login(user)
    return client


def load_boundaries(tmp_path) -> None:
    features = [feature({"code": "340104"}, SHUSHAN), feature({"code": "340111"}, BAOHE)]
    call_command("import_boundaries", write(tmp_path, features), source="测试边界（正方形）", verbosity=0)


def located(division: str, point) -> Place:
    return place_create(
        name="栖梧路",
        category="road",
        division=Division.objects.get(code=division),
        longitude=Decimal(str(point[0])),
        latitude=Decimal(str(point[1])),
    )


def note_of(client, place) -> tuple[str, str | None] | None:
    """(note, warning) of the point's row on the change page, or None when the row is not there."""
    response = client.get(reverse("admin:registry_place_change", args=[place.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    if "field-point_division" not in content:
        assert "坐标所在区划" not in content
        return None
    row = content[content.index("field-point_division") :]
    assert "坐标所在区划" in row[:2000]
    note = re.search(r'<span class="point-division">(.*?)</span>', row).group(1)
    warning = re.search(r'<strong class="point-division-warning"[^>]*>⚠ (.*?)</strong>', row[:2000])
    return note, warning.group(1) if warning else None


@pytest.mark.parametrize(("division", "point", "note", "warning"), CASES.values(), ids=CASES.keys())
def test_the_page_shows_the_division_at_the_point_and_warns_when_it_is_not_the_places(
    clerk, tmp_path, division, point, note, warning
):
    place = located(division() if callable(division) else division, point)
    assert note_of(clerk, place) is None  # no boundaries loaded yet: no note
    load_boundaries(tmp_path)
    assert note_of(clerk, place) == (note, warning)


def test_without_a_point_there_is_no_note(clerk, tmp_path):
    load_boundaries(tmp_path)
    place = place_create(name="栖梧路", category="road", division=Division.objects.get(code="340104"))
    assert note_of(clerk, place) is None


@pytest.mark.parametrize("case", ["in its own district", "in another district", "in a hole of its district"])
def test_the_page_reposted_as_rendered_saves_warning_or_not(clerk, tmp_path, case):
    division, point, _, _ = CASES[case]
    place = located(division, point)
    load_boundaries(tmp_path)
    url = reverse("admin:registry_place_change", args=[place.pk])
    data = form_data(clerk.get(url).content.decode(), "place_form")
    data["note"] = "核对坐标后保存"
    response = clerk.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    after = Place.objects.get(pk=place.pk)
    assert (after.note, after.division_id, after.longitude, after.latitude) == (
        "核对坐标后保存",
        division,
        place.longitude,
        place.latitude,
    )
