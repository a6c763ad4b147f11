"""The SIMILAR candidates by scope (``partitions``): a scope is read once, the LRU keeps
to its budget, a write reaches the partitions of its scope only, and every answer is the
national index's."""

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from benchmarks.corpus import queries, realistic_corpus
from registry.freshness import snapshot
from registry.models import Division, Place, Revision
from registry.romanization import romanize
from registry.generics import split_generic
from registry.services.places import place_create, place_rename, place_retire, place_update
from registry.validation import check_name
from registry.validation.normalize import name_key
from registry.validation.partitions import DELTA_LIMIT, candidate_index, partitions
from registry.validation.similarity import reset_index

SHUSHAN, BAOHE, JINGHU = "340104", "340111", "340202"  # 蜀山区、包河区 (合肥), 镜湖区 (芜湖)
ROAD_HEFEI = (("road",), "3401")
# Committed writes, as in production: a test transaction would keep every write pending.
TRANSACTIONAL = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def similar(name, category="road", division=SHUSHAN):
    found = [f for f in check_name(name, category, division=division).findings if f.rule == "SIMILAR"]
    return [m.name for f in found for m in f.matches]


def create(name, category="road", division=SHUSHAN):
    return place_create(name=name, category=category, division=Division.objects.get(code=division))


def fresh_worker():
    """Forget the partitions (``place_create`` itself checks the name, and loads its scope)."""
    reset_index()


def partition_queries(queries_run) -> list[str]:
    return [q["sql"] for q in queries_run if "registry_place" in q["sql"] and '"revision" <=' in q["sql"]]


@TRANSACTIONAL
def test_a_scope_is_read_once_with_one_query():
    create("翡翠湖路")
    create("翡翠湖路", division=JINGHU)
    fresh_worker()
    with CaptureQueriesContext(connection) as first:
        assert similar("翡翠潮路") == ["翡翠湖路"]
    assert len(partition_queries(first.captured_queries)) == 1
    with CaptureQueriesContext(connection) as again:
        assert similar("翡翠潮路", division=BAOHE) == ["翡翠湖路"]  # the same city: the same partition
        similar("翠湖路")
    assert partition_queries(again.captured_queries) == []
    held = partitions()
    assert list(held.held) == [ROAD_HEFEI] and held.loads == 1
    assert similar("翡翠潮路", division=JINGHU) == ["翡翠湖路"]  # 芜湖's own road
    assert held.loads == 2 and list(held.held) == [ROAD_HEFEI, (("road",), "3402")]


@pytest.mark.parametrize(
    "category, division, key",
    [
        ("road", SHUSHAN, (("road",), "3401")),
        ("water", JINGHU, (("water",), "3402")),
        ("residential", SHUSHAN, (("building", "residential"), "3401")),
        ("building", SHUSHAN, (("building", "residential"), "3401")),  # they share one partition
        ("town", SHUSHAN, (("town",), "34")),
        ("village", BAOHE, (("village",), BAOHE)),
    ],
)
def test_the_partition_is_the_uniqueness_scope(db, category, division, key):
    check_name("翡翠湖名", category, division=division)
    assert list(partitions().held) == [key]


@TRANSACTIONAL
def test_the_lru_keeps_to_its_budget_and_reloads_what_it_dropped():
    for name, category in (("翡翠湖路", "road"), ("翡翠湖河", "water"), ("翡翠湖桥", "bridge")):
        create(name, category)
    fresh_worker()
    held = partitions()
    similar("翡翠潮路")
    similar("翡翠潮河", "water")
    two = held.memory_bytes()
    assert len(held.held) == 2 and two > 0
    with override_settings(REGISTRY_VALIDATION={"INDEX_MEMORY_MB": two / 2**20}):
        similar("翡翠潮河", "water")  # water is now the most recently used
        assert similar("翡翠潮桥", "bridge") == ["翡翠湖桥"]
        assert [key[0] for key in held.held] == [("water",), ("bridge",)]  # road, least recent, dropped
        assert held.memory_bytes() <= two
        assert similar("翡翠潮路") == ["翡翠湖路"]  # read again, same answer
        assert held.loads == 4 and [key[0] for key in held.held] == [("bridge",), ("road",)]


@TRANSACTIONAL
def test_a_partition_larger_than_the_budget_is_still_used():
    create("翡翠湖路")
    with override_settings(REGISTRY_VALIDATION={"INDEX_MEMORY_MB": 0}):
        assert similar("翡翠潮路") == ["翡翠湖路"]
        assert similar("翡翠潮路") == ["翡翠湖路"]
        assert partitions().loads == 1


@TRANSACTIONAL
def test_a_write_reaches_its_scope_and_leaves_the_others_held():
    road = create("翡翠湖路")
    create("翡翠湖路", division=JINGHU)
    create("天鹅湖河", "water")
    fresh_worker()
    similar("翡翠潮路")
    similar("翡翠潮路", division=JINGHU)
    similar("天鹅潮河", "water")
    held = partitions()
    hefei, wuhu, water = (held.held[k] for k in list(held.held))
    create("紫云湖路", division=BAOHE)  # a new road in 合肥
    assert similar("紫云潮路") == ["紫云湖路"]
    assert similar("紫云潮路", division=JINGHU) == []  # not in 芜湖's roads
    place_rename(place=road, new_name="琥珀山路", effective="2024")
    assert similar("翡翠潮路") == [] and similar("琥珀岭路") == ["琥珀山路"]
    assert similar("翡翠潮路", division=JINGHU) == ["翡翠湖路"]
    assert held.loads == 3 and list(held.held.values()) == [water, hefei, wuhu]  # none read again
    assert len(wuhu) == 1 and len(water) == 1


@TRANSACTIONAL
def test_a_place_that_leaves_the_scope_leaves_its_partition():
    road = create("翡翠湖路")
    river = create("天鹅湖河", "water")
    assert similar("翡翠潮路") == ["翡翠湖路"]
    assert similar("天鹅潮河", "water") == ["天鹅湖河"]
    place_update(place=road, division=Division.objects.get(code=JINGHU))
    assert similar("翡翠潮路") == [] and similar("翡翠潮路", division=JINGHU) == ["翡翠湖路"]
    place_retire(place=river, effective="2024")
    assert similar("天鹅潮河", "water") == []


@TRANSACTIONAL
def test_a_large_delta_drops_the_partitions_and_they_reload(monkeypatch):
    create("翡翠湖路")
    fresh_worker()
    similar("翡翠潮路")
    monkeypatch.setattr("registry.validation.partitions.DELTA_LIMIT", 1)
    create("紫云湖路")
    create("紫云湖路", division=JINGHU)  # two rows since: more than the limit
    assert similar("紫云潮路") == ["紫云湖路"]
    assert partitions().loads == 2
    assert DELTA_LIMIT > 1000


@TRANSACTIONAL
def test_the_transaction_sees_its_own_rows_and_the_partition_keeps_none():
    create("翡翠湖路")
    similar("翡翠潮路")
    with transaction.atomic():
        create("紫云湖路")
        assert similar("紫云潮路") == ["紫云湖路"]
        held = partitions().held[ROAD_HEFEI]
        assert "紫云湖路" not in held.names  # pending, not kept
    assert similar("紫云潮路") == ["紫云湖路"]


# -- answers as the national index's, on a realistic corpus ------------------------------


@pytest.fixture
def realistic_registry(db):
    """2,000 places of the realistic corpus (Anhui's 16 cities), written as the benchmark writes them."""
    rows = realistic_corpus(2_000, seed=18)
    divisions = {d.code: d for d in Division.objects.all()}
    revision = Revision.objects.get_or_create(name="places")[0].value + 1
    Revision.objects.filter(name="places").update(value=revision)  # as committed by an import
    places = []
    for i, (name, category, division) in enumerate(rows):
        roman = romanize(name, category)
        specific, generic = split_generic(name, category)
        places.append(
            Place(
                code=f"{division}T{i:07d}",
                name=name,
                specific=specific,
                generic=generic,
                pinyin=roman.pinyin,
                pinyin_key=roman.key,
                name_key=name_key(name, category),
                category=category,
                division=divisions[division],
                revision=revision,
            )
        )
    Place.objects.bulk_create(places)
    return rows


def findings_of(checks):
    out = []
    for name, category, division in checks:
        result = check_name(name, category, division=division)
        out.append(
            [
                (f.rule, f.message_key, f.message, [(m.code, m.name, round(m.score, 6)) for m in f.matches])
                for f in result.findings
            ]
        )
    return out


def test_the_answers_are_the_national_indexs(realistic_registry):
    checks = queries(realistic_registry, 600, seed=18)
    snapshot()
    with override_settings(REGISTRY_VALIDATION={"INDEX_PARTITIONED": False}):
        national = findings_of(checks)
    reset_index()
    partitioned = findings_of(checks)
    assert partitioned == national
    similar_found = sum(1 for found in national if any(rule == "SIMILAR" for rule, *_rest in found))
    assert similar_found >= 30  # the comparison is not vacuous
    assert partitions().loads > 20  # and spans many scopes


@TRANSACTIONAL
def test_a_lagging_replica_never_leaves_a_partition_behind(monkeypatch):
    create("翡翠湖路")
    fresh_worker()
    similar("翡翠潮路")
    held = partitions()
    now = held.revision
    monkeypatch.setattr("registry.validation.partitions.reading_replica", lambda: True)
    partition, _pending = candidate_index(now - 1, ("water",), "3401")  # a replica one write behind
    assert partition.revision == now - 1 and list(held.held) == [ROAD_HEFEI] and held.revision == now
    road, _pending = candidate_index(now - 1, ("road",), "3401")
    assert road is held.held[ROAD_HEFEI]  # a partition held is ahead, not wrong
