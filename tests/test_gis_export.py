"""GeoPackage and Shapefile exports open in GDAL with every place and Chinese attributes intact."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.core.management import call_command

from registry.importers.gis_export import DBF_FIELD_BYTES, fit_dbf
from registry.models import Place

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("ogr2ogr") is None, reason="GDAL (gdal-bin) is not installed"),
]


@pytest.fixture
def places(make_place):
    made = [
        make_place("三河镇", category="town", longitude=117.2336, latitude=31.5082, source="测试来源" * 40),
        make_place(
            "测试线路",
            geometry={"type": "LineString", "coordinates": [[117.28, 31.86], [117.29, 31.86]]},
            longitude=117.285,
            latitude=31.86,
        ),
        make_place("测试无坐标路"),
    ]
    return made


def _ogrinfo(path) -> str:
    return subprocess.run(
        ["ogrinfo", "-ro", "-al", str(path)], capture_output=True, timeout=120, check=True
    ).stdout.decode("utf-8")


def test_the_geopackage_has_every_place_with_its_line_and_chinese_names(places, tmp_path):
    target = tmp_path / "places.gpkg"
    call_command("export_places", str(target), verbosity=0)
    text = _ogrinfo(target)
    assert (
        f"Feature Count: {Place.objects.count()}"
        in subprocess.run(
            ["ogrinfo", "-ro", "-so", "-al", str(target)], capture_output=True, text=True, check=True
        ).stdout
    )
    assert "name (String) = 三河镇" in text and "LINESTRING (117.28 31.86,117.29 31.86)" in text


@pytest.mark.parametrize(("encoding", "cpg"), [("utf-8", "UTF-8"), ("gbk", "CP936")])
def test_the_shapefile_has_every_place_and_its_code_page(places, tmp_path, encoding, cpg):
    target = tmp_path / "places.shp"
    call_command("export_places", str(target), encoding=encoding, verbosity=0)
    assert (tmp_path / "places.cpg").read_text() == cpg
    dbf = (tmp_path / "places.dbf").read_bytes()
    assert "三河镇".encode(encoding) in dbf
    if encoding == "gbk":
        assert "三河镇".encode("utf-8") not in dbf
    text = _ogrinfo(target)
    assert text.count("OGRFeature(") == Place.objects.count()
    assert "name (String) = 三河镇" in text and "POINT (117.2336 31.5082)" in text
    assert "测试来源" in text  # a long source cut at a character, readable


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_long_texts_are_cut_at_a_character_within_a_dbf_field(encoding):
    cut = fit_dbf("三河" * 300, encoding)
    assert cut.endswith("…") and len(cut.encode(encoding)) <= DBF_FIELD_BYTES
    assert fit_dbf("三河镇", encoding) == "三河镇"


def test_the_command_refuses_what_gis_files_cannot_carry(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--encoding is for Shapefiles"):
        call_command("export_places", str(tmp_path / "p.gpkg"), encoding="gbk")
    with pytest.raises(CommandError, match="--kind places"):
        call_command("export_places", str(tmp_path / "h.shp"), kind="heritage")
