"""红色地名: the demo's red names carry their sources, and ``/red/`` shows exactly them.

A red name is either a ``red`` heritage listing (巢湖市's first list) or a place whose
note starts with the documented tag ``〔红色地名〕`` because its sources call it a red
road or site (延乔路 …). The page must list exactly these records, each with its
story and its source links, and must not show a tagged name as listed.
"""

from __future__ import annotations

import json
import re

import pytest

from registry.choices import HeritageScheme
from registry.demo import DEMO_FILE, load_demo
from registry.models import AllowListEntry, HeritageListing, Place
from registry.public.heritage import RED_TAG

pytestmark = pytest.mark.django_db

SOURCE_TAG = re.compile(r"\[(N|O|secondary|inferred|N repost)\]")
RED_ROADS = ["延乔路", "集贤路", "王步文路", "渡江路", "淮海大道", "拂晓路", "辉山路", "江村路", "习友路"]
CHAOHU_SITES = ["蒋家河口战斗遗址", "温家套惨案遗址", "李克农故居"]


def demo_records() -> list[dict]:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))["places"]


def red_records() -> list[dict]:
    return [
        r
        for r in demo_records()
        if (r.get("note") or "").startswith(RED_TAG) or any(h["scheme"] == "red" for h in r.get("heritage", []))
    ]


def test_the_fixture_holds_the_red_names_of_hefei_facts():
    names = {r["name"] for r in red_records()}
    assert names == set(RED_ROADS) | set(CHAOHU_SITES) | {"渡江战役纪念馆"}


@pytest.mark.parametrize("record", red_records(), ids=lambda r: r["name"])
def test_every_red_fact_carries_a_tagged_source(record):
    """Each story sentence and note ends in a source tag; the source field links the pages."""
    assert record["source"] and "http" in record["source"] or record["name"] == "渡江战役纪念馆"
    for key in ("origin", "history"):
        if record.get(key) and record["name"] != "渡江战役纪念馆":
            sentences = [s for s in re.split(r"(?<=。)", record[key]) if s.strip()]
            assert all(SOURCE_TAG.search(s) for s in sentences), (record["name"], key)
    for listing in record.get("heritage", []):
        assert listing["scheme"] == "red" and listing["source"] and listing["evidence"]
        # A forum repost is not a primary source: the listing says it is not verified.
        assert listing["verification"] == "unverified" and "[N repost]" in listing["source"]
    assert "geometry" not in record and "longitude" not in record or record["name"] in {"渡江战役纪念馆", "习友路"}


def test_unstated_divisions_and_dates_are_not_invented():
    by_name = {r["name"]: r for r in red_records()}
    # Only 延乔路 and 集贤路 have a county in the sources (肥西); the others stay at city level.
    assert {n for n, r in by_name.items() if r["division"] == "340123"} == {"延乔路", "集贤路"}
    for name in ("王步文路", "渡江路", "淮海大道", "拂晓路", "辉山路", "江村路"):
        assert by_name[name]["division"] == "340100" and "来源未载" in by_name[name]["note"]
        assert "current_name_since" not in by_name[name]
    # The year is [N]; the exact day (2013-12-03) only secondary, so it is not the naming date.
    assert by_name["延乔路"]["current_name_since"] == "2013"
    assert "2013-12-03仅见二手来源" in by_name["延乔路"]["note"]


def test_loading_twice_adds_nothing_and_the_red_names_pass_the_check():
    first = load_demo()
    counts = (Place.objects.count(), HeritageListing.objects.count(), AllowListEntry.objects.count())
    second = load_demo()
    assert first.created > 0 and second.created == 0 and second.listings == 0
    assert (Place.objects.count(), HeritageListing.objects.count(), AllowListEntry.objects.count()) == counts
    for name in RED_ROADS + CHAOHU_SITES:
        assert Place.objects.get(name=name).finding_level != "error", name
    # The two 遗址 pass only by an approved exception (migration 0019), which gives its reason.
    exceptions = AllowListEntry.objects.filter(term__in=["蒋家河口战斗遗址", "温家套惨案遗址"], rules="MISSING_GENERIC")
    assert exceptions.count() == 2 and all("巢湖市首批地名文化遗产保护名录" in e.reason for e in exceptions)


def test_red_page_lists_exactly_the_red_records_with_their_sources(client):
    load_demo()
    body = client.get("/red/").content.decode()
    shown = re.findall(r'<li class="red-item" data-code="([0-9A-Z]+)"', body)
    listed = set(
        HeritageListing.objects.filter(scheme=HeritageScheme.RED)
        .exclude(status="removed")
        .values_list("place__code", flat=True)
    )
    tagged = set(Place.objects.filter(note__startswith=RED_TAG).values_list("code", flat=True))
    assert len(shown) == len(set(shown)) and set(shown) == listed | tagged
    assert set(shown) == {r["code"] for r in red_records()}
    listed_part, tagged_part = body.split('id="red-tagged"')
    for code in listed:
        assert f'data-code="{code}"' in listed_part
    for code in tagged - listed:
        assert f'data-code="{code}"' in tagged_part
    assert listed_part.count("已认定：未经核实") == len(listed)
    assert "未列入名录：来源称为红色地名" in tagged_part
    # The story and the source links of 延乔路.
    assert "兄弟情深，不宜分开" in body
    assert '<a href="https://022645.zerenxian.com/article/43rePOKFh1l"' in body
    assert '<a href="https://m.sschbkj.com/thread-626292-1-6.html"' in body


def test_place_page_shows_the_story_and_why_it_is_red(client):
    load_demo()
    body = client.get("/places/340123R00001/").content.decode()
    assert "兄弟情深，不宜分开" in body and "红色道路" in body and "〔红色地名〕" not in body
    assert '<a href="https://pfnrcvx.cn/shehui/64607.html"' in body
    assert "<script>" not in body and " style=" not in body
