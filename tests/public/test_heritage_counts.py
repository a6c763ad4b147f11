"""The heritage catalogue's counts are counted from the records, and say what is unconfirmed."""

from __future__ import annotations

import re

import pytest

from registry.choices import HeritageScheme
from registry.demo import load_demo
from registry.models import HeritageListing

pytestmark = pytest.mark.django_db


def counts(body: str, scheme: str) -> dict:
    section = body[body.index(f'id="scheme-{scheme}"') :]
    section = section[: section.index("</section>")]
    found = {key: int(re.search(rf'data-{key}="(\d+)"', section).group(1)) for key in ("count", "listed", "candidates")}
    found["rows"] = section.count("<tr>") - 1  # minus the header row
    reported = re.search(r'data-reported="(\d+)"', section)
    found["reported"] = int(reported.group(1)) if reported else None
    return found


def test_counts_equal_the_demo_catalogue(client):
    load_demo()
    body = client.get("/heritage/").content.decode()
    for scheme in (HeritageScheme.ANCIENT_TOWN, HeritageScheme.ANCIENT_VILLAGE):
        listings = HeritageListing.objects.filter(scheme=scheme).exclude(status="removed")
        shown = counts(body, scheme)
        assert shown["count"] == listings.count() == shown["rows"]
        assert shown["listed"] == listings.filter(status="listed").count()
        assert shown["candidates"] == listings.filter(status="candidate").count()
    assert counts(body, HeritageScheme.ANCIENT_TOWN)["reported"] == 19
    assert counts(body, HeritageScheme.ANCIENT_VILLAGE)["reported"] == 8
    # The demo's 8th-batch towns are candidates in the records: shown as such, not as listed.
    assert body.count("候选：尚未确认认定") == HeritageListing.objects.filter(status="candidate").count()


def test_removed_listings_are_not_counted(client, town):
    listing = town.heritage_listings.get()
    HeritageListing.objects.filter(pk=listing.pk).update(status="removed")
    body = client.get("/heritage/").content.decode()
    assert counts(body, HeritageScheme.ANCIENT_TOWN)["count"] == 0
    assert client.get(f"/heritage/{listing.pk}/").status_code == 404


def test_red_page_lists_only_red_listings(client, town, make_place):
    from registry.services.heritage import heritage_listing_create

    assert "尚未收录红色地名" in client.get("/red/").content.decode()
    road = make_place("测试红色路")
    heritage_listing_create(
        place=road, scheme="red", level="municipal", status="listed", description="测试故事", source="测试来源"
    )
    body = client.get("/red/").content.decode()
    assert "测试红色路" in body and "测试故事" in body and "测试来源" in body and "柘皋镇" not in body
