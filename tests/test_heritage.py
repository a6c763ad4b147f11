"""Heritage listings: the 1,000-year rule and its arithmetic."""

import pytest
from django.core.exceptions import ValidationError

from registry.services.heritage import heritage_listing_create


@pytest.fixture
def town(make_place, db):
    from registry.models import Division

    return make_place("柘皋镇", category="town", division=Division.objects.get(code="340181"))


@pytest.mark.parametrize(
    "scheme,since,listed_on,ok",
    [
        ("ancient_town", -484, "2014", True),  # 柘皋 ← 橐皋, 《春秋》
        ("ancient_town", 1014, "2014", True),  # exactly 1,000 years
        ("ancient_town", 1015, "2014", False),
        ("ancient_village", 1200, "2016", False),
        ("ancient_county", -1, "999", False),  # 1 BCE to 999 CE is 999 years: there is no year 0
        ("red", 1949, "2020", True),  # the 1,000-year rule is only for the 千年 schemes
        ("other", None, "", True),
    ],
)
def test_the_thousand_year_rule(town, scheme, since, listed_on, ok):
    fields = dict(scheme=scheme, level="provincial", status="listed", listed_on=listed_on, in_use_since=since)
    if ok:
        listing = heritage_listing_create(place=town, **fields)
        assert listing.pk
    else:
        with pytest.raises(ValidationError) as exc:
            heritage_listing_create(place=town, **fields)
        assert "1,000 years" in " ".join(exc.value.messages)
        assert not town.heritage_listings.exists()


def test_years_in_use_has_no_year_zero(town):
    listing = heritage_listing_create(
        place=town, scheme="ancient_town", level="provincial", in_use_since=-484, listed_on="2014"
    )
    assert listing.years_in_use == 2014 + 484 - 1


def test_an_unknown_start_year_is_recorded_as_unknown_not_guessed(town):
    listing = heritage_listing_create(place=town, scheme="ancient_town", level="provincial", status="listed")
    assert listing.in_use_since is None and listing.years_in_use is None


@pytest.mark.parametrize(
    "field,value,fragment",
    [
        ("listed_on", "2014-02-30", "not a real date"),
        ("in_use_since", 0, "no year 0"),
        ("in_use_since", 9999, "not a plausible year"),
    ],
)
def test_bad_values_are_refused(town, field, value, fragment):
    fields = dict(scheme="other", level="municipal", **{field: value})
    with pytest.raises(ValidationError) as exc:
        heritage_listing_create(place=town, **fields)
    assert fragment in " ".join(exc.value.messages)
