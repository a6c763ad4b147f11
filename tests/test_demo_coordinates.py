"""Coordinates in the Hefei demo: each one sourced, marked exact or approximate, inside Hefei.

Every point in ``fixtures/hefei_demo.json`` was copied from a published page (SPEC.md
"Spatial"; the guide: never invent a geometry). The place models have no field for where a
coordinate comes from, so each located record carries a bracketed note in its ``source``
text: ``〔坐标〕<精确|近似>，<datum>：<title and URL>；<the source's own wording>``. These
tests keep that true, and keep the count of located places from silently shrinking.
"""

import json
import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from registry.demo import DEMO_FILE
from registry.models import Place

NOTE = re.compile(r"〔坐标〕(?P<precision>精确|近似)，(?P<datum>WGS-84[^：]*)：(?P<citation>[^；]+)；(?P<literal>.+)$")

# Roughly Hefei's published extent (116°40′–117°58′ E, 30°56′–32°33′ N) with a small margin.
HEFEI_BOX = (Decimal("116.7"), Decimal("30.9"), Decimal("118.0"), Decimal("32.6"))

# County extents where a public page states them; a point of that county must lie inside.
COUNTY_BOXES = {
    # 长丰县: 东经116°52′-117°26′、北纬31°55′-32°37′ (中文维基百科《长丰县》条)
    "340121": (Decimal("116.8667"), Decimal("31.9167"), Decimal("117.4334"), Decimal("32.6167")),
    # 巢湖市: 东经117°25′~117°58′、北纬31°16′~32° (xzqh.org《巢湖市概况地图》)
    "340181": (Decimal("117.4166"), Decimal("31.2666"), Decimal("117.9667"), Decimal("32.0")),
}

# What this data set delivers (2026-12): raise these when more places are located, never lower.
AT_LEAST = {"town": 2, "village": 0, "heritage": 2, "all": 8}


def records():
    with open(DEMO_FILE, encoding="utf-8") as fh:
        return json.load(fh)["places"]


LOCATED = [r for r in records() if "longitude" in r or "latitude" in r]


def point(record):
    return Decimal(str(record["longitude"])), Decimal(str(record["latitude"]))


def inside(box, lon, lat):
    return box[0] <= lon <= box[2] and box[1] <= lat <= box[3]


@pytest.mark.parametrize("record", LOCATED, ids=lambda r: r["name"])
def test_each_point_has_both_values_inside_hefei(record):
    assert record.get("longitude") is not None and record.get("latitude") is not None
    lon, lat = point(record)
    assert inside(HEFEI_BOX, lon, lat), (record["name"], lon, lat)
    if record["division"] in COUNTY_BOXES:
        assert inside(COUNTY_BOXES[record["division"]], lon, lat), (record["name"], lon, lat)


@pytest.mark.parametrize("record", LOCATED, ids=lambda r: r["name"])
def test_each_point_names_its_source_precision_and_datum(record):
    assert record["source"].count("〔坐标〕") == 1, record["name"]
    match = NOTE.search(record["source"])
    assert match, record["source"]
    assert "http" in match["citation"], match["citation"]
    assert "《" in match["citation"] and "》" in match["citation"], match["citation"]


@pytest.mark.parametrize("record", LOCATED, ids=lambda r: r["name"])
def test_each_point_keeps_no_more_digits_than_the_model_stores(record):
    for value in point(record):
        assert -value.as_tuple().exponent <= 6, (record["name"], value)


def test_the_located_count_does_not_shrink():
    towns = [r for r in LOCATED if r["category"] == "town"]
    villages = [r for r in LOCATED if r["category"] == "village"]
    heritage = [r for r in LOCATED if r.get("heritage")]
    got = {"town": len(towns), "village": len(villages), "heritage": len(heritage), "all": len(LOCATED)}
    assert all(got[key] >= AT_LEAST[key] for key in AT_LEAST), got
    assert any(r["name"] == "三河镇" for r in towns)


def test_no_coordinate_note_without_a_coordinate():
    for record in records():
        if "〔坐标〕" in record["source"]:
            assert record in LOCATED, record["name"]


@pytest.mark.django_db
def test_the_loader_stores_every_point_through_the_services():
    call_command("load_demo", verbosity=0)
    stored = {p.code: (p.longitude, p.latitude) for p in Place.objects.exclude(longitude=None)}
    expected = {r["code"]: point(r) for r in LOCATED}
    assert stored == expected
