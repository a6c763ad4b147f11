"""The clerk's day in the place admin (issue #10): every form saves as rendered, nothing is
lost or half-saved, old versions are not restored, existing names are recorded with their
source, and the list and the page speak Chinese.

The client is logged in as a staff user in the ``clerk`` group (the role from the
migration), not as a superuser, so permissions are the clerk's.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from registry.models import Place
from registry.services.heritage import heritage_listing_create
from registry.services.places import name_record, place_retire
from registry.services.proposals import proposal_create, proposal_transition
from tests.admin.forms import form_data

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "hefei_demo.json"


@pytest.fixture
def users(db, django_user_model):
    made = {}
    for name in ("clerk", "reviewer", "approver"):
        user = django_user_model.objects.create_user(f"{name}1", password="pw", is_staff=True)
        user.groups.add(Group.objects.get(name=name))
        made[name] = django_user_model.objects.get(pk=user.pk)
    return made


@pytest.fixture
def clerk(users):
    client = Client()
    client.force_login(users["clerk"])
    return client


@pytest.fixture
def road(make_place, baohe):
    place = make_place("和平路", division=baohe, named_on="1950", details={"width_m": 20})
    name_record(place=place, name="大路", kind="former", valid_from="1900", valid_to="1949")
    return Place.objects.get(pk=place.pk)


def change_url(place):
    return reverse("admin:registry_place_change", args=[place.pk])


def rendered_form(client, place) -> dict:
    response = client.get(change_url(place))
    assert response.status_code == 200
    return form_data(response.content.decode(), "place_form")


def add_name_prefix(data: dict) -> str:
    """The prefix of the 'record a former name' rows (the names history is the other PlaceName inline)."""
    prefixes = [k[: -len("-TOTAL_FORMS")] for k in data if k.endswith("-TOTAL_FORMS") and k.startswith("names")]
    return [p for p in prefixes if p != "names"][0]


def page_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- 1. every change form saves as rendered -------------------------------------------------


@pytest.fixture
def places(road, make_place, shushan):
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
    water = make_place("派河", category="water")
    bridge = make_place("玉栏桥", category="bridge", longitude="117.9", latitude="31.7")
    building = make_place("合肥大剧院", category="building")
    estate = make_place("西园新村", category="residential")
    village = make_place("兴坝村", category="village")
    lined = make_place(
        "淮河路", geometry={"type": "LineString", "coordinates": [[117.28, 31.87], [117.30, 31.87]]}, note="步行街"
    )
    retired = place_retire(place=make_place("合肥骆岗国际机场", category="building"), effective="2013-05-29")
    return [road, town, water, bridge, building, estate, village, lined, retired]


@pytest.mark.parametrize("who", ["clerk", "admin"])
def test_every_place_change_form_reposted_as_rendered_saves(who, clerk, admin_client, places):
    client = clerk if who == "clerk" else admin_client
    for place in places:
        before = Place.objects.get(pk=place.pk)
        names = list(before.names.values_list("name", "kind", "valid_from", "valid_to"))
        response = client.post(change_url(place), rendered_form(client, place))
        assert response.status_code == 302, (place.name, response.content.decode()[:3000])
        after = Place.objects.get(pk=place.pk)
        assert (after.name, after.status, after.note, after.details, after.geometry) == (
            before.name,
            before.status,
            before.note,
            before.details,
            before.geometry,
        )
        assert list(after.names.values_list("name", "kind", "valid_from", "valid_to")) == names


def test_changing_the_note_and_origin_of_a_road_saves_with_the_clerk_in_the_history(clerk, road, users):
    data = rendered_form(clerk, road)
    data.update(note="路面2024年翻修", origin="取“和平”之义")
    response = clerk.post(change_url(road), data, follow=True)
    assert response.status_code == 200
    road.refresh_from_db()
    assert (road.note, road.origin) == ("路面2024年翻修", "取“和平”之义")
    assert road.history.first().history_user == users["clerk"]
    assert any("成功" in m for m in page_messages(response))


def test_a_former_name_added_in_the_names_rows_is_recorded(clerk, road):
    data = rendered_form(clerk, road)
    prefix = add_name_prefix(data)
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-name": "太平街",
            f"{prefix}-0-kind": "former",
            f"{prefix}-0-valid_from": "1930",
            f"{prefix}-0-valid_to": "1949-12",
            f"{prefix}-0-source": "《合肥市地名录》",
        }
    )
    response = clerk.post(change_url(road), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    recorded = road.names.get(name="太平街")
    assert (recorded.kind, recorded.valid_from, recorded.valid_to, recorded.source) == (
        "former",
        "1930",
        "1949-12",
        "《合肥市地名录》",
    )
    assert road.names.filter(kind="official", valid_to="").get().name == "和平路"


@pytest.mark.parametrize(
    "name, valid_from, valid_to",
    [
        ("太平街", "1990", "1950"),
        ("太平街", "1950-02-30", ""),
        ("太平街", "一九五〇", ""),
        ("太平\u200e街", "1930", ""),  # an invisible character pasted from a document
    ],
)
def test_a_bad_name_row_shows_its_error_on_the_row_and_saves_nothing(clerk, road, name, valid_from, valid_to):
    data = rendered_form(clerk, road)
    prefix = add_name_prefix(data)
    data.update(
        {
            "note": "不应保存",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-name": name,
            f"{prefix}-0-kind": "former",
            f"{prefix}-0-valid_from": valid_from,
            f"{prefix}-0-valid_to": valid_to,
        }
    )
    response = clerk.post(change_url(road), data)
    assert response.status_code == 200
    formset = next(f for f in response.context["inline_admin_formsets"] if f.formset.prefix == prefix).formset
    assert formset.forms[0].errors, "the error is on the row"
    road.refresh_from_db()
    assert road.note == "" and not road.names.filter(name__startswith="太平").exists()


def test_a_refusal_by_the_service_rolls_back_the_place_and_shows_on_the_form(clerk, road, monkeypatch):
    """A rule the form does not know (here: a name_record that refuses) saves nothing at all."""
    from django.core.exceptions import ValidationError

    from registry.services import places as place_services

    def refuse(**kwargs):
        raise ValidationError({"valid_from": "此名称与现有记录冲突"})

    monkeypatch.setattr(place_services, "name_record", refuse)
    data = rendered_form(clerk, road)
    prefix = add_name_prefix(data)
    data.update(
        {
            "note": "不应保存",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-name": "太平街",
            f"{prefix}-0-kind": "former",
            f"{prefix}-0-valid_from": "1930",
        }
    )
    response = clerk.post(change_url(road), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "此名称与现有记录冲突" in content and "太平街" in content
    road.refresh_from_db()
    assert road.note == ""
    assert not road.history.filter(history_change_reason="admin").exists()


def test_setting_the_status_to_retired_is_refused_with_the_way_to_retire(clerk, road):
    data = rendered_form(clerk, road)
    data["status"] = "retired"
    response = clerk.post(change_url(road), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["status"]
    assert "销名" in errors[0] and "申报" in errors[0]
    road.refresh_from_db()
    assert road.status == "active" and road.names.get(kind="official").valid_to == ""


def test_a_proposed_place_becomes_active_only_with_its_approval_document(clerk, make_place):
    place = make_place("望湖路", status="proposed")
    data = rendered_form(clerk, place)
    data["status"] = "active"
    response = clerk.post(change_url(place), data)
    assert response.status_code == 200 and "批准文号" in response.content.decode()
    data["approval_document"] = "合政秘〔2020〕45号"
    assert clerk.post(change_url(place), data).status_code == 302
    place.refresh_from_db()
    assert (place.status, place.approval_document) == ("active", "合政秘〔2020〕45号")


# --- 3. old versions are not restored ----------------------------------------------------------


@pytest.fixture
def renamed(road, users, settings):
    """和平路 → 和顺路, approved through the workflow with a decision document."""
    settings.REGISTRY_NOTICE_DAYS = 0
    proposal = proposal_create(drafted_by=users["clerk"], action="rename", place=road, name="和顺路", reason="测试")
    for step, actor, data in [
        ("submit", "clerk", {}),
        ("start_review", "reviewer", {}),
        ("start_notice", "reviewer", {}),
        (
            "approve",
            "approver",
            {
                "authority": "合肥市人民政府",
                "document_number": "合政秘〔2026〕1号",
                "decided_on": timezone.localdate().isoformat(),
            },
        ),
    ]:
        proposal = proposal_transition(proposal=proposal, transition=step, acting_user=users[actor], **data)
    return Place.objects.get(pk=road.pk)


def _state(place):
    place = Place.objects.get(pk=place.pk)
    return (place.name, place.approval_document, list(place.names.values_list("name", "kind", "valid_to")))


@pytest.mark.parametrize("model", ["place", "placename", "heritagelisting"])
def test_restoring_an_old_version_is_refused_and_changes_nothing(clerk, renamed, model):
    town = Place.objects.get(pk=renamed.pk)
    if model == "heritagelisting":
        obj = heritage_listing_create(place=town, scheme="other", level="municipal", status="candidate")
    elif model == "placename":
        obj = town.names.get(name="和平路")
    else:
        obj = town
    oldest = obj.history.order_by("history_date").first()
    before = _state(renamed)
    history_url = reverse(f"admin:registry_{model}_history", args=[obj.pk])
    revert_url = reverse(f"admin:registry_{model}_simple_history", args=[obj.pk, oldest.history_id])
    page = clerk.get(history_url).content.decode()
    assert revert_url not in page
    for method in (clerk.get, clerk.post):
        response = method(revert_url, {"name": "和平路"} if method == clerk.post else None)
        assert response.status_code == 302 and response["Location"] == history_url
    response = clerk.get(revert_url, follow=True)
    assert any("还原" in m or "恢复" in m for m in page_messages(response)), page_messages(response)
    assert _state(renamed) == before
    assert before[0] == "和顺路" and before[1] == "合政秘〔2026〕1号"


def test_the_history_page_lists_versions_without_none(clerk, renamed):
    content = clerk.get(reverse("admin:registry_place_history", args=[renamed.pk])).content.decode()
    assert "和顺路" in content and "和平路" in content
    assert "None" not in content


# --- 4, 5, 6. the add form records an existing name, with its source ----------------------------


def add(client, **fields):
    data = {"name": "习友路", "category": "road", "division": "340104", "verification": "confirmed", **fields}
    return client.post(reverse("admin:registry_place_add"), data)


def test_the_add_form_records_an_existing_name_and_points_new_names_to_a_proposal(clerk):
    response = clerk.get(reverse("admin:registry_place_add"))
    content = response.content.decode()
    assert "录入既有地名" in content
    assert reverse("admin:registry_proposal_add") + "?action=name" in content
    form = response.context["adminform"].form
    assert "status" not in form.fields and "reason" in form.fields
    assert "命名申报" in str(form.fields["record_existing"].help_text) or "申报" in content
    assert clerk.get(reverse("admin:registry_proposal_add") + "?action=name").status_code == 200


def test_recording_an_existing_name_needs_its_source(clerk):
    response = add(clerk)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["reason"]
    assert not Place.objects.filter(name="习友路").exists()


def test_an_existing_name_is_recorded_active_with_its_source_in_the_name_and_the_history(clerk, users):
    response = add(clerk, reason="第二次全国地名普查成果（2016）")
    assert response.status_code == 302, response.content.decode()[:3000]
    place = Place.objects.get(name="习友路")
    assert place.status == "active"
    official = place.names.get()
    assert official.source == "第二次全国地名普查成果（2016）"
    reason = place.history.first().history_change_reason
    assert "第二次全国地名普查成果（2016）" in reason and "录入" in reason
    assert place.history.first().history_user == users["clerk"]
    history = clerk.get(reverse("admin:registry_place_history", args=[place.pk])).content.decode()
    assert "第二次全国地名普查成果（2016）" in history


def test_a_name_with_errors_is_recorded_only_when_confirmed_and_the_findings_are_kept(clerk, make_place):
    make_place("金寨路")
    response = add(clerk, name="金寨路", reason="路牌")
    assert response.status_code == 200
    content = response.content.decode()
    assert "重名" in content and 'title="DUPLICATE"' in content
    assert "[DUPLICATE]" not in content
    assert "地名不能为空" not in content  # item 6: no false "the name is empty"
    assert Place.objects.filter(name="金寨路").count() == 1
    response = clerk.post(
        reverse("admin:registry_place_add"),
        {
            "name": "金寨路",
            "category": "road",
            "division": "340104",
            "verification": "confirmed",
            "reason": "路牌及门牌（2019年实地核查）",
            "record_existing": "on",
        },
        follow=True,
    )
    assert Place.objects.filter(name="金寨路").count() == 2
    recorded = Place.objects.filter(name="金寨路").order_by("-pk").first()
    assert recorded.finding_level == "error" and "DUPLICATE" in recorded.finding_rules
    official = recorded.names.get()
    assert official.source == "路牌及门牌（2019年实地核查）" and "重名" in official.note
    assert any("重名" in m for m in page_messages(response))


@pytest.mark.parametrize("name, label", [("金寨路", "重名"), ("曼哈顿路", "外语词")])
def test_naming_rule_errors_on_the_add_form_come_without_a_false_empty_name(clerk, make_place, name, label):
    make_place("金寨路")
    response = add(clerk, name=name, reason="路牌")
    errors = response.context["adminform"].form.errors["name"]
    assert any(label in e for e in errors)
    assert not any("不能为空" in e for e in errors)
    assert not any(e.startswith("[") for e in errors)


def test_a_pasted_invisible_character_in_the_name_is_a_form_error(clerk):
    response = add(clerk, name="习友\u200b\u200e路", reason="路牌")
    assert response.status_code == 200
    assert "U+200E" in response.context["adminform"].form.errors["name"][0]
    assert not Place.objects.exists()


def test_the_focus_starts_in_the_name_and_the_code_comes_last(clerk):
    content = clerk.get(reverse("admin:registry_place_add")).content.decode()
    assert content.index('id="id_name"') < content.index('id="id_code"')
    name_input = content[content.rindex("<input", 0, content.index('id="id_name"')) :].split(">", 1)[0]
    assert "autofocus" in name_input


# --- 11. nothing is deleted; the roles stay -----------------------------------------------------


def _registry_objects(renamed):
    """Every registry model kept forever (word-list entries are the bureau's to delete), with a row."""
    from django.contrib import admin

    from registry.admin.guards import NoDeleteAdminMixin
    from registry.models.base import UndeletableModel

    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "registry":
            continue
        if issubclass(model, UndeletableModel):
            assert isinstance(model_admin, NoDeleteAdminMixin), model
        if not isinstance(model_admin, NoDeleteAdminMixin):
            continue
        obj = model._default_manager.first()
        if obj is not None:
            yield model, obj


def test_every_registry_delete_url_says_records_are_retired_not_deleted(admin_client, clerk, renamed):
    checked = 0
    for model, obj in _registry_objects(renamed):
        opts = model._meta
        for client in (admin_client, clerk):
            url = reverse(f"admin:registry_{opts.model_name}_delete", args=[obj.pk])
            response = client.get(url, follow=True)
            assert response.status_code == 200, (model, response.status_code)
            content = response.content.decode()
            assert "地名记录不可删除" in content and "销名" in content, model
            assert model._default_manager.filter(pk=obj.pk).exists()
            checked += 1
        response = admin_client.post(
            reverse(f"admin:registry_{opts.model_name}_delete", args=[obj.pk]), {"post": "yes"}
        )
        assert response.status_code == 302 and model._default_manager.filter(pk=obj.pk).exists()
    assert checked >= 10


def test_the_workflow_roles_cannot_be_deleted_or_renamed(admin_client, db):
    clerk_group = Group.objects.get(name="clerk")
    response = admin_client.get(reverse("admin:auth_group_delete", args=[clerk_group.pk]), follow=True)
    assert "不能删除" in response.content.decode()
    assert (
        admin_client.post(reverse("admin:auth_group_delete", args=[clerk_group.pk]), {"post": "yes"}).status_code == 302
    )
    roles = Group.objects.filter(name__in=["clerk", "reviewer", "approver"])
    response = admin_client.post(
        reverse("admin:auth_group_changelist"),
        {"action": "delete_selected", "_selected_action": [g.pk for g in roles], "post": "yes"},
        follow=True,
    )
    assert any("不能删除" in m for m in page_messages(response))
    assert roles.count() == 3
    change = admin_client.get(reverse("admin:auth_group_change", args=[clerk_group.pk]))
    assert "name" not in change.context["adminform"].form.fields
    # Other groups stay deletable.
    other = Group.objects.create(name="临时")
    admin_client.post(
        reverse("admin:auth_group_changelist"),
        {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"},
    )
    assert not Group.objects.filter(name="临时").exists()


# --- 12. demo data for citizens; the geometry box ---------------------------------------------


def _strings(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif isinstance(node, str):
        yield node


@pytest.mark.parametrize(
    "note",
    [
        "DOMAIN.md",
        "SPEC.md",
        "HEFEI_FACTS",
        "留空",
        "§",
        "TODO",
        "listed_on",
        "in_use_since",
        "本任务",
        "研究笔记",
        "[I]",
        "[C]",
        "fixture",
    ],
)
def test_the_demo_data_carry_no_developer_notes(note):
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    leaks = [s for s in _strings(data) if note in s]
    assert not leaks, leaks[:3]


def test_an_empty_geometry_box_is_empty_not_null(clerk, road):
    content = clerk.get(change_url(road)).content.decode()
    start = content.index('id="id_geometry"')
    box = content[content.index(">", start) + 1 : content.index("</textarea>", start)]
    assert box.strip() == ""
    data = rendered_form(clerk, road)
    assert clerk.post(change_url(road), data).status_code == 302
    road.refresh_from_db()
    assert road.geometry is None


# --- what a clerk asked for ---------------------------------------------------------------------


def test_rule_codes_show_as_chinese_labels_with_the_code_in_a_tooltip(clerk, make_place):
    make_place("金寨路")
    flagged = make_place("金斋路")
    listing = clerk.get(reverse("admin:registry_place_changelist"), {"findings": "any"}).content.decode()
    assert 'title="HOMOPHONE"' in listing and "同音" in listing
    assert "⚠ HOMOPHONE" not in listing
    page = clerk.get(change_url(flagged)).content.decode()
    assert "同音" in page and "警告" in page and "[HOMOPHONE]" not in page


def test_the_names_history_comes_right_after_the_main_fieldset(clerk, road):
    content = clerk.get(change_url(road)).content.decode()
    assert content.index("名称沿革") < content.index("审批信息")
    assert content.index("大路") < content.index("审批信息")


@pytest.mark.parametrize(
    "term, expected_match",
    [
        ("长江仲路", "长江中路"),  # a typo, as in the API
        ("changjiang", "长江中路"),  # pinyin
        ("cjzl", "长江中路"),  # initials
        ("大路", "曾用名：大路"),  # a former name
        ("dalu", "曾用名：大路"),  # a former name by pinyin
    ],
)
def test_the_list_finds_by_typo_pinyin_and_former_name_and_says_what_matched(
    clerk, road, make_place, term, expected_match
):
    target = make_place("长江中路")
    response = clerk.get(reverse("admin:registry_place_changelist"), {"q": term})
    assert response.status_code == 200
    content = response.content.decode()
    place = road if "大路" in expected_match else target
    assert place.code in content
    assert "匹配" in content and expected_match in content
    first = response.context["cl"].result_list[0]
    assert first.pk == place.pk


def test_a_substring_still_finds_places(clerk, make_place):
    place = make_place("长江中路")
    content = clerk.get(reverse("admin:registry_place_changelist"), {"q": "江中"}).content.decode()
    assert place.code in content


def test_the_selected_places_are_exported(clerk, users, road, make_place):
    other = make_place("潜山路")
    make_place("黄山路")
    url = reverse("admin:registry_place_changelist")
    # Exporting rows copies the registry: the export permission (reviewers, approvers), not the clerk's.
    assert 'value="export_selected_xlsx"' not in clerk.get(url).content.decode()
    reviewer = Client()
    reviewer.force_login(users["reviewer"])
    for fmt in ("xlsx", "csv"):
        response = reviewer.post(url, {"action": f"export_selected_{fmt}", "_selected_action": [road.pk, other.pk]})
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
        body = b"".join(response.streaming_content)
        if fmt == "csv":
            text = body.decode("utf-8-sig")
            assert "和平路" in text and "潜山路" in text and "黄山路" not in text
            assert "大路" in text  # the former names travel with the place
        else:
            from openpyxl import load_workbook

            rows = list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))
            assert len(rows) == 3 and {r[1] for r in rows[1:]} == {"和平路", "潜山路"}


def test_the_list_sorts_by_last_change_and_keeps_the_category_on_one_line(clerk, road, make_place):
    later = make_place("潜山路")
    url = reverse("admin:registry_place_changelist")
    response = clerk.get(url)
    columns = list(response.context["cl"].list_display)
    index = columns.index("updated_column")
    newest_first = clerk.get(url, {"o": f"-{index}"})
    assert [p.pk for p in newest_first.context["cl"].result_list][:2] == [later.pk, road.pk]
    assert "white-space: nowrap" in response.content.decode()
    assert ".field-category" in response.content.decode()


def test_place_pages_never_show_none(clerk, road, make_place):
    bare = make_place("望江西路")
    for place in (road, bare):
        for url in (change_url(place), reverse("admin:registry_place_history", args=[place.pk])):
            content = clerk.get(url).content.decode()
            assert ">None<" not in content and "None</" not in content and " None " not in content, url
    names = clerk.get(reverse("admin:registry_placename_changelist")).content.decode()
    assert ">None<" not in names


@pytest.mark.parametrize("term", ["'", "%", "_", "a", "1", "路", "长江" * 200, "Lu'an Lu", "340111R", "😀"])
def test_odd_search_terms_answer_in_the_list_and_the_autocomplete(clerk, road, term):
    assert clerk.get(reverse("admin:registry_place_changelist"), {"q": term}).status_code == 200
    response = clerk.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": "registry", "model_name": "heritagelisting", "field_name": "place"},
    )
    assert response.status_code == 200


def test_the_autocomplete_ranks_the_best_match_first(clerk, make_place):
    make_place("长江东路")
    target = make_place("长江中路")
    response = clerk.get(
        reverse("admin:autocomplete"),
        {"term": "长江中路", "app_label": "registry", "model_name": "heritagelisting", "field_name": "place"},
    )
    assert response.json()["results"][0]["id"] == str(target.pk)


@pytest.mark.parametrize("posted", ["\n", "  \r\n "])
def test_a_geometry_box_holding_only_a_line_break_is_empty(clerk, road, posted):
    """A client that keeps the newline Django writes after ``<textarea>`` posts it back."""
    data = rendered_form(clerk, road)
    data["geometry"] = posted
    assert clerk.post(change_url(road), data).status_code == 302
    road.refresh_from_db()
    assert road.geometry is None


# --- service refusals found while the forms are cleaned (issue #17 item 7) ------------------


def inline_formset(response, prefix):
    return next(f for f in response.context["inline_admin_formsets"] if f.formset.prefix == prefix).formset


def test_a_name_row_the_service_refuses_shows_the_reason_on_the_row_before_anything_is_saved(clerk, road, monkeypatch):
    """The row is tried through name_record while the formset is cleaned: the refusal lands on
    the row's own field, and the save never starts (the service is called once, for the trial)."""
    from django.core.exceptions import ValidationError

    from registry.services import places as place_services

    calls = []

    def refuse(**kwargs):
        calls.append(kwargs["name"])
        raise ValidationError({"valid_from": "此名称与现有记录冲突"})

    monkeypatch.setattr(place_services, "name_record", refuse)
    data = rendered_form(clerk, road)
    prefix = add_name_prefix(data)
    data.update(
        {
            "note": "不应保存",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-name": "太平街",
            f"{prefix}-0-kind": "former",
            f"{prefix}-0-valid_from": "1930",
        }
    )
    response = clerk.post(change_url(road), data)
    assert response.status_code == 200
    row = inline_formset(response, prefix).forms[0]
    assert row.errors.get("valid_from") == ["此名称与现有记录冲突"]
    assert not response.context["adminform"].form.non_field_errors()
    assert calls == ["太平街"]
    road.refresh_from_db()
    assert road.note == "" and not road.names.filter(name="太平街").exists()


def test_a_listing_the_service_refuses_shows_the_reason_on_the_listing(clerk, make_place, monkeypatch):
    from django.core.exceptions import ValidationError

    from registry.services import heritage as heritage_services

    town = make_place("柘皋镇", category="town")
    listing = heritage_listing_create(
        place=town,
        scheme="ancient_town",
        level="provincial",
        status="listed",
        in_use_since=-484,
        listed_on="2014",
        first_recorded_name="橐皋",
    )

    def refuse(**kwargs):
        raise ValidationError({"batch": "批次与名录不符"})

    monkeypatch.setattr(heritage_services, "heritage_listing_save", refuse)
    data = rendered_form(clerk, town)
    prefix = next(k[: -len("-TOTAL_FORMS")] for k in data if k.endswith("-TOTAL_FORMS") and k.startswith("heritage"))
    data.update({"note": "不应保存", f"{prefix}-0-batch": "第九批"})
    response = clerk.post(change_url(town), data)
    assert response.status_code == 200
    assert inline_formset(response, prefix).forms[0].errors.get("batch") == ["批次与名录不符"]
    listing.refresh_from_db()
    town.refresh_from_db()
    assert listing.batch != "第九批" and town.note == ""


def test_a_service_refusing_only_at_the_write_rolls_the_whole_save_back(clerk, road, monkeypatch):
    """The trial passed; the real write refuses (a race): nothing is kept, the reason is on the form."""
    from django.core.exceptions import ValidationError

    from registry.services import places as place_services

    real, calls = place_services.name_record, []

    def second_time_refuses(**kwargs):
        calls.append(kwargs["name"])
        if len(calls) > 1:
            raise ValidationError({"valid_from": "刚被别人记录"})
        return real(**kwargs)

    monkeypatch.setattr(place_services, "name_record", second_time_refuses)
    data = rendered_form(clerk, road)
    prefix = add_name_prefix(data)
    data.update(
        {
            "note": "不应保存",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-name": "太平街",
            f"{prefix}-0-kind": "former",
            f"{prefix}-0-valid_from": "1930",
        }
    )
    response = clerk.post(change_url(road), data)
    assert response.status_code == 200 and "刚被别人记录" in response.content.decode()
    road.refresh_from_db()
    assert road.note == "" and not road.names.filter(name="太平街").exists()
    assert not road.history.filter(history_change_reason="admin").exists()


def test_the_division_filter_lists_the_counties_of_the_configured_city(db, settings):
    from registry.admin.place_lists import DivisionFilter

    def counties():
        return [code for code, _name in DivisionFilter.lookups(None, None, None)]

    assert "340104" in counties()  # 蜀山区, under the default 340100
    settings.REGISTRY_CITY_CODE = "340200"  # 芜湖市, also in the reference data
    assert "340202" in counties() and not any(code.startswith("3401") for code in counties())


def test_recording_a_place_logs_and_redirects_to_the_place_the_service_created(clerk, shushan):
    from django.contrib.admin.models import LogEntry

    response = clerk.post(
        reverse("admin:registry_place_add"),
        {
            "name": "望湖路",
            "category": "road",
            "division": shushan.code,
            "reason": "第二次全国地名普查",
            "status": "active",
            "verification": "unverified",
            "geometry": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    created = Place.objects.get(name="望湖路")
    entry = LogEntry.objects.latest("action_time")
    assert entry.object_id == str(created.pk) and entry.object_repr == str(created)
    assert response["Location"] == reverse("admin:registry_place_changelist")
