"""The announcements feed is Atom 1.0 that feed readers accept (RFC 4287's required elements)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from tests.public.conftest import decide

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def parse(client):
    response = client.get("/announcements/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_the_feed_is_valid_atom_with_every_announcement(client, notice, staff):
    decide(notice, staff)
    feed = parse(client)
    assert feed.tag == f"{ATOM}feed"
    for element in ("id", "title", "updated"):
        assert (feed.findtext(f"{ATOM}{element}") or "").strip(), element
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    for element in ("id", "title", "updated"):
        assert (entry.findtext(f"{ATOM}{element}") or "").strip(), element
    link = entry.find(f"{ATOM}link")
    assert link is not None and "/announcements/" in link.get("href")
    assert "淮河路 → 淮水路" in entry.findtext(f"{ATOM}title")
    # An entry without a summary or content must have an alternate link; a feed without
    # an author needs one on each entry (RFC 4287 4.1.1, 4.1.2).
    assert feed.find(f"{ATOM}author") is not None or entry.find(f"{ATOM}author") is not None


def test_an_empty_feed_is_still_valid(client, db):
    feed = parse(client)
    for element in ("id", "title", "updated"):
        assert (feed.findtext(f"{ATOM}{element}") or "").strip(), element
