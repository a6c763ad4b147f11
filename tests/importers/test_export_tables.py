"""Table exports: Chinese headers and labels (and back), formula injection, atomic writes, who may export."""

import csv
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from registry.importers import export as export_module
from registry.importers.export import export_heritage, export_places, safe_cell
from registry.importers.rows import unescape_cell
from registry.models import HeritageListing, Place, PlaceName

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"
FORMULAS = ['=HYPERLINK("http://evil.example/","点此")', "+1+2", "-2+3", "@SUM(A1:A2)", "=1", "-"]


def empty_registry():
    """Every place, name and listing gone (raw deletes: the models refuse deletion), to import into."""
    for model in (HeritageListing, PlaceName, Place):
        model.objects.all()._raw_delete(model.objects.db)


def rows_of(path: Path) -> list[list]:
    if path.suffix == ".csv":
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return list(csv.reader(fh))
    sheet = load_workbook(path).worksheets[0]
    return [[c.value for c in row] for row in sheet.iter_rows()]


@pytest.fixture
def registry_rows(db, make_place, baohe):
    road = make_place(
        "庐江路",
        division=baohe,
        origin="以安徽省庐江县命名",
        details={"width_m": 20, "lanes": 4},
        longitude="117.2846",
        latitude="31.8625",
    )
    town = make_place("三河镇", category="town")
    return road, town


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_chinese_export_has_chinese_headers_and_labels(registry_rows, tmp_path, fmt):
    path = tmp_path / f"地名.{fmt}"
    export_places(path, fmt, chinese=True)
    header, *rows = rows_of(path)
    assert header[:8] == ["编码", "名称", "类别", "行政区划代码", "行政区划", "状态", "拼音", "通名"]
    assert {"曾用名（名称|起|止）", "红线宽度（米）", "车道数", "核实情况", "经度"} <= set(header)
    road = dict(zip(header, next(r for r in rows if r[1] == "庐江路")))
    assert (road["类别"], road["状态"], road["行政区划"]) == ("道路街巷", "现行", "包河区")
    assert road["核实情况"] == "已核实（原始来源）"
    if fmt == "xlsx":  # numbers are numbers
        assert road["红线宽度（米）"] == 20 and float(road["经度"]) == pytest.approx(117.2846)


def test_the_machine_readable_export_keeps_codes(registry_rows, tmp_path):
    path = tmp_path / "places.csv"
    export_places(path, "csv")
    header, *rows = rows_of(path)
    assert header[:6] == ["code", "name", "category", "division", "status", "pinyin"]
    assert {r[2] for r in rows} == {"road", "town"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_chinese_export_imports_back(registry_rows, tmp_path, fmt):
    path = tmp_path / f"地名.{fmt}"
    fields = ("code", "name", "category", "division_id", "status", "pinyin", "details", "origin", "longitude")
    before = sorted(Place.objects.values_list(*fields))
    export_places(path, fmt, chinese=True)
    empty_registry()
    call_command("import_places", str(path), verbosity=0)
    assert sorted(Place.objects.values_list(*fields)) == before


def test_a_chinese_heritage_export_imports_back(db, tmp_path):
    call_command("import_places", str(DATA / "heritage" / "places.csv"), verbosity=0)
    call_command("import_places", str(DATA / "heritage" / "good.json"), "--kind", "heritage", verbosity=0)
    fields = ("place__code", "scheme", "level", "status", "in_use_since", "first_recorded_name", "verification")
    before = sorted(HeritageListing.objects.values_list(*fields))
    path = tmp_path / "遗产.xlsx"
    export_heritage(path, "xlsx", chinese=True)
    header, *rows = rows_of(path)
    assert header[:4] == ["地名编码", "名录类别", "级别", "状态"]
    zhegao = dict(zip(header, next(r for r in rows if r[0] == "340181Z00012")))
    assert (zhegao["名录类别"], zhegao["级别"]) == ("千年古镇", "省级")
    assert zhegao["名称始用年份（公元前为负）"] == -483  # a number, negative, not text
    HeritageListing.objects.all()._raw_delete(HeritageListing.objects.db)
    call_command("import_places", str(path), "--kind", "heritage", verbosity=0)
    assert sorted(HeritageListing.objects.values_list(*fields)) == before


@pytest.mark.parametrize(
    "value,cell",
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-483", "-483"),
        ("-0.5", "-0.5"),
        (-483, -483),
        ("以庐江县命名", "以庐江县命名"),
        ("", ""),
        ("a=b", "a=b"),
        ("'quoted", "'quoted"),
    ],
    ids=[
        "hyperlink",
        "plus",
        "minus",
        "at",
        "tab",
        "cr",
        "negative-text",
        "decimal-text",
        "negative-int",
        "hanzi",
        "empty",
        "inner-equals",
        "leading-quote",
    ],
)
def test_safe_cell(value, cell):
    assert safe_cell(value) == cell
    if isinstance(value, str):
        assert unescape_cell(safe_cell(value)) == value


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formulas_are_exported_as_text_and_import_back_unchanged(db, make_place, tmp_path, fmt):
    for i, text in enumerate(FORMULAS):
        make_place(f"测试{'一二三四五六'[i]}路", origin=text, note=text)
    path = tmp_path / f"places.{fmt}"
    export_places(path, fmt)
    if fmt == "csv":
        raw = path.read_text(encoding="utf-8-sig")
        assert "'=HYPERLINK" in raw and "'+1+2" in raw and "'@SUM" in raw and "'-2+3" in raw
        assert ",=" not in raw and ",+" not in raw and ",@" not in raw
    else:
        sheet = load_workbook(path).worksheets[0]
        header = [c.value for c in sheet[1]]
        origins = [row[header.index("origin")] for row in sheet.iter_rows(min_row=2)]
        assert all(c.data_type == "s" for c in origins)  # text, never a formula
        assert sorted(c.value for c in origins) == sorted(FORMULAS)
    before = sorted(Place.objects.values_list("code", "origin", "note"))
    empty_registry()
    call_command("import_places", str(path), verbosity=0)
    assert sorted(Place.objects.values_list("code", "origin", "note")) == before


def test_negative_years_stay_numbers_in_a_heritage_csv(db, tmp_path):
    call_command("import_places", str(DATA / "heritage" / "places.csv"), verbosity=0)
    call_command("import_places", str(DATA / "heritage" / "good.json"), "--kind", "heritage", verbosity=0)
    path = tmp_path / "heritage.csv"
    export_heritage(path, "csv")
    header, *rows = rows_of(path)
    zhegao = dict(zip(header, next(r for r in rows if r[0] == "340181Z00012")))
    assert zhegao["in_use_since"] == "-483"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_an_export_that_fails_midway_leaves_the_previous_file(db, make_place, tmp_path, monkeypatch, fmt):
    make_place("潜山路")
    make_place("宿州路")
    target = tmp_path / f"registry.{fmt}"
    target.write_bytes(b"yesterday's export")
    real_row, real_record = export_module._table_row, export_module.record
    calls = []

    def failing(function):
        def wrapper(place):
            calls.append(place)
            if len(calls) == 2:
                raise RuntimeError("killed")
            return function(place)

        return wrapper

    monkeypatch.setattr(export_module, "_table_row", failing(real_row))
    monkeypatch.setattr(export_module, "record", failing(real_record))
    with pytest.raises(RuntimeError):
        export_places(target, fmt)
    assert target.read_bytes() == b"yesterday's export"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no partial file left behind
    monkeypatch.undo()
    assert export_places(target, fmt) == 2 and target.read_bytes() != b"yesterday's export"


def test_the_export_command_writes_chinese_tables(registry_rows, tmp_path):
    path = tmp_path / "地名.xlsx"
    call_command("export_places", str(path), "--chinese", verbosity=0)
    assert rows_of(path)[0][:2] == ["编码", "名称"]


# --- who may export -----------------------------------------------------------------------------


@pytest.fixture
def staff(db, django_user_model):
    def make(role):
        user = django_user_model.objects.create_user(f"{role}1", password="pw", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.mark.parametrize(
    "role,url,status",
    [
        ("clerk", "csv", 403),
        ("clerk", "xlsx?labels=zh", 403),
        ("clerk", "xlsx?kind=heritage", 403),
        ("reviewer", "csv", 200),
        ("reviewer", "xlsx?labels=zh", 200),
        ("reviewer", "xlsx?kind=heritage", 200),
        ("approver", "json", 200),
    ],
)
def test_exporting_needs_the_export_permission(client, staff, make_place, role, url, status):
    make_place("潜山路")
    client.force_login(staff(role))
    fmt, _sep, query = url.partition("?")
    response = client.get(
        reverse("admin:registry_place_export", args=[fmt]) + (f"?{query}" if query else ""),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == status
    if status == 403:
        assert "您无权导出登记簿" in response.content.decode()


def test_the_export_permission_alone_does_not_open_heritage(client, django_user_model, db):
    user = django_user_model.objects.create_user("exporter", password="pw", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["export_registry", "view_place"]))
    client.force_login(user)
    assert client.get(reverse("admin:registry_place_export", args=["csv"])).status_code == 200
    assert client.get(reverse("admin:registry_place_export", args=["csv"]) + "?kind=heritage").status_code == 403


def test_the_place_list_offers_export_links_only_to_those_allowed(client, staff):
    client.force_login(staff("clerk"))
    page = client.get(reverse("admin:registry_place_changelist"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "导入" in page and "Excel（中文表头）" not in page
    client.force_login(staff("reviewer"))
    page = client.get(reverse("admin:registry_place_changelist"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Excel（中文表头）" in page and "机器可读（代码）" in page


def test_a_chinese_download_is_an_xlsx_with_chinese_headers(client, staff, make_place, tmp_path):
    make_place("潜山路")
    client.force_login(staff("reviewer"))
    response = client.get(reverse("admin:registry_place_export", args=["xlsx"]) + "?labels=zh")
    path = tmp_path / "download.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    assert rows_of(path)[0][:3] == ["编码", "名称", "类别"]
    assert "filename*=utf-8''%E5%9C%B0%E5%90%8D.xlsx" in response["Content-Disposition"]
