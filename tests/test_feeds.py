"""Atom feeds as feed readers see them: parsed by feedparser without complaint, valid by RFC
4287's RELAX NG schema (jing) and its two Schematron rules; sitemap lastmod follows changes."""

import datetime as dt
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.db import connection

from archive.models import Speaker, Turn
from tests.support.checkers import have_jing, jing, require

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def feeds(client, reference_event, awkward_event):
    urls = [
        "/feeds/events/",
        "/speakers/john-kerry/feed/",
        "/speakers/sergey-lavrov/feed/",
        "/search/feed/?q=nyet",
        "/search/feed/?q=zanzibar",
        "/search/feed/",
        "/search/feed/?q=%22(((&year=2013&speaker=john-kerry",
        "/search/feed/?q=nothing+matches+this",
    ]
    responses = {url: client.get(url) for url in urls}
    for url, response in responses.items():
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/atom+xml"), url
    return {url: response.content for url, response in responses.items()}


def test_feedparser_reads_every_feed_without_complaint(feeds):
    for url, body in feeds.items():
        parsed = feedparser.parse(body)
        assert not parsed.bozo, (url, parsed.get("bozo_exception"))
        assert parsed.version == "atom10"
        assert parsed.feed.author, url
        for entry in parsed.entries:
            # an entry without an author of its own has the feed's (RFC 4287 §4.1.2)
            assert entry.updated and entry.id and entry.link, (url, entry.get("title"))


def test_every_feed_is_valid_by_the_rfc_4287_schema(feeds, tmp_path):
    require(have_jing(), "jing (Debian package jing)")
    paths = []
    for number, body in enumerate(feeds.values()):
        paths.append(tmp_path / f"feed-{number}.xml")
        paths[-1].write_bytes(body)
    assert jing(paths) == []
    # The schema's Schematron rules, which jing does not run: authors, and a link or content.
    for url, body in feeds.items():
        feed = ET.fromstring(body)
        for entry in feed.findall(f"{ATOM}entry"):
            assert feed.find(f"{ATOM}author") is not None or entry.find(f"{ATOM}author") is not None, url
            links = entry.findall(f"{ATOM}link")
            assert any(link.get("rel", "alternate") == "alternate" for link in links), url


def test_entries_are_published_on_the_event_date_and_updated_at_the_last_change(feeds, reference_event):
    events = feedparser.parse(feeds["/feeds/events/"])
    reference = next(entry for entry in events.entries if entry.title == reference_event.title)
    assert reference.published == "2013-05-07T00:00:00+00:00"
    assert dt.datetime.fromisoformat(reference.updated) == reference_event.updated_at
    assert reference.author == "U.S. Department of State"
    undated = next(entry for entry in events.entries if entry.title == "Remarks Nobody Dated")
    assert "published" not in undated  # never an invented date


def test_speaker_feed_lists_their_newest_turns(feeds, reference_event):
    kerry = feedparser.parse(feeds["/speakers/john-kerry/feed/"])
    turns = Turn.objects.filter(speaker__slug="john-kerry")
    assert len(kerry.entries) == turns.count() == 11
    assert kerry.entries[0].title == "John Kerry in " + reference_event.title  # dated events first
    last_in_reference = turns.filter(event=reference_event).order_by("-sequence")[0]
    assert kerry.entries[0].link.endswith(last_in_reference.get_absolute_url())
    assert {entry.author for entry in kerry.entries} == {"John Kerry"}


def test_search_feed_lists_the_newest_matching_turns(feeds):
    found = feedparser.parse(feeds["/search/feed/?q=zanzibar"])
    assert len(found.entries) == 4
    assert {entry.author for entry in found.entries} == {"Unattributed", "THE PRESIDENT", "Q", "John Kerry"}
    assert "zanzibar" in found.feed.title
    assert feedparser.parse(feeds["/search/feed/?q=nothing+matches+this"]).entries == []


def rewrite_first_turn(awkward_event, text):
    from archive import search

    event, (header, *_) = awkward_event
    header.text = text
    header.save()
    search.enqueue_turns([header.pk])
    search.drain()


def test_turn_text_reaches_readers_as_text(client, awkward_event):
    rewrite_first_turn(awkward_event, "<script>alert(1)</script> zanzibar")
    entries = feedparser.parse(client.get("/search/feed/?q=zanzibar").content).entries
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt; zanzibar</p>" in {entry.summary for entry in entries}


def test_sitemap_lastmod_follows_the_event_and_its_speakers(client, reference_event):
    def lastmods():
        body = ET.fromstring(client.get("/sitemap.xml").content)
        ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
        return {url.find(f"{ns}loc").text: url.find(f"{ns}lastmod").text for url in body.iter(f"{ns}url")}

    before = lastmods()
    event_url = "http://testserver" + reference_event.get_absolute_url()
    kerry_url = "http://testserver/speakers/john-kerry/"
    assert event_url in before and kerry_url in before
    lavrov = Speaker.objects.get(name="Sergey Lavrov")
    Speaker.objects.filter(pk=lavrov.pk).update(updated_at=lavrov.updated_at + dt.timedelta(days=3))
    after = lastmods()
    assert after[event_url] > before[event_url]  # the event page shows Lavrov's name
    assert after[kerry_url] == before[kerry_url]
    Speaker.objects.filter(slug="john-kerry").update(updated_at=lavrov.updated_at - dt.timedelta(days=3))
    assert lastmods()[kerry_url] == before[event_url]  # the speaker page shows the event


def test_control_characters_never_break_a_feed(client, awkward_event):
    # PostgreSQL cannot store a NUL at all (ingest refuses files with one, admin forms reject it);
    # SQLite can, when rows are written by hand
    nul = "\x00" if connection.vendor == "sqlite" else ""
    rewrite_first_turn(awkward_event, f"zanzibar{nul}\x07\x1b[31m text")
    for url in ("/search/feed/?q=%00zanzibar%1b", "/feeds/events/", "/speakers/john-kerry/feed/"):
        response = client.get(url)
        assert response.status_code == 200 and not feedparser.parse(response.content).bozo, url
