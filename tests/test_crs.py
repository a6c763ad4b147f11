"""GCJ-02 and BD-09 conversion against published examples.

The examples are the worked results printed in the README of wandergis/coordtransform
(https://github.com/wandergis/coordtransform, "示例用法", input 116.404, 39.915 for each
function), the most used open-source converter for Chinese map coordinates. Its
``gcj02towgs84`` is the one-step inverse; ours iterates to the exact inverse, so it is
checked to agree with the published value within that method's known error (a few
metres) and to map back onto its input within 1e-8°.
"""

from __future__ import annotations

import pytest

from registry.crs import bd09_to_gcj02, gcj02_to_bd09, gcj02_to_wgs84, to_wgs84, wgs84_to_gcj02

POINT = (116.404, 39.915)
PUBLISHED = [
    (bd09_to_gcj02, (116.39762729119315, 39.90865673957631)),
    (gcj02_to_bd09, (116.41036949371029, 39.92133699351021)),
    (wgs84_to_gcj02, (116.41024449916938, 39.91640428150164)),
]
PUBLISHED_ONE_STEP_GCJ02_TO_WGS84 = (116.39775550083061, 39.91359571849836)


@pytest.mark.parametrize(("convert", "expected"), PUBLISHED, ids=lambda v: getattr(v, "__name__", ""))
def test_the_published_examples(convert, expected):
    lon, lat = convert(*POINT)
    assert lon == pytest.approx(expected[0], abs=1e-9) and lat == pytest.approx(expected[1], abs=1e-9)


def test_gcj02_to_wgs84_is_the_exact_inverse_near_the_published_one_step_value():
    lon, lat = gcj02_to_wgs84(*POINT)
    assert lon == pytest.approx(PUBLISHED_ONE_STEP_GCJ02_TO_WGS84[0], abs=5e-5)
    assert lat == pytest.approx(PUBLISHED_ONE_STEP_GCJ02_TO_WGS84[1], abs=5e-5)
    back = wgs84_to_gcj02(lon, lat)
    assert back[0] == pytest.approx(POINT[0], abs=1e-8) and back[1] == pytest.approx(POINT[1], abs=1e-8)


@pytest.mark.parametrize("point", [(117.2272, 31.8206), (117.3245, 31.7124), (116.9, 31.1), (117.9, 32.5)])
def test_round_trips_across_hefei(point):
    gcj = wgs84_to_gcj02(*point)
    assert 0.0005 < abs(gcj[0] - point[0]) + abs(gcj[1] - point[1]) < 0.02  # a real offset, of hundreds of metres
    assert to_wgs84(*gcj, "gcj02") == pytest.approx(point, abs=1e-8)
    assert to_wgs84(*gcj02_to_bd09(*gcj), "bd09") == pytest.approx(point, abs=1e-6)


def test_outside_china_nothing_moves():
    assert wgs84_to_gcj02(2.35, 48.86) == (2.35, 48.86)
    assert gcj02_to_wgs84(2.35, 48.86) == (2.35, 48.86)


@pytest.mark.parametrize("crs", ["wgs84", "cgcs2000"])
def test_wgs84_and_cgcs2000_are_taken_as_they_are(crs):
    assert to_wgs84(117.2272, 31.8206, crs) == (117.2272, 31.8206)


def test_an_unknown_system_is_refused():
    with pytest.raises(ValueError, match="gcj02"):
        to_wgs84(1, 2, "mars")
