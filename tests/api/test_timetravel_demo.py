"""Time travel on the Hefei demo data: today every active place answers its current name.

The demo data is loaded once for the module inside a transaction rolled back at the end
(as in tests/test_demo.py).
"""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from registry.models import Place

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_similarity_index():
    """Overrides the suite's per-test reset: the demo's index pending rows stay valid for the module."""
    yield


@pytest.fixture
def api():
    return APIClient()


def name_on(api, code, day):
    response = api.get(f"/api/v1/places/{code}/", {"as_of": day})
    return response.json()["name"] if response.status_code == 200 else response.status_code


class TestDemoData:
    def test_today_every_active_place_has_its_current_name(self, api, demo):
        today = timezone.localdate().isoformat()
        answered = {}
        page = 1
        while True:
            data = api.get("/api/v1/places/", {"as_of": today, "page_size": 200, "page": page}).json()
            answered.update({row["code"]: row["name"] for row in data["results"]})
            if not data["next"]:
                break
            page += 1
        active = dict(Place.objects.filter(status="active").values_list("code", "name"))
        assert len(active) > 300
        wrong = {code: (name, answered.get(code)) for code, name in active.items() if answered.get(code) != name}
        assert wrong == {}

    @pytest.mark.parametrize(
        "code,day,expected",
        [
            ("340103R00015", "today", "长江中路"),  # was 长江路: an undated former name won
            ("340181B00002", "today", "玉栏桥"),  # was 遇难桥 (from 1369, end unknown)
            ("340181B00002", "1400-01-01", "遇难桥"),
            ("340111R00013", "2010-01-01", "徽州大道"),  # PostgreSQL gave the undated 徽州路
            ("340111R00013", "2006-06-01", "徽州大道"),  # 美菱大道 ends in 2006: the official name wins the overlap
            ("340111R00013", "2000-01-01", 404),  # 美菱大道's start is not recorded: nothing is claimed
            ("340181Z00012", "-0483-01-01", "橐皋"),  # BCE, as recorded (《春秋》)
            ("340181Z00012", "-483", "橐皋"),
            ("340181Z00012", "1991-06-01", "橐皋"),  # lasts until the next recorded name begins
            ("340181Z00012", "1992-06-01", "柘皋镇"),
            ("340123Z00005", "1960-01-01", "官亭公社"),
            ("340103R00009", "1950-01-01", "江淮路"),  # from 1948, until 淮河路 (1953)
            ("340103R00015", "0001-01-01", 404),
        ],
    )
    def test_answers(self, api, demo, code, day, expected):
        if day == "today":
            day = timezone.localdate().isoformat()
        assert name_on(api, code, day) == expected

    def test_the_year_1_holds_only_what_is_dated_that_far_back(self, api, demo):
        rows = api.get("/api/v1/places/", {"as_of": "0001-01-01"}).json()["results"]
        assert {(r["code"], r["name"]) for r in rows} == {("340181Z00012", "橐皋"), ("340123Z00001", "鹊岸")}

    def test_search_as_of_matches_only_the_names_borne_that_day(self, api, demo):
        assert api.get("/api/v1/search/", {"q": "徽州大道", "as_of": "2000-01-01"}).json()["count"] == 0
        hits = api.get("/api/v1/search/", {"q": "江淮路", "as_of": "1950-01-01"}).json()["results"]
        assert [(h["code"], h["matched_name"]) for h in hits] == [("340103R00009", "江淮路")]
        later = api.get("/api/v1/search/", {"q": "江淮路", "as_of": "1960-01-01"}).json()["results"]
        assert "江淮路" not in [h["matched_name"] for h in later]
        listed = api.get("/api/v1/places/", {"q": "徽州大道", "as_of": "2000-01-01"}).json()
        assert listed["count"] == 0
