"""The round's own rules, table-driven: numbered series and bridges that follow their road or river."""

from types import SimpleNamespace

import pytest

from registry.validation.round_checks import _bridge, _ordinal, _series, series_key


@pytest.mark.parametrize(
    "text,number",
    [
        ("一", 1),
        ("九", 9),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("二十三", 23),
        ("九十九", 99),
        ("十十", None),
        ("二二", None),
    ],
)
def test_ordinals(text, number):
    assert _ordinal(text) == number


@pytest.mark.parametrize(
    "name,key", [("经十一路", ("经", 11, "路")), ("纬三街", ("纬", 3, "街")), ("长江路", None), ("十里河路", None)]
)
def test_series_key(name, key):
    assert series_key(name, "road") == key


def _item(position, name, category="road", action="name", details=None):
    return SimpleNamespace(
        position=position,
        name=name,
        category=category,
        action=action,
        details=details or {},
        division_id="340104",
        division=SimpleNamespace(code="340104"),
        place_id=None,
        place=None,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "names,gap,clash",
    [
        (["经一路", "经二路", "经三路"], set(), set()),
        (["经一路", "经二路", "经四路"], {1, 2, 3}, set()),
        (["经一路", "经二路", "经二街"], set(), {2, 3}),
    ],
)
def test_series_gaps_and_clashes(names, gap, clash):
    found = _series([_item(n, name) for n, name in enumerate(names, start=1)])
    assert {n for n, fs in found.items() if any(f.rule == "SERIES_GAP" for f in fs)} == gap
    assert {n for n, fs in found.items() if any(f.rule == "SERIES_CLASH" for f in fs)} == clash


@pytest.mark.parametrize(
    "name,details,flagged",
    [
        ("长江路南淝河桥", {"carries": "长江路", "crosses": "南淝河"}, False),
        ("南淝河桥", {"carries": "长江路", "crosses": "南淝河"}, False),
        ("长江桥", {"carries": "长江路"}, False),
        ("松风桥", {"carries": "长江路", "crosses": "南淝河"}, True),
        ("松风桥", {}, False),
    ],
)
def test_bridge_follows_its_road_or_river(name, details, flagged):
    assert bool(_bridge(_item(1, name, category="bridge", details=details))) is flagged
