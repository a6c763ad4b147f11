"""The admin: every page answers, in Chinese by default, with search by pinyin and initials."""

import pytest
from django.contrib import admin
from django.urls import reverse

from registry.models import HeritageListing, Place
from registry.services.heritage import heritage_listing_create
from registry.services.places import place_rename


@pytest.fixture
def sample(make_place, baohe, db):
    road = make_place("左圣宫巷", division=baohe, named_on="1900", details={"width_m": 20})
    place_rename(place=road, new_name="庐江路", effective="1956")
    town = make_place("柘皋镇", category="town")
    heritage_listing_create(
        place=town,
        scheme="ancient_town",
        level="provincial",
        status="listed",
        in_use_since=-484,
        listed_on="2014",
        first_recorded_name="橐皋",
    )
    return road, town


def registry_models():
    return [m for m in admin.site._registry if m._meta.app_label in {"registry", "auth"}]


@pytest.mark.parametrize("model", registry_models(), ids=lambda m: m.__name__)
def test_every_list_and_change_page_answers(admin_client, sample, model):
    opts = model._meta
    response = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert response.status_code == 200
    obj = model._default_manager.first()
    if obj is not None:
        response = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
        assert response.status_code == 200
        history = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]))
        assert history.status_code == 200


def test_the_admin_speaks_chinese_by_default(admin_client, sample):
    response = admin_client.get(reverse("admin:registry_place_changelist"))
    content = response.content.decode()
    assert "地名" in content and "搜索" in content


def test_english_is_available(admin_client, sample):
    response = admin_client.get(reverse("admin:registry_place_changelist"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Places" in response.content.decode() or "places" in response.content.decode()


@pytest.mark.parametrize("term", ["庐江", "左圣宫", "lujiang", "Lujiang Lu", "ljl", "340111R"])
def test_places_are_found_by_hanzi_former_name_pinyin_initials_and_code(admin_client, sample, term):
    road, _ = sample
    url = reverse("admin:registry_place_changelist")
    response = admin_client.get(url, {"q": term if term != "340111R" else road.code})
    assert road.code in response.content.decode()


def test_a_road_shows_its_names_history(admin_client, sample):
    road, _ = sample
    response = admin_client.get(reverse("admin:registry_place_change", args=[road.pk]))
    content = response.content.decode()
    assert "左圣宫巷" in content and "1956" in content and "20.0" in content  # history and width detail


def test_filters_by_category_division_status_and_heritage(admin_client, sample):
    road, town = sample
    url = reverse("admin:registry_place_changelist")
    assert road.code in admin_client.get(url, {"division": "340111"}).content.decode()
    assert town.code not in admin_client.get(url, {"division": "340111"}).content.decode()
    assert town.code in admin_client.get(url, {"heritage": "yes"}).content.decode()
    assert road.code not in admin_client.get(url, {"heritage": "yes"}).content.decode()
    assert road.code in admin_client.get(url, {"category__exact": "road", "status__exact": "active"}).content.decode()


def test_adding_a_place_assigns_its_code_and_opens_its_name(admin_client, shushan):
    response = admin_client.post(
        reverse("admin:registry_place_add"),
        {
            "code": "",
            "name": "习友路",
            "category": "road",
            "division": shushan.code,
            "reason": "第二次全国地名普查成果",
            "verification": "confirmed",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    place = Place.objects.get(name="习友路")
    assert place.code == "340104R00001" and place.pinyin == "Xiyou Lu"
    assert place.names.get().kind == "official"
    assert place.history.first().history_user.username == "admin"


def test_bad_coordinates_in_the_admin_save_nothing(admin_client, shushan):
    response = admin_client.post(
        reverse("admin:registry_place_add"),
        {
            "name": "习友路",
            "category": "road",
            "division": shushan.code,
            "reason": "路牌",
            "verification": "confirmed",
            "longitude": "31.8",
            "latitude": "117.2",
        },
    )
    assert response.status_code == 200
    assert "中国" in response.content.decode() or "China" in response.content.decode()
    assert not Place.objects.exists()


def test_a_delete_attempt_is_refused_with_a_message(admin_client, sample):
    road, _ = sample
    response = admin_client.get(reverse("admin:registry_place_delete", args=[road.pk]), follow=True)
    assert Place.objects.filter(pk=road.pk).exists()
    messages = [str(m) for m in response.context["messages"]]
    assert messages and "删除" in messages[0]


def test_list_pages_do_not_query_per_row(admin_client, make_place, django_assert_max_num_queries):
    for i in range(60):
        make_place(f"测试{i}路")
    with django_assert_max_num_queries(12):
        admin_client.get(reverse("admin:registry_place_changelist"))


def test_heritage_listing_page_shows_evidence(admin_client, sample):
    listing = HeritageListing.objects.get()
    response = admin_client.get(reverse("admin:registry_heritagelisting_change", args=[listing.pk]))
    assert "橐皋" in response.content.decode()


def test_the_language_switch_turns_the_admin_english(admin_client, sample):
    url = reverse("admin:registry_place_changelist")
    assert 'id="language-switch"' in admin_client.get(url).content.decode()
    admin_client.post(reverse("set_language"), {"language": "en", "next": url})
    content = admin_client.get(url).content.decode()
    assert "Select place to change" in content


def test_the_change_page_shows_the_name_check(admin_client, make_place, shushan):
    make_place("金寨路")
    place = make_place("金斋路")
    content = admin_client.get(reverse("admin:registry_place_change", args=[place.pk])).content.decode()
    assert "HOMOPHONE" in content and "金寨路" in content


def test_the_list_shows_and_filters_by_findings(admin_client, make_place):
    clean = make_place("潜山路")
    make_place("金寨路")
    flagged = make_place("金斋路")
    url = reverse("admin:registry_place_changelist")
    content = admin_client.get(url, {"findings": "any"}).content.decode()
    assert flagged.code in content and clean.code not in content
    assert "HOMOPHONE" in content
    assert clean.code in admin_client.get(url, {"findings": "none"}).content.decode()


def test_the_add_form_blocks_a_name_with_errors(admin_client, make_place, shushan):
    make_place("金寨路")
    data = {
        "name": "金寨路",
        "category": "road",
        "division": shushan.code,
        "reason": "路牌",
        "verification": "confirmed",
    }
    response = admin_client.post(reverse("admin:registry_place_add"), data)
    assert response.status_code == 200 and "DUPLICATE" in response.content.decode()
    assert Place.objects.filter(name="金寨路").count() == 1
    # Recording an existing (legacy) name: the finding is shown, the record is kept.
    response = admin_client.post(reverse("admin:registry_place_add"), {**data, "record_existing": "on"}, follow=True)
    assert Place.objects.filter(name="金寨路").count() == 2
    assert any("DUPLICATE" in str(m) for m in response.context["messages"])


def test_warnings_do_not_block_and_are_shown(admin_client, make_place, shushan):
    make_place("金寨路")
    response = admin_client.post(
        reverse("admin:registry_place_add"),
        {"name": "金斋路", "category": "road", "division": shushan.code, "reason": "路牌", "verification": "confirmed"},
        follow=True,
    )
    assert Place.objects.filter(name="金斋路").exists()
    assert any("HOMOPHONE" in str(m) for m in response.context["messages"])


def test_a_wrong_pinyin_override_is_refused_in_the_form(admin_client, shushan):
    response = admin_client.post(
        reverse("admin:registry_place_add"),
        {
            "name": "西安路",
            "pinyin": "Xian Road",
            "category": "road",
            "division": shushan.code,
            "reason": "路牌",
            "verification": "confirmed",
        },
    )
    assert response.status_code == 200 and "ROMANIZATION" in response.content.decode()
    assert not Place.objects.filter(name="西安路").exists()


def test_word_lists_are_edited_in_the_admin(admin_client, db):
    from registry.models import WordListEntry

    response = admin_client.post(
        reverse("admin:registry_wordlistentry_add"),
        {
            "word_list": "foreign",
            "term": "梧桐",
            "kind": "word",
            "severity": "",
            "active": "on",
            "note": "",
            "source": "test",
        },
    )
    assert response.status_code == 302
    assert WordListEntry.objects.filter(term="梧桐").exists()
    from registry.validation import check_name

    assert "FOREIGN" in {f.rule for f in check_name("梧桐雅苑", "residential").findings}
