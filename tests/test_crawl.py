"""A crawl of the archive holding the whole corpus, as a search engine or a reader following
links would make it: every URL of the sitemap, every link on the pages it reaches (every turn
permalink of a sample of events), the feeds, the API and downloads of every event, and the edge
addresses that once failed. No server error anywhere, and every link the site makes renders."""

import re
import xml.etree.ElementTree as ET
from collections import Counter, deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from archive.models import Event, Speaker

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EDGE_URLS = [
    "/events/0/", "/events/99999/", "/events/0/1/", "/events/10000/1/", "/events/99999/12/", "/events/2013/13/",
    "/events/2013/0/", "/events/99999999999999999999999/", "/events/undated/?page=99999999999999999999",
    "/events/?page=-1&kind=%00", "/speakers/?page=0&letter=%FF", "/speakers/nobody/", "/speakers/nobody/feed/",
    "/t/0/", "/t/" + "z" * 300 + "/", "/events/no-such-event/transcript.pdf", "/no/such/page/",
    "/api/events?page=1000000000000000000", "/api/speakers?page=1000000000000000000", "/api/events?year=0",
    "/api/events?year=99999999999999999999", "/api/search?page=99999999999999999999&q=%22", "/api/turns/%00",
    "/search/?q=%22%28%28%28&page=99999999999999999999", "/search/?q=" + "x" * 5000, "/search/?q=" + "y" * 40000,
    "/search/feed/?q=%00&year=abcd", "/search/?event=99999999999999999999999&date_from=9999-99-99",
    "/favicon.ico", "/robots.txt", "/healthz",
]  # fmt: skip
# Links that lead to the same page with other filters: a crawler follows a few of each.
QUERY_VARIANTS_PER_PATH = 25
SAMPLE_EVERY = 25  # every turn permalink of one event in this many (and of each event with a turn naming no speaker)
HREF = re.compile(r'\bhref="([^"]+)"')


def internal_links(page_url, html):
    for href in HREF.findall(html):
        href = urldefrag(href.replace("&amp;", "&"))[0]
        if href.startswith("?"):
            href = urlsplit(page_url).path + href
        if href.startswith("/") and not href.startswith(("//", "/static/", "/admin/")):
            yield href


def test_crawl_the_whole_corpus(corpus_dir, capsys):
    call_command("ingest", str(corpus_dir), verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # the statistics autovacuum keeps in production (it cannot see this test's uncommitted
            # rows): without them PostgreSQL plans the speaker pages as if the tables were empty
            cursor.execute("ANALYZE")
    events = list(Event.objects.order_by("pk"))
    sampled = {event.slug for event in events[::SAMPLE_EVERY]}
    sampled |= set(Event.objects.filter(turns__speaker__isnull=True).exclude(turns__kind="stage_direction")
                   .values_list("slug", flat=True))  # fmt: skip
    sampled_turns = {f"/t/{public_id}/" for public_id in
                     Event.objects.filter(slug__in=sampled).values_list("turns__public_id", flat=True)}  # fmt: skip

    client = Client(raise_request_exception=False)
    statuses, server_errors, broken_links = Counter(), [], []
    requested, variants = set(), Counter()

    def get(url, linked_from=None):
        requested.add(url)
        response = client.get(url)
        statuses[response.status_code] += 1
        if response.status_code >= 500:
            server_errors.append(url)
        elif linked_from and response.status_code not in (200, 301, 302):
            broken_links.append((linked_from, url, response.status_code))
        return response

    sitemap = ET.fromstring(get("/sitemap.xml").content)
    locations = [loc.text.removeprefix("http://testserver") for loc in sitemap.findall(".//{*}loc")]
    assert len(locations) == len(events) + Speaker.objects.archive_wide().filter(turns__isnull=False).distinct().count()
    frontier = deque((url, "/sitemap.xml") for url in ["/", *locations])
    for event in events:
        downloads = [f"/events/{event.slug}/transcript.{format}" for format in ("txt", "json")]
        frontier.extend((url, event.get_absolute_url()) for url in [*downloads, f"/api/events/{event.slug}"])
    frontier.extend((url, None) for url in sorted(sampled_turns))  # stage directions have no link
    frontier.extend((url, None) for url in EDGE_URLS)
    while frontier:
        url, linked_from = frontier.popleft()
        if url in requested:
            continue
        response = get(url, linked_from)
        if response.status_code in (301, 302):
            frontier.append((response["Location"], url))
        if not response.get("Content-Type", "").startswith("text/html") or response.status_code != 200:
            continue
        for link in internal_links(url, response.content.decode()):
            path, _, query = link.partition("?")
            if link in requested or (link.startswith("/t/") and link not in sampled_turns):
                continue
            if query:
                if variants[path] >= QUERY_VARIANTS_PER_PATH:
                    continue
                variants[path] += 1
            frontier.append((link, url))

    with capsys.disabled():
        print(f"\ncrawl: {len(requested)} requests, statuses {dict(sorted(statuses.items()))}, "
              f"{len(server_errors)} server errors, {len(broken_links)} broken links")  # fmt: skip
    assert server_errors == []
    assert broken_links == []
    assert sampled_turns <= requested
