"""JSON and GeoJSON imports read as a stream (issue #18 item 3): a record at a time, memory
bounded like a CSV's, the same records and row numbers as a document parsed whole, the same
line and column for a malformed element, and hostile documents refused with a problem."""

import json
import tracemalloc

import pytest
from django.utils import translation

from registry.importers import json_stream
from registry.importers.places import import_places
from registry.importers.readers import FileProblem, read_rows
from registry.models import Place


def record(i: int) -> dict:
    return {"name": f"测试{i}路", "category": "road", "division": "340111", "origin": "说明" * (i % 7)}


def problem(path, **options) -> str:
    with translation.override("zh-hans"), pytest.raises(FileProblem) as caught:
        _fmt, _columns, rows = read_rows(path, **options)
        list(rows)
    return str(caught.value)


@pytest.fixture(params=[5, 64, 1 << 16], ids=["chunk5", "chunk64", "chunk64k"])
def chunk(request, monkeypatch):
    """Small buffers too, so that values are cut at every kind of place."""
    monkeypatch.setattr(json_stream, "CHUNK", request.param)


DOCUMENTS = {
    "list": [record(1), 7, record(2), None, record(3)],
    "places": {"meta": {"made": "2026"}, "places": [record(1), record(2)]},
    "listings": {"listings": [record(4), "x"]},
    "places_over_listings": {"listings": [record(4)], "places": [record(5)]},
    "last_of_a_repeated_key": json.loads('{"places": [1], "places": [{"name": "a"}, {"name": "b"}]}'),
    "features, type after them": {
        "features": [
            {"type": "Feature", "properties": record(1), "geometry": {"type": "Point", "coordinates": [117.2, 31.8]}},
            "not a feature",
            {
                "properties": record(2),
                "geometry": {"type": "LineString", "coordinates": [[117.2, 31.8], [117.3, 31.9]]},
            },
        ],
        "type": "FeatureCollection",
    },
}


@pytest.mark.parametrize("indent", [None, 2])
@pytest.mark.parametrize("which", list(DOCUMENTS))
def test_records_are_those_of_the_whole_document(db, tmp_path, chunk, which, indent):
    document = DOCUMENTS[which]
    path = tmp_path / "places.json"
    path.write_text(json.dumps(document, ensure_ascii=False, indent=indent), encoding="utf-8")
    _fmt, columns, rows = read_rows(path)
    rows = list(rows)
    if isinstance(document, list):
        expected = document
    elif "features" in document:
        expected = [json_stream.feature_record(f) for f in document["features"]]
    else:
        expected = document.get("places", document.get("listings"))
    wrapped = [r if isinstance(r, dict) else {"__invalid__": "not an object"} for r in expected]
    assert rows == list(enumerate(wrapped, start=1))
    geo = "features" in document
    assert columns == sorted({k for r in (wrapped if geo else expected) if isinstance(r, dict) for k in r})


def _broken(text: str, how: str) -> str:
    """``text`` (one record a line) with line 1501 (its 1500th record) broken as ``how`` says."""
    lines = text.split("\n")
    target = lines[1500]
    lines[1500] = {
        "a quote missing": target.replace('"category"', "category", 1),
        "a comma missing": target.replace('", "', '" "', 1),
        "a stray bracket": target.replace("{", "{]", 1),
        "a control character": target.replace("说明", "说\t明", 1)
        if "说明" in target
        else target.replace("路", "\t", 1),
        "an unclosed record": target.rstrip(",").rstrip("}") + ",",
    }[how]
    return "\n".join(lines)


@pytest.mark.parametrize(
    "how", ["a quote missing", "a comma missing", "a stray bracket", "a control character", "an unclosed record"]
)
def test_a_malformed_record_mid_file_is_reported_where_json_reports_it(db, tmp_path, chunk, how):
    text = _broken("[\n" + ",\n".join(json.dumps(record(i), ensure_ascii=False) for i in range(3000)) + "\n]", how)
    with pytest.raises(json.JSONDecodeError) as parsed:
        json.loads(text)
    path = tmp_path / "broken.json"
    path.write_text(text, encoding="utf-8")
    where = parsed.value
    assert problem(path) == (f"JSON 格式错误：第 {where.lineno} 行第 {where.colno} 列，{where.msg}。"), (
        "the line and column json.loads gives"
    )
    assert where.lineno == 1501 or how == "an unclosed record"


def test_a_malformed_record_stops_the_import_before_anything_is_written(db, tmp_path):
    text = _broken(
        "[\n" + ",\n".join(json.dumps(record(i), ensure_ascii=False) for i in range(3000)) + "\n]", "a comma missing"
    )
    path = tmp_path / "broken.json"
    path.write_text(text, encoding="utf-8")
    with translation.override("zh-hans"):
        result = import_places(path)
    assert not result.ok and "第 1501 行" in result.problems[0].message and Place.objects.count() == 0


@pytest.mark.parametrize("fmt", ["json", "geojson"])
def test_a_file_of_many_megabytes_is_read_in_the_memory_of_a_record(db, tmp_path, fmt):
    """About 8 MB of records: read whole, json.loads builds some 50 MB of objects; streamed,
    the reader holds its buffers (the encoding check's megabyte, the parser's 64 KB) and
    one record, whatever the file's size (the rows are not kept here)."""
    path = tmp_path / f"big.{fmt}"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('{"type": "FeatureCollection", "features": [\n' if fmt == "geojson" else "[\n")
        for i in range(80_000):
            data = record(i)
            if fmt == "geojson":
                data = {
                    "type": "Feature",
                    "properties": data,
                    "geometry": {"type": "Point", "coordinates": [117.2, 31.8]},
                }
            fh.write(("" if i == 0 else ",\n") + json.dumps(data, ensure_ascii=False))
        fh.write("\n]}\n" if fmt == "geojson" else "\n]\n")
    size = path.stat().st_size
    assert size > 8_000_000
    tracemalloc.start()
    try:
        _fmt, columns, rows = read_rows(path)
        count = sum(1 for _number, _row in rows)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 80_000 and "name" in columns
    assert peak < 6_000_000, f"peak {peak:,} bytes for a file of {size:,}"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("[" * 100_000 + "]" * 100_000, "JSON 格式错误：第 1 行第 2 列，nested too deeply。"),
        (
            '[{"name": "庐江路", "x": ' + "[" * 50_000 + "]" * 50_000 + "}]",
            "JSON 格式错误：第 1 行第 2 列，nested too deeply。",
        ),
        ('{"places": ' + '{"a": ' * 50_000, "nested too deeply"),
        ('{"meta": ' + '{"a": ' * 50_000 + "1" + "}" * 50_000 + ', "places": []}', "nested too deeply"),
    ],
    ids=["nested arrays", "a deep record", "an unclosed deep object", "a deep member"],
)
def test_deeply_nested_json_is_refused_as_malformed(db, tmp_path, text, expected):
    path = tmp_path / "nested.json"
    path.write_text(text, encoding="utf-8")
    assert expected in problem(path)


def test_a_value_beyond_the_record_limit_is_refused(db, tmp_path, settings):
    settings.REGISTRY_IMPORT_MAX_JSON_RECORD = 1 << 20
    path = tmp_path / "long.json"
    good = ",\n".join(json.dumps(record(i), ensure_ascii=False) for i in range(100))
    path.write_text("[\n" + good + ',\n{"name": "' + "路" * 3_000_000 + '"}\n]', encoding="utf-8")
    assert problem(path) == (
        "JSON 文件第 102 行开始的值超过 1 MB；单条记录必须更小：请检查其中的字符串是否都已闭合，或将其拆分。"
    )
    path.write_text('[{"name": "庐江路}, ' + "1, " * 1_000_000 + "2]", encoding="utf-8")  # a string never closed
    assert "第 1 行开始的值超过 1 MB" in problem(path)


@pytest.mark.parametrize("fmt", ["json", "geojson"])
def test_a_format_given_reads_the_file_from_its_start(db, tmp_path, fmt):
    """``--format json`` used to read the file from where the blank check had stopped (after
    its first megabyte: all of a small file), and found no JSON at all."""
    path = tmp_path / "places.txt"
    document = (
        {"type": "FeatureCollection", "features": [{"properties": record(1)}]} if fmt == "geojson" else [record(1)]
    )
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    _fmt, _columns, rows = read_rows(path, fmt)
    assert [row["name"] for _number, row in rows] == ["测试1路"]
