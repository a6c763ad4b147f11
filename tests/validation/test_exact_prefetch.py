"""DUPLICATE and HOMOPHONE from rows read at once (``comparisons.prefetch_exact``), as one lookup each finds them.

A round's approval and the findings of its new places judge a thousand names in one
``pending_frozen`` block; the block reads the rows of every name's keys up front. Each
case below is judged twice, with its own lookups and from the prefetched rows, and must
come out the same: scope, categories compared, retired places, the place left out,
variants and homophones.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.models import Place
from registry.services.places import place_retire
from registry.validation import check_name
from registry.validation.comparisons import prefetch_exact
from registry.validation.similarity import pending_frozen
from tests.validation.conftest import BAOHE, FEIXI, LUJIANG, SHUSHAN

CASES = [
    # (name, category, division, the place left out, the rules expected among DUPLICATE/HOMOPHONE)
    ("金寨路", "road", SHUSHAN, None, {"DUPLICATE"}),
    ("金寨路", "road", BAOHE, None, {"DUPLICATE"}),  # a road's scope is the city
    ("金寨路", "road", SHUSHAN, "金寨路", set()),  # the place being renamed is left out
    ("金砦路", "road", SHUSHAN, None, {"HOMOPHONE"}),
    ("天鹅湖", "road", SHUSHAN, None, set()),  # the lake is a water, not compared with roads
    ("天鹅湖", "water", SHUSHAN, None, {"DUPLICATE"}),
    ("琥珀山庄", "building", SHUSHAN, None, {"DUPLICATE"}),  # buildings compare with residential areas
    ("三河镇", "town", LUJIANG, None, {"DUPLICATE"}),  # a town's scope is the province
    ("汤池镇", "town", FEIXI, None, {"DUPLICATE"}),
    ("宿州路", "road", SHUSHAN, None, set()),  # retired below: not compared
    ("望江西路", "road", SHUSHAN, None, {"DUPLICATE"}),
    ("新造路", "road", SHUSHAN, None, set()),
]


def _judge(name, category, division, left_out, places):
    place = places[left_out] if left_out else None
    return check_name(name, category, division=None if place else division, place=place).findings


@pytest.mark.parametrize("name, category, division, left_out, rules", CASES)
def test_prefetched_rows_give_the_findings_each_lookup_gives(registry, name, category, division, left_out, rules):
    place_retire(place=registry["宿州路"], effective="2020")
    alone = _judge(name, category, division, left_out, registry)
    with pending_frozen():
        prefetch_exact([(name, category)])
        with CaptureQueriesContext(connection) as queries:
            prefetched = _judge(name, category, division, left_out, registry)
    assert [f.as_dict() for f in prefetched] == [f.as_dict() for f in alone]
    assert {f.rule for f in alone} & {"DUPLICATE", "HOMOPHONE"} == rules
    assert not [q for q in queries if "name_key =" in q["sql"]]  # answered from the rows read at once


def test_a_name_not_prefetched_is_looked_up(registry):
    with pending_frozen():
        prefetch_exact([("金寨路", "road")])
        with CaptureQueriesContext(connection) as queries:
            findings = check_name("望江西路", "road", division=SHUSHAN).findings
    assert "DUPLICATE" in {f.rule for f in findings}
    assert [q for q in queries if "name_key =" in q["sql"]]


def test_outside_a_block_nothing_is_kept(registry):
    prefetch_exact([("金寨路", "road")])
    Place.objects.filter(name="金寨路").update(status="retired")
    assert "DUPLICATE" not in {f.rule for f in check_name("金寨路", "road", division=SHUSHAN).findings}
