"""Import and export from the place list, through the same importer as the command."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry.models import Place

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


def upload(client, name, **options):
    data = {"file": SimpleUploadedFile(name, (DATA / name).read_bytes()), **options}
    return client.post(reverse("admin:registry_place_import"), data)


def test_admin_import_checks_then_writes(admin_client):
    checked = upload(admin_client, "good_gbk.csv", dry_run="on")
    assert "3" in checked.content.decode() and not Place.objects.exists()
    upload(admin_client, "good_gbk.csv")
    assert Place.objects.count() == 3
    assert Place.history.filter(history_change_reason="import", history_user__username="admin").count() == 3


def test_admin_import_shows_problems_and_writes_nothing(admin_client):
    response = upload(admin_client, "bad_division.csv")
    assert "999999" in response.content.decode() and not Place.objects.exists()


def test_admin_export_downloads_the_registry(admin_client, make_place):
    make_place("金寨路")
    response = admin_client.get(reverse("admin:registry_place_export", args=["csv"]))
    assert "金寨路" in b"".join(response.streaming_content).decode("utf-8-sig")


def test_admin_imports_and_exports_heritage_listings(admin_client):
    from registry.models import HeritageListing

    heritage = DATA / "heritage"
    admin_client.post(
        reverse("admin:registry_place_import"),
        {"kind": "places", "file": SimpleUploadedFile("places.csv", (heritage / "places.csv").read_bytes())},
    )
    response = admin_client.post(
        reverse("admin:registry_place_import"),
        {"kind": "heritage", "file": SimpleUploadedFile("bad.csv", (heritage / "bad.csv").read_bytes())},
    )
    assert "340181Z99999" in response.content.decode() and not HeritageListing.objects.exists()
    admin_client.post(
        reverse("admin:registry_place_import"),
        {"kind": "heritage", "file": SimpleUploadedFile("good.xlsx", (heritage / "good.xlsx").read_bytes())},
    )
    assert HeritageListing.history.filter(history_user__username="admin").count() == 3
    response = admin_client.get(reverse("admin:registry_place_export", args=["csv"]) + "?kind=heritage")
    assert "橐皋" in b"".join(response.streaming_content).decode("utf-8-sig")


def post(client, text, **options):
    data = {"file": SimpleUploadedFile("census.csv", text.encode("utf-8")), **options}
    response = client.post(reverse("admin:registry_place_import"), data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    return response.content.decode()


def test_a_written_import_with_findings_shows_them_by_rule_in_chinese(admin_client, make_place):
    """#10 item 2: the result page of an import whose names have findings used to fail (a 500)."""
    make_place("金寨路")
    page = post(admin_client, "name,category,division\n金斋路,road,340104\n")  # a homophone: a warning
    assert "已导入" in page and Place.objects.filter(name="金斋路").exists()
    assert '<td class="warning-rule" title="HOMOPHONE">同音</td>' in page
    assert "<td>1</td><td>1</td><td>0</td><td>0</td>" in page  # rows, created, updated, unchanged


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry-run", "import"])
def test_names_with_errors_are_listed_row_by_row_and_nothing_is_written(admin_client, make_place, dry_run):
    make_place("金寨路")
    page = post(
        admin_client,
        "name,category,division\n潜山路,road,340104\n金寨路,road,340104\n曼哈顿花园,residential,340104\n",
        **({"dry_run": "on"} if dry_run else {}),
    )
    assert "未导入任何数据" in page and "登记已有地名" in page
    assert '<td>3</td>\n      <td title="name">名称</td><td>“金寨路”不符合命名规则：重名。' in page
    assert '<td>4</td>\n      <td title="name">名称</td><td>“曼哈顿花园”不符合命名规则：外语词（洋）。' in page
    assert '<td class="error-rule" title="DUPLICATE">重名</td>' in page
    assert list(Place.objects.values_list("name", flat=True)) == ["金寨路"]


def test_legacy_names_are_shown_before_and_recorded_with_their_findings(admin_client, make_place):
    make_place("金寨路")
    text = "name,category,division\n金寨路,road,340104\n"
    checked = post(admin_client, text, dry_run="on", legacy="on")
    assert "将作为已有地名登记（名称审查有错误）" in checked and Place.objects.count() == 1
    assert '<span class="error-rule" title="DUPLICATE">重名</span>' in checked
    written = post(admin_client, text, legacy="on")
    assert "已作为已有地名登记（名称审查有错误）" in written
    legacy = Place.objects.exclude(pk=Place.objects.order_by("pk").first().pk).get()
    assert (legacy.name, legacy.finding_level, legacy.finding_rules) == ("金寨路", "error", "DUPLICATE")


def test_problems_name_their_line_and_column_in_chinese(admin_client):
    page = post(admin_client, "name,category,division\n潜山路,road,999999\n")
    assert '<td>2</td>\n      <td title="division">行政区划代码</td><td>未知的行政区划代码“999999”' in page


def test_the_import_form_says_what_happens_to_names_with_errors(admin_client):
    page = admin_client.get(reverse("admin:registry_place_import"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "登记已有地名（实地已在使用的历史遗留名称）" in page and "不勾选时，凡名称审查有“错误”" in page


def test_a_chinese_header_file_imports_through_the_form(admin_client):
    page = post(admin_client, "编码,名称,类别,行政区划代码,行政区划,状态\n,潜山路,道路街巷,340104,蜀山区,现行\n")
    assert "已导入" in page
    place = Place.objects.get()
    assert (place.name, place.category, place.division_id, place.status) == ("潜山路", "road", "340104", "active")
