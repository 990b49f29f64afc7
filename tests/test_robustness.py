"""Every page renders whatever the data: turns without a speaker or label, events without a
date or place, a speaker without turns, an empty archive; out-of-range dates are 404."""

import pytest

from archive.models import Speaker

pytestmark = pytest.mark.django_db


def test_every_page_of_an_event_whose_turns_name_no_speaker(client, awkward_event):
    event, speakerless = awkward_event
    for url in (
        event.get_absolute_url(),
        f"/events/{event.slug}/transcript.txt",
        f"/events/{event.slug}/transcript.json",
        "/events/undated/",
        "/events/",
        "/",
        "/search/?q=zanzibar",
        "/search/?q=zanzibar&sort=newest",
        "/search/feed/?q=zanzibar",
        "/feeds/events/",
        "/speakers/john-kerry/",
        "/speakers/john-kerry/feed/",
        "/sitemap.xml",
        f"/api/events/{event.slug}",
        "/api/events",
        "/api/search?q=zanzibar",
        *[turn.get_absolute_url() for turn in event.turns.all()],
        *[f"/api/turns/{turn.public_id}" for turn in speakerless],
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(event.get_absolute_url()).content.decode()
    assert "THE PRESIDENT" in page and "Office of the Spokesperson" in page
    assert client.get("/search/?q=zanzibar").content.decode().count('class="hit ') == 4


def test_a_speaker_without_turns(client):
    speaker = Speaker.objects.create(name="Silent Witness", slug="silent-witness")
    for url in (speaker.get_absolute_url(), f"/speakers/{speaker.slug}/feed/", f"/api/speakers/{speaker.slug}"):
        assert client.get(url).status_code == 200, url


def test_an_empty_archive(client):
    for url in (
        "/",
        "/events/",
        "/events/undated/",
        "/speakers/",
        "/search/",
        "/search/?q=anything",
        "/search/feed/",
        "/feeds/events/",
        "/sitemap.xml",
        "/robots.txt",
        "/api/events",
        "/api/speakers",
        "/api/search?q=x",
        "/api/openapi.json",
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "url",
    ["/events/0/", "/events/99999/", "/events/0/1/", "/events/10000/1/", "/events/99999/12/", "/events/2013/0/",
     "/events/2013/13/", "/events/2013/99999999999999999999/", "/events/99999999999999999999999/"],
)  # fmt: skip
def test_out_of_range_years_and_months_are_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
