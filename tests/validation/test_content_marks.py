"""Content rules that read the name's shape, not only a list (issue 16): a developer's brand put
before an estate's own name, a brand dotted onto it, and the closer transliteration check on
housing and buildings. Names are made up for the test, outside the benchmark's lists."""

import pytest

from registry.validation import check_name


def keys(name, category):
    return {(f.rule, f.message_key) for f in check_name(name, category).findings}


@pytest.mark.django_db
def test_an_ambiguous_developer_brand_before_an_estates_own_name_is_reported():
    assert ("COMMERCIAL", "COMMERCIAL_DEVELOPER") in keys("绿地新里城", "residential")


@pytest.mark.django_db
def test_a_developer_brand_on_a_building_is_left_alone():
    """A building often carries its owner's name; only housing is judged by the brand-first pattern."""
    assert not {k for k in keys("绿地新里大楼", "building") if k[0] == "COMMERCIAL"}


@pytest.mark.django_db
def test_a_brand_dotted_before_an_estate_name_is_reported_with_what_to_do():
    result = check_name("宏瑞·丽景苑", "residential")
    dotted = [f for f in result.findings if f.message_key == "COMMERCIAL_DOT"]
    assert dotted and dotted[0].params["term"] == "宏瑞"
    assert "去掉品牌和间隔号" in dotted[0].message or "drop the brand" in dotted[0].message


@pytest.mark.django_db
def test_a_dotted_foreign_name_is_foreign_not_a_brand():
    found = keys("马可·波罗大厦", "building")
    assert ("FOREIGN", "FOREIGN") in found
    assert ("COMMERCIAL", "COMMERCIAL_DOT") not in found


@pytest.mark.django_db
def test_a_dot_in_a_road_name_is_no_brand():
    assert ("COMMERCIAL", "COMMERCIAL_DOT") not in keys("宏瑞·丽景路", "road")


@pytest.mark.django_db
def test_housing_is_judged_at_the_lower_transliteration_threshold():
    """贝丽丝 scores between the housing threshold (4.5) and the general one (6.0)."""
    assert ("FOREIGN", "FOREIGN_LIKE") in keys("贝丽丝小区", "residential")
    assert ("FOREIGN", "FOREIGN_LIKE") not in keys("贝丽丝路", "road")
