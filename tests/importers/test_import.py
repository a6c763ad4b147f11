"""import_places: golden files for each format and encoding, and for each kind of bad input."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from registry.models import Place, PlaceName

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


def run(name, *args):
    call_command("import_places", str(DATA / name), *args, verbosity=0)


def snapshot():
    return (Place.objects.count(), PlaceName.objects.count(), Place.history.count())


@pytest.mark.parametrize(
    "name", ["good_utf8.csv", "good_utf8_bom.csv", "good_gbk.csv", "good.xlsx", "good.json", "good.geojson"]
)
def test_each_format_and_encoding_imports_the_same_places(db, name):
    run(name)
    assert set(Place.objects.values_list("name", flat=True)) == {"庐江路", "金寨路", "三河镇"}
    lujiang = Place.objects.get(code="340111R90001")
    assert lujiang.pinyin == "Lujiang Lu" and lujiang.names.filter(kind="former", name="左圣宫巷").exists()
    assert lujiang.names.get(kind="official").name == "庐江路"
    sanhe = Place.objects.get(name="三河镇")
    assert sanhe.code.startswith("340123Z") and sanhe.names.get(name="三河市").valid_to == "1950"
    assert Place.history.filter(history_change_reason="import").count() == 3  # audit entries
    if name != "good.json":
        assert float(lujiang.longitude) == pytest.approx(117.2846)


def test_geojson_lines_become_geometries(db):
    run("good.geojson")
    assert Place.objects.get(name="金寨路").geometry["type"] == "LineString"


@pytest.mark.parametrize(
    "name,fragment",
    [
        ("bad_category.csv", "line 2, category: Unknown category “avenue”"),
        ("bad_division.csv", "line 2, division: Unknown division code “999999”"),
        ("duplicate_code.csv", "line 3, code: Code 340104R90009 also appears on line 2"),
        ("bad_coordinates.csv", "line 2, longitude: Coordinates “north”, “31.8” are not both numbers"),
        ("bad_coordinates.csv", "line 3, longitude: (31.8, 117.2) lies outside China"),
        ("bad_dates.csv", "line 2, former_names: “1990-02-30” is not a real date"),
        ("bad_dates.csv", "line 3, former_names: “旧黄山路” ends (1980) before it begins (1990)"),
        ("missing_column.csv", "line 1, category: Missing required columns: category"),
        ("unknown_column.csv", "line 1, colour: Unknown columns: colour"),
        ("empty.csv", "file: The file is empty"),
        ("truncated.xlsx", "file: The XLSX file is damaged or truncated"),
        ("garbage.bin", "file: The file is binary"),
        ("bad_encoding.csv", "file: The file cannot be decoded as utf-8-sig or gb18030"),
    ],
)
def test_bad_input_is_reported_with_row_and_column_and_changes_nothing(db, capsys, name, fragment):
    before = snapshot()
    with pytest.raises(CommandError, match="Nothing was imported"):
        run(name)
    assert fragment in capsys.readouterr().err
    assert snapshot() == before


def test_unknown_columns_can_be_ignored(db):
    run("unknown_column.csv", "--ignore-unknown")
    assert Place.objects.filter(name="长江路").exists()


def test_an_existing_code_needs_update_and_update_appends_history(db, capsys):
    run("good_utf8.csv")
    with pytest.raises(CommandError):
        run("existing_code.csv")
    assert "already exists (use --update" in capsys.readouterr().err
    run("update.csv", "--update")
    place = Place.objects.get(code="340111R90001")
    assert place.origin == "以庐江县命名（更新）"
    names = set(place.names.values_list("name", flat=True))
    assert {"左圣宫巷", "官盐街", "永宁巷", "庐江路"} <= names  # appended, nothing overwritten
    assert place.history.filter(history_change_reason="import --update").exists()


def test_dry_run_writes_nothing(db, capsys):
    run("good_utf8.csv", "--dry-run")
    assert Place.objects.count() == 0
    assert "3 places would be created" in capsys.readouterr().out


def test_report_file_lists_the_problems(db, tmp_path):
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError):
        run("bad_dates.csv", "--report", str(report))
    text = report.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "line,column,message" and "1990-02-30" in text


@pytest.mark.parametrize("options", [(), ("--strict",)], ids=["default", "strict"])
def test_names_with_errors_are_refused_row_by_row_unless_declared_legacy(db, tmp_path, capsys, options):
    legacy = tmp_path / "legacy.csv"
    legacy.write_text("name,category,division\n曼哈顿花园,residential,340104\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_places", str(legacy), *options, verbosity=0)
    err = capsys.readouterr().err
    assert "line 2, name: “曼哈顿花园” breaks the naming rules: foreign (洋)" in err and "--legacy" in err
    assert not Place.objects.exists()


def test_legacy_names_are_recorded_with_their_findings(db, tmp_path, capsys):
    legacy = tmp_path / "legacy.csv"
    legacy.write_text("name,category,division\n曼哈顿花园,residential,340104\n", encoding="utf-8")
    call_command("import_places", str(legacy), "--legacy", verbosity=0)
    place = Place.objects.get(name="曼哈顿花园")
    assert place.finding_level == "error" and "FOREIGN" in place.finding_rules
    assert "line 2: 曼哈顿花园 recorded as a legacy name: [FOREIGN]" in capsys.readouterr().out


def test_strict_and_legacy_contradict(db, tmp_path):
    with pytest.raises(CommandError, match="give one of the two"):
        call_command("import_places", str(DATA / "good_utf8.csv"), "--strict", "--legacy", verbosity=0)


def test_a_check_right_after_an_import_sees_the_new_names(db):
    from registry.validation import check_name

    run("good_utf8.csv")
    assert "DUPLICATE" in {f.rule for f in check_name("金寨路", "road", division="340104").findings}
    assert "HOMOPHONE" in {f.rule for f in check_name("金斋路", "road", division="340104").findings}


FIELDS = (
    "id",
    "code",
    "name",
    "pinyin",
    "pinyin_key",
    "initials",
    "name_key",
    "category",
    "division_id",
    "status",
    "longitude",
    "latitude",
    "details",
    "finding_level",
    "finding_rules",
    "created_at",
)
NAME_FIELDS = (
    "id",
    "place_id",
    "name",
    "kind",
    "pinyin",
    "pinyin_key",
    "valid_from",
    "valid_to",
    "valid_from_key",
    "valid_to_key",
    "created_at",
)


@pytest.mark.parametrize("name", ["good_utf8.csv", "good.json"])
def test_bulk_written_rows_have_exact_creation_history(db, name):
    """The places' and names' "+" history rows are copies of what was written (in the database
    for CSV rows, from Python for JSON ones), stamped as the import."""
    run(name)
    for model, fields in ((Place, FIELDS), (PlaceName, NAME_FIELDS)):
        current = sorted(model.objects.values_list(*fields))
        history = model.history.filter(history_type="+", history_change_reason="import")
        assert sorted(history.values_list(*fields)) == current and len(current) >= 3
    assert PlaceName.objects.filter(kind="official").count() == Place.objects.count()
    assert sorted(PlaceName.objects.filter(kind="official").values_list("place__pinyin", "pinyin")) == sorted(
        Place.objects.values_list("pinyin", "pinyin")
    )


@pytest.mark.parametrize(
    "language,fragment",
    [
        ("zh-hans", "line 2, division: 未知的行政区划代码“999999”"),
        ("en", "line 2, division: Unknown division code “999999”"),
    ],
)
def test_problems_are_reported_in_chinese_or_english_by_option(db, capsys, language, fragment):
    with pytest.raises(CommandError):
        run("bad_division.csv", "--language", language)
    assert fragment in capsys.readouterr().err


def test_file_problems_are_translated_too(db, capsys):
    with pytest.raises(CommandError):
        run("bad_encoding.csv", "--language", "zh-hans")
    assert "无法按 utf-8-sig 或 gb18030 解码文件，请另存为 UTF-8 或 GBK 编码" in capsys.readouterr().err


def test_line_numbers_are_physical_lines_even_after_a_multiline_cell(db, capsys, tmp_path):
    path = tmp_path / "multiline.csv"
    path.write_text(
        'name,category,division,note\n长江路,road,340102,"两行\n备注"\n,avenue,340102,x\n', encoding="utf-8"
    )
    with pytest.raises(CommandError):
        call_command("import_places", str(path), verbosity=0)
    assert "line 4, category: Unknown category “avenue”" in capsys.readouterr().err


def test_a_malformed_csv_is_a_clear_problem_not_a_traceback(db, capsys, tmp_path):
    path = tmp_path / "huge_cell.csv"
    path.write_text("name,category,division\n长江路,road,340102\n" + "x" * 200_000 + ",road,340102\n", encoding="utf-8")
    before = snapshot()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_places", str(path), verbosity=0)
    assert "file: The CSV is malformed at line 3: field larger than field limit" in capsys.readouterr().err
    assert snapshot() == before


def test_update_from_a_json_export_appends_the_names_the_place_lacks(db, tmp_path):
    """A JSON export lists every name: re-imported with --update, the ones the registry lacks
    are appended (an alias here), the ones it has are left alone, nothing is overwritten."""
    import json

    run("good_utf8.csv")
    out = tmp_path / "export.json"
    call_command("export_places", str(out), verbosity=0)
    document = json.loads(out.read_text(encoding="utf-8"))
    lujiang = next(p for p in document["places"] if p["code"] == "340111R90001")
    before = sorted(Place.objects.get(code="340111R90001").names.values_list("name", "kind", "valid_from", "valid_to"))
    lujiang["names"].append(
        {"name": "庐江路测试别名", "kind": "alias", "valid_from": "", "valid_to": "", "source": "test input"}
    )
    out.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    call_command("import_places", str(out), "--update", verbosity=0)

    after = sorted(Place.objects.get(code="340111R90001").names.values_list("name", "kind", "valid_from", "valid_to"))
    assert after == sorted(before + [("庐江路测试别名", "alias", "", "")])
    assert PlaceName.history.filter(name="庐江路测试别名", history_type="+").exists()


NAMES = [{"name": "左圣宫巷", "kind": "former", "valid_to": "1956"}, {"name": "庐江路", "kind": "official"}]


@pytest.mark.parametrize(
    "record,fragment",
    [
        (
            {"name": "金寨路", "status": "active", "names": NAMES},
            "The record's name “金寨路” is not its current official name in names (“庐江路”)",
        ),
        ({"name": "庐江路", "status": "active", "names": NAMES[:1]}, "names has no current official name"),
        ({"name": "庐江路", "status": "active", "names": []}, "names has no current official name"),
        (
            {
                "name": "庐江路",
                "status": "retired",
                "names": [NAMES[0], {**NAMES[1], "name": "金寨路", "valid_to": "2000"}],
            },
            "The retired place's name “庐江路” is not among the official names",
        ),
    ],
    ids=["other-official", "no-official", "empty-names", "retired-other"],
)
@pytest.mark.parametrize("fmt", ["json", "geojson"])
def test_a_record_whose_name_and_names_history_disagree_is_refused(db, tmp_path, capsys, record, fragment, fmt):
    record = {"category": "road", "division": "340111", **record}
    good = {"name": "宿州路", "category": "road", "division": "340104"}
    if fmt == "json":
        document = {"places": [good, record]}
    else:
        document = {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "geometry": None, "properties": r} for r in (good, record)],
        }
    path = tmp_path / f"bad.{fmt}"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_places", str(path), verbosity=0)
    assert f"line 2, names: {fragment}" in capsys.readouterr().err
    assert not Place.objects.exists()


def test_a_retired_place_with_its_last_official_name_closed_imports(db, tmp_path):
    closed = [NAMES[0], {**NAMES[1], "valid_to": "2020"}]
    path = tmp_path / "retired.json"
    path.write_text(
        json.dumps(
            {
                "places": [
                    {"name": "庐江路", "category": "road", "division": "340111", "status": "retired", "names": closed}
                ]
            },
            ensure_ascii=False,
        )
    )
    call_command("import_places", str(path), verbosity=0)
    assert Place.objects.get().status == "retired"
