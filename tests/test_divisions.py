"""The division reference data loaded by migration, and division validation."""

import pytest
from django.core.exceptions import ValidationError

from registry.models import Division
from registry.models.divisions import division_prefix

pytestmark = pytest.mark.django_db


def test_anhui_its_cities_and_hefeis_units_are_loaded():
    assert Division.objects.get(code="340000").name == "安徽省"
    assert Division.objects.filter(level="city", parent_id="340000").count() == 16
    hefei_units = {d.code: d.name for d in Division.objects.filter(parent_id="340100")}
    for code, name in {
        "340102": "瑶海区",
        "340103": "庐阳区",
        "340104": "蜀山区",
        "340111": "包河区",
        "340121": "长丰县",
        "340122": "肥东县",
        "340123": "肥西县",
        "340124": "庐江县",
        "340181": "巢湖市",
    }.items():
        assert hefei_units[code] == name


def test_hefeis_townships_and_streets_are_loaded():
    townships = Division.objects.filter(level="township", code__startswith="3401")
    assert townships.count() >= 120
    zhegao = Division.objects.get(code="340181102000")
    assert (zhegao.name, zhegao.parent_id) == ("柘皋镇", "340181")


def test_every_division_is_well_formed():
    for division in Division.objects.select_related("parent"):
        division.full_clean()


@pytest.mark.parametrize(
    "code,level,parent,fragment",
    [
        ("3401", "city", "340000", "six digits ending in 00"),
        ("340199", "city", "340000", "six digits ending in 00"),
        ("34010400100", "township", "340104", "twelve digits"),
        ("340105001000", "township", "340104", "cannot be the parent"),
        ("340199", "county", None, "needs its parent"),
    ],
)
def test_malformed_divisions_are_refused(code, level, parent, fragment):
    division = Division(code=code, name="测试", level=level, parent_id=parent)
    with pytest.raises(ValidationError) as exc:
        division.full_clean()
    assert fragment in " ".join(exc.value.messages)


@pytest.mark.parametrize(
    "code,prefix", [("340000", "34"), ("340100", "3401"), ("340104", "340104"), ("340181102000", "340181102")]
)
def test_prefix_covers_subdivisions(code, prefix):
    assert division_prefix(code) == prefix
