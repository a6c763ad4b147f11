"""The REST API: endpoints, filters, search quality, time travel, formats, access, errors."""

import pytest
from rest_framework.test import APIClient

from registry.models import Division
from registry.services.heritage import heritage_listing_create
from registry.services.places import name_record, place_create, place_rename, place_retire


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def hefei(db):
    d = {code: Division.objects.get(code=code) for code in ("340103", "340104", "340111", "340123", "340181")}
    places = {
        "jinzhai": place_create(
            name="金寨路", category="road", division=d["340104"], named_on="1955", longitude=117.2736, latitude=31.8380
        ),
        "cjzl": place_create(name="长江中路", category="road", division=d["340103"], named_on="1953"),
        "cjxl": place_create(name="长江西路", category="road", division=d["340104"], named_on="1953"),
        "lujiang": place_create(
            name="左圣宫巷",
            category="road",
            division=d["340111"],
            named_on="1900",
            geometry={"type": "LineString", "coordinates": [[117.28, 31.86], [117.29, 31.86]]},
        ),
        "sanhe": place_create(name="三河镇", category="town", division=d["340123"]),
        "zhegao": place_create(name="柘皋镇", category="town", division=d["340181"]),
        "old": place_create(name="老城巷", category="road", division=d["340103"], named_on="1950"),
    }
    place_rename(
        place=places["lujiang"], new_name="庐江路", effective="1956-06-01", decision_document="合政〔1956〕12号"
    )
    name_record(place=places["zhegao"], name="橐皋", kind="historical", valid_to="0960", source="《春秋》")
    place_retire(place=places["old"], effective="2019-09-30")
    heritage_listing_create(
        place=places["zhegao"],
        scheme="ancient_town",
        level="provincial",
        status="listed",
        in_use_since=-483,
        listed_on="2014",
        first_recorded_name="橐皋",
        first_recorded_source="《春秋》哀公十二年",
    )
    for p in places.values():
        p.refresh_from_db()
    return places


def codes(response):
    return [r["code"] for r in response.json()["results"]]


class TestPlaces:
    def test_list_is_paginated_with_the_contract_keys(self, api, hefei):
        data = api.get("/api/v1/places/", {"page_size": 2}).json()
        assert set(data) == {"count", "next", "previous", "results"}
        assert data["count"] == len(hefei) and len(data["results"]) == 2

    def test_page_size_is_capped_at_200(self, api, hefei):
        assert api.get("/api/v1/places/", {"page_size": 5000}).status_code == 200

    @pytest.mark.parametrize(
        "params,expected",
        [
            ({"category": "town"}, {"sanhe", "zhegao"}),
            ({"division": "340104"}, {"jinzhai", "cjxl"}),
            ({"division": "340100", "category": "town"}, {"sanhe", "zhegao"}),  # sub-divisions included
            ({"status": "retired"}, {"old"}),
            ({"heritage": "true"}, {"zhegao"}),
        ],
    )
    def test_filters(self, api, hefei, params, expected):
        assert set(codes(api.get("/api/v1/places/", params))) == {hefei[k].code for k in expected}

    def test_heritage_false_excludes_listed_places(self, api, hefei):
        assert hefei["zhegao"].code not in codes(api.get("/api/v1/places/", {"heritage": "false", "page_size": 50}))

    def test_ordering(self, api, hefei):
        names = [
            r["name"] for r in api.get("/api/v1/places/", {"ordering": "-name", "page_size": 50}).json()["results"]
        ]
        assert names == sorted(names, reverse=True)

    def test_detail_has_names_history_heritage_and_details(self, api, hefei):
        data = api.get(f"/api/v1/places/{hefei['zhegao'].code}/").json()
        assert data["names"][0]["name"] == "橐皋" and data["names"][-1]["name"] == "柘皋镇"
        assert data["heritage_listings"][0]["first_recorded_name"] == "橐皋"
        assert data["heritage_listings"][0]["years_in_use"] == 2014 + 483 - 1
        assert data["pinyin_tone_marked"] == "Zhègāo Zhèn"

    def test_names_endpoint_is_oldest_first(self, api, hefei):
        data = api.get(f"/api/v1/places/{hefei['lujiang'].code}/names/").json()
        assert [n["name"] for n in data["results"]] == ["左圣宫巷", "庐江路"]
        assert data["results"][1]["decision_document"] == "合政〔1956〕12号"

    def test_unknown_place_is_a_json_404(self, api, db):
        response = api.get("/api/v1/places/NOPE1234/")
        assert response.status_code == 404 and "detail" in response.json()

    @pytest.mark.parametrize(
        "params,field",
        [
            ({"division": "999999"}, "division"),
            ({"as_of": "2020-13-45"}, "as_of"),
            ({"category": "river"}, "category"),
            ({"heritage": "maybe"}, "heritage"),
            ({"status": "gone"}, "status"),
        ],
    )
    def test_bad_filters_are_400_naming_the_field(self, api, db, params, field):
        response = api.get("/api/v1/places/", params)
        assert response.status_code == 400 and field in response.json()

    def test_a_list_takes_a_bounded_number_of_queries(self, api, hefei, django_assert_max_num_queries):
        for i in range(40):
            place_create(name=f"测试{i}路", category="road", division=hefei["jinzhai"].division)
        # One of them is Last-Modified's, which outside a transaction is looked up once per revision.
        with django_assert_max_num_queries(5):
            api.get("/api/v1/places/", {"page_size": 200})
        with django_assert_max_num_queries(6):
            api.get(f"/api/v1/places/{hefei['zhegao'].code}/")
        with django_assert_max_num_queries(6):
            api.get("/api/v1/places/", {"page_size": 200, "format": "lpf"})


class TestSearch:
    @pytest.mark.parametrize(
        "q,expected,how",
        [
            ("金寨路", "jinzhai", "exact"),
            ("长江", "cjzl", "prefix"),
            ("changjiang", "cjzl", "pinyin-prefix"),
            ("Jinzhai Lu", "jinzhai", "pinyin"),
            ("jinzhailu", "jinzhai", "pinyin"),
            ("cjzl", "cjzl", "initials"),
            ("金斋路", "jinzhai", "homophone"),
            ("长江仲路", "cjzl", "homophone"),
            ("长江中珞", "cjzl", "fuzzy"),
            ("左圣宫巷", "lujiang", "exact"),  # a former name
            ("橐皋", "zhegao", "exact"),  # a historical name
        ],
    )
    def test_search_quality(self, api, hefei, q, expected, how):
        results = api.get("/api/v1/search/", {"q": q}).json()["results"]
        codes_found = [r["code"] for r in results]
        assert hefei[expected].code in codes_found[:3], results
        hit = next(r for r in results if r["code"] == hefei[expected].code)
        assert hit["match"] == how and 0 < hit["score"] <= 100 and hit["matched_name"]

    def test_a_former_name_hit_says_which_name_matched(self, api, hefei):
        (hit, *_rest) = api.get("/api/v1/search/", {"q": "左圣宫巷"}).json()["results"]
        assert (hit["name"], hit["matched_name"], hit["matched_kind"]) == ("庐江路", "左圣宫巷", "former")

    def test_place_list_q_searches_too(self, api, hefei):
        assert codes(api.get("/api/v1/places/", {"q": "cjzl"})) == [hefei["cjzl"].code]

    def test_a_place_code_is_found(self, api, hefei):
        assert (
            api.get("/api/v1/search/", {"q": hefei["sanhe"].code}).json()["results"][0]["code"] == hefei["sanhe"].code
        )

    @pytest.mark.parametrize(
        "params", [{}, {"q": ""}, {"q": "x" * 201}, {"q": "路", "category": "river"}, {"q": "路", "as_of": "yesterday"}]
    )
    def test_bad_searches_are_400(self, api, db, params):
        assert api.get("/api/v1/search/", params).status_code == 400


class TestTimeTravel:
    def test_before_a_rename_the_old_name_is_shown(self, api, hefei):
        before = api.get("/api/v1/places/", {"as_of": "1950-01-01", "division": "340111"}).json()["results"]
        assert [(r["code"], r["name"]) for r in before] == [(hefei["lujiang"].code, "左圣宫巷")]
        after = api.get("/api/v1/places/", {"as_of": "2000-01-01", "division": "340111"}).json()["results"]
        assert [r["name"] for r in after] == ["庐江路"]

    def test_a_place_not_yet_named_or_already_retired_is_absent(self, api, hefei):
        in_1954 = codes(api.get("/api/v1/places/", {"as_of": "1954-01-01", "page_size": 50}))
        assert hefei["jinzhai"].code not in in_1954 and hefei["old"].code in in_1954
        in_2020 = codes(api.get("/api/v1/places/", {"as_of": "2020-01-01", "page_size": 50}))
        assert hefei["old"].code not in in_2020 and hefei["jinzhai"].code in in_2020

    def test_detail_and_search_honour_as_of(self, api, hefei):
        code = hefei["lujiang"].code
        assert api.get(f"/api/v1/places/{code}/", {"as_of": "1950-01-01"}).json()["name"] == "左圣宫巷"
        assert api.get(f"/api/v1/places/{hefei['jinzhai'].code}/", {"as_of": "1900-01-01"}).status_code == 404
        hits = api.get("/api/v1/search/", {"q": "庐江路", "as_of": "1950-01-01"}).json()["results"]
        assert all(h["matched_name"] != "庐江路" for h in hits)


class TestFormats:
    def test_geojson_feature_collection(self, api, hefei):
        response = api.get("/api/v1/places/", {"format": "geojson", "division": "340104"})
        assert response["Content-Type"].startswith("application/geo+json")
        data = response.json()
        assert data["type"] == "FeatureCollection"
        feature = next(f for f in data["features"] if f["id"] == hefei["jinzhai"].code)
        assert feature["type"] == "Feature" and feature["geometry"] == {
            "type": "Point",
            "coordinates": [117.2736, 31.838],
        }
        assert feature["properties"]["name"] == "金寨路"

    def test_geojson_by_accept_header_and_line_geometry(self, api, hefei):
        response = api.get(f"/api/v1/places/{hefei['lujiang'].code}/", HTTP_ACCEPT="application/geo+json")
        data = response.json()
        assert data["type"] == "Feature" and data["geometry"]["type"] == "LineString"
        assert data["properties"]["names"][0]["name"] == "左圣宫巷"

    def test_geojson_without_location_has_null_geometry(self, api, hefei):
        data = api.get(f"/api/v1/places/{hefei['sanhe'].code}/", {"format": "geojson"}).json()
        assert data["geometry"] is None

    def test_linked_places_format(self, api, hefei):
        collection = api.get(f"/api/v1/places/{hefei['lujiang'].code}/", {"format": "lpf"}).json()
        assert collection["@context"].endswith("linkedplaces-context-v1.1.jsonld")
        (data,) = collection["features"]  # a collection of one: LPF allows no @context on a Feature
        assert data["properties"]["title"] == "庐江路" and data["properties"]["fclasses"] == ["R"]
        zh = [n for n in data["names"] if n["lang"] == "zh"]
        assert zh[0]["toponym"] == "左圣宫巷" and zh[0]["when"]["timespans"][0] == {
            "start": {"in": "1900"},
            "end": {"in": "1956-05-31"},
        }
        assert any(n.get("citations") for n in data["names"])  # LPF: at least one; never a placeholder
        listing = api.get("/api/v1/places/", {"format": "lpf", "division": "340111"}).json()
        assert listing["type"] == "FeatureCollection" and listing["features"][0]["names"]

    def test_csv_list(self, api, hefei):
        response = api.get("/api/v1/places/", {"format": "csv", "category": "town"})
        text = response.content.decode("utf-8-sig")
        assert response["Content-Type"].startswith("text/csv")
        assert text.splitlines()[0].startswith("code,name,pinyin") and "三河镇" in text


class TestHeritageAndDivisions:
    def test_heritage_catalogue_filters(self, api, hefei):
        data = api.get(
            "/api/v1/heritage/", {"scheme": "ancient_town", "level": "provincial", "division": "340181"}
        ).json()
        assert [r["place"] for r in data["results"]] == [hefei["zhegao"].code]
        assert data["results"][0]["evidence"] == "" and data["results"][0]["first_recorded_source"]
        assert api.get("/api/v1/heritage/", {"scheme": "red"}).json()["count"] == 0

    def test_division_tree(self, api, db):
        hefei = api.get("/api/v1/divisions/340100/").json()
        assert hefei["name"] == "合肥市" and {"340104", "340181"} <= {c["code"] for c in hefei["children"]}
        towns = api.get("/api/v1/divisions/", {"parent": "340181", "page_size": 200}).json()
        assert "340181102000" in {d["code"] for d in towns["results"]}


class TestNameCheck:
    def test_check_runs_the_validator(self, api, hefei):
        data = api.post(
            "/api/v1/names/check/", {"name": "金斋路", "category": "road", "division": "340104"}, format="json"
        ).json()
        assert data["ok"] is True and data["pinyin"] == "Jinzhai Lu"
        (finding,) = data["findings"]
        assert finding["rule"] == "HOMOPHONE" and finding["matches"][0]["code"] == hefei["jinzhai"].code

    def test_check_of_a_rename_does_not_match_itself(self, api, hefei):
        data = api.post(
            "/api/v1/names/check/",
            {"name": "金寨路", "category": "road", "place": hefei["jinzhai"].code},
            format="json",
        ).json()
        assert data["findings"] == []

    def test_english_messages(self, api, db):
        english = api.post("/api/v1/names/check/?lang=en", {"name": "大道", "category": "road"}, format="json").json()
        assert "generic term" in english["findings"][0]["message"]
        by_header = api.post(
            "/api/v1/names/check/", {"name": "大道", "category": "road"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
        ).json()
        assert "generic term" in by_header["findings"][0]["message"]
        chinese = api.post("/api/v1/names/check/", {"name": "大道", "category": "road"}, format="json").json()
        assert "专名" in chinese["findings"][0]["message"] and "generic term" not in chinese["findings"][0]["message"]

    @pytest.mark.parametrize(
        "body,field",
        [
            ({"category": "road"}, "name"),
            ({"name": "长江路"}, "category"),
            ({"name": "长江路", "category": "lake"}, "category"),
            ({"name": "", "category": "road"}, "name"),
            ({"name": "长江\x00路", "category": "road"}, "name"),
            ({"name": "长江路", "category": "road", "division": "123"}, "division"),
            ({"name": "长江路", "category": "road", "place": "NOPE0000"}, "place"),
            ({"name": ["长江路"], "category": "road"}, "name"),
        ],
    )
    def test_bad_checks_are_400_naming_the_field(self, api, db, body, field):
        response = api.post("/api/v1/names/check/", body, format="json")
        assert response.status_code == 400 and field in response.json(), response.content

    def test_malformed_json_is_400(self, api, db):
        response = api.post("/api/v1/names/check/", "{not json", content_type="application/json")
        assert response.status_code == 400


class TestAccess:
    def test_anonymous_reads_are_throttled(self, api, hefei, settings):
        from django.core.cache import cache

        cache.clear()
        settings.REGISTRY_ANON_RATE = "3/min"
        statuses = [api.get("/api/v1/divisions/340100/").status_code for _ in range(5)]
        assert statuses[:3] == [200, 200, 200] and statuses[3] == 429
        cache.clear()

    def test_writes_are_not_allowed_anonymously(self, api, hefei):
        assert api.post("/api/v1/places/", {"name": "x"}, format="json").status_code in (401, 403, 405)
        assert api.delete(f"/api/v1/places/{hefei['jinzhai'].code}/").status_code in (401, 403, 405)

    def test_token_auth(self, api, django_user_model):
        django_user_model.objects.create_user("clerk", password="s3cret-pass")
        token = api.post("/api/v1/auth/token/", {"username": "clerk", "password": "s3cret-pass"}, format="json").json()[
            "token"
        ]
        api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert api.get("/api/v1/divisions/340100/").status_code == 200
        bad = APIClient().post("/api/v1/auth/token/", {"username": "clerk", "password": "wrong"}, format="json")
        assert bad.status_code == 400


def test_schema_and_docs_are_served(client, db):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200 and b"/api/v1/places/" in schema.content
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200 and b"cdn" not in docs.content.lower()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_list_counts_are_cached_but_never_stale():
    from registry.api import pagination

    pagination._counts.clear()
    api = APIClient()
    division = Division.objects.get(code="340104")
    place_create(name="金寨路", category="road", division=division)
    assert api.get("/api/v1/places/", {"category": "road"}).json()["count"] == 1
    assert len(pagination._counts) == 1  # cached, keyed by the query and the revision
    place_create(name="潜山路", category="road", division=division)
    assert api.get("/api/v1/places/", {"category": "road"}).json()["count"] == 2
    place = place_create(name="三河镇", category="town", division=Division.objects.get(code="340123"))
    assert api.get("/api/v1/places/", {"heritage": "true"}).json()["count"] == 0
    heritage_listing_create(place=place, scheme="other", level="municipal")
    assert api.get("/api/v1/places/", {"heritage": "true"}).json()["count"] == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_search_without_hits_counts_zero_outside_a_transaction():
    """Found by schemathesis: an empty search made the cached count's SQL raise EmptyResultSet."""
    response = APIClient().get("/api/v1/places/", {"q": "üq", "as_of": "2999-09-30"})
    assert response.status_code == 200 and response.json()["count"] == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_cached_lookups_are_never_stale():
    from registry.api import caching

    caching._responses.clear()
    api = APIClient()
    division = Division.objects.get(code="340104")
    place = place_create(name="左圣宫巷", category="road", division=division)
    assert api.get("/api/v1/places/", {"category": "road"}).json()["results"][0]["name"] == "左圣宫巷"
    assert api.get(f"/api/v1/places/{place.code}/").json()["name"] == "左圣宫巷"
    assert api.get("/api/v1/search/", {"q": "庐江路"}).json()["count"] == 0
    assert len(caching._responses) == 3
    place_rename(place=place, new_name="庐江路", effective="2026")
    assert api.get("/api/v1/places/", {"category": "road"}).json()["results"][0]["name"] == "庐江路"
    assert api.get(f"/api/v1/places/{place.code}/").json()["name"] == "庐江路"
    assert api.get("/api/v1/search/", {"q": "庐江路"}).json()["count"] == 1
    geo = api.get("/api/v1/places/", {"category": "road", "format": "geojson"}).json()
    assert geo["type"] == "FeatureCollection"  # formats are cached apart
