"""Time travel (``as_of``): one rule, the same answer on SQLite and PostgreSQL, BCE days allowed.

The rule is registry.timetravel's: undated former names are never "valid on every day",
the current official name wins where dates leave it open, nothing is claimed before the
earliest evidence.
"""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from registry.models import Division
from registry.services.places import name_record, place_create, place_rename


@pytest.fixture
def api():
    return APIClient()


def name_on(api, code, day):
    response = api.get(f"/api/v1/places/{code}/", {"as_of": day})
    return response.json()["name"] if response.status_code == 200 else response.status_code


class TestRule:
    """Small histories, each showing one clause of the rule."""

    @pytest.fixture
    def road(self, db):
        return place_create(name="长江中路", category="road", division=Division.objects.get(code="340103"))

    def test_an_undated_former_name_is_never_the_answer(self, api, road):
        name_record(place=road, name="长江路", kind="former")
        today = timezone.localdate().isoformat()
        assert name_on(api, road.code, today) == "长江中路"
        assert name_on(api, road.code, "1990-01-01") == 404

    def test_the_official_name_wins_where_dates_overlap(self, api, road):
        name_record(place=road, name="前大街", kind="former", valid_from="1900")
        assert name_on(api, road.code, timezone.localdate().isoformat()) == "长江中路"
        assert name_on(api, road.code, "1950-01-01") == "前大街"

    def test_a_rename_of_an_undated_name_closes_it(self, api, road):
        place_rename(place=road, new_name="长江东路", effective="2020-05-01")
        assert name_on(api, road.code, "2020-04-30") == "长江中路"  # in use in the year it ended
        assert name_on(api, road.code, "2019-12-31") == 404  # recorded today, with no start: nothing claimed before
        assert name_on(api, road.code, "2020-05-01") == "长江东路"

    def test_a_name_recorded_while_current_is_in_use_from_that_day(self, api, road):
        today = timezone.localdate()
        assert name_on(api, road.code, today.isoformat()) == "长江中路"
        assert name_on(api, road.code, (today - timezone.timedelta(days=1)).isoformat()) == 404

    def test_several_closed_names_without_start_the_latest_record_wins(self, api, road):
        name_record(place=road, name="甲巷", kind="former", valid_to="1956")
        name_record(place=road, name="乙巷", kind="former", valid_to="1956")
        assert name_on(api, road.code, "1956-03-01") == "乙巷"
        assert name_on(api, road.code, "1955-12-31") == 404

    def test_an_unknown_place_is_a_plain_404_and_a_nameless_day_says_why(self, api, road):
        response = api.get(f"/api/v1/places/{road.code}/", {"as_of": "1900-01-01", "lang": "en"})
        assert response.status_code == 404 and "recorded for that day" in response.json()["detail"]
        assert api.get("/api/v1/places/NOPE0000/", {"as_of": "1900-01-01"}).status_code == 404


class TestParameter:
    @pytest.mark.parametrize("value", ["-0483-01-01", "-483", "-0483", "1956", "1956-03", "2020-02-29"])
    def test_partial_and_bce_days_are_accepted(self, api, db, value):
        assert api.get("/api/v1/places/", {"as_of": value}).status_code == 200
        assert api.get("/api/v1/search/", {"q": "长江", "as_of": value}).status_code == 200

    @pytest.mark.parametrize(
        "value", ["abc", "2020-02-30", "0000", "0", "-3001", "1956-13", "2020/01/01", "1" * 25, "1956-01-01T00:00"]
    )
    def test_bad_days_are_400_naming_as_of(self, api, db, value):
        for url, extra in (
            ("/api/v1/places/", {}),
            ("/api/v1/search/", {"q": "长江"}),
            ("/api/v1/places/340103R00015/", {}),
        ):
            response = api.get(url, {"as_of": value, **extra})
            assert response.status_code == 400 and "as_of" in response.json(), (url, value, response.content)
