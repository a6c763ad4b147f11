"""The Atom feeds checked by clients nobody here wrote (issue #15: "the feed validates as Atom").

- The RELAX NG schema of RFC 4287 (Appendix B, ``vendor/atom.rnc``), compiled by rnc2rng
  and enforced by libxml2 through lxml; the schema's two Schematron rules, which RELAX
  NG validators do not run, are checked here by their own XPath.
- feedparser, the feed reader most Python aggregators use: it must read the feed
  without complaint (``bozo`` false) and find every entry with its link.
"""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
import rnc2rng
from lxml import etree

from tests.public.conftest import decide

pytestmark = pytest.mark.django_db
SCHEMA_FILE = Path(__file__).parent / "vendor" / "atom.rnc"
NS = {"atom": "http://www.w3.org/2005/Atom"}


@pytest.fixture(scope="module")
def atom_schema() -> etree.RelaxNG:
    rng = rnc2rng.dumps(rnc2rng.load(str(SCHEMA_FILE)))
    # rnc2rng declares the schema's ``local`` prefix as xmlns:local="", which XML forbids
    # (the prefix is only used for its empty namespace, written ns="" in the grammar).
    rng = rng.replace('xmlns:local=""', "")
    return etree.RelaxNG(etree.fromstring(rng.encode()))


def validate(schema: etree.RelaxNG, body: bytes) -> etree._Element:
    document = etree.fromstring(body)
    assert schema.validate(document), "\n".join(str(error) for error in schema.error_log)
    # RFC 4287 4.1.1: an author on the feed, or on every entry.
    assert document.xpath("atom:author or not(atom:entry[not(atom:author)])", namespaces=NS)
    # RFC 4287 4.1.2: every entry has an alternate link or content.
    for entry in document.xpath("atom:entry", namespaces=NS):
        assert entry.xpath("atom:link[@rel='alternate'] or atom:link[not(@rel)] or atom:content", namespaces=NS)
    return document


@pytest.mark.parametrize("path", ["/announcements/feed/", "/notices/feed/"])
def test_an_empty_feed_is_valid_atom(client, atom_schema, path):
    response = client.get(path)
    assert response.status_code == 200
    validate(atom_schema, response.content)
    assert not feedparser.parse(response.content).bozo


def test_the_announcements_feed_with_an_announcement_is_valid_atom(client, atom_schema, notice, staff):
    decide(notice, staff)
    response = client.get("/announcements/feed/")
    document = validate(atom_schema, response.content)
    assert len(document.xpath("atom:entry", namespaces=NS)) == 1
    read = feedparser.parse(response.content)
    assert not read.bozo, read.get("bozo_exception")
    assert len(read.entries) == 1 and "/announcements/" in read.entries[0].link
    assert "淮河路 → 淮水路" in read.entries[0].title


def test_the_notices_feed_with_an_open_notice_is_valid_atom(client, atom_schema, notice):
    response = client.get("/notices/feed/")
    document = validate(atom_schema, response.content)
    entries = document.xpath("atom:entry", namespaces=NS)
    assert len(entries) >= 1
    read = feedparser.parse(response.content)
    assert not read.bozo, read.get("bozo_exception")
    assert len(read.entries) == len(entries)
    assert all("/notices/" in entry.link for entry in read.entries)


def test_the_schema_refuses_a_feed_without_its_id(atom_schema, client):
    """The check can fail: a feed stripped of its required atom:id is refused."""
    body = client.get("/announcements/feed/").content
    document = etree.fromstring(body)
    document.remove(document.find("atom:id", NS))
    assert not atom_schema.validate(document)


def test_the_announcements_feed_with_a_round_announcement_is_valid_atom(
    client, atom_schema, notice, staff, round_notice
):
    from tests.public.test_round_notices import approved_with_one_withdrawn

    decide(notice, staff)
    decided = approved_with_one_withdrawn(round_notice, staff)
    response = client.get("/announcements/feed/")
    validate(atom_schema, response.content)
    read = feedparser.parse(response.content)
    assert not read.bozo, read.get("bozo_exception")
    links = sorted(entry.link for entry in read.entries)
    assert len(links) == 2 and any(f"/announcements/rounds/{decided.announcement.pk}/" in link for link in links)
