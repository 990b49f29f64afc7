"""Counts that agree: the home page, the speakers list, the API and the sitemap count speakers the
same way (`Speaker.objects.listed()`: known across events, with a turn in a published event)."""

import re

import pytest
from django.core.management import call_command

from archive.models import Event, Participation, Speaker

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(reference_event, tmp_path):
    # A participant who never speaks, and a speaker whose only event is unpublished: neither counts.
    silent = Speaker.objects.create(name="Silent Partner", slug="silent-partner")
    Participation.objects.create(event=reference_event, speaker=silent, role="participant")
    (tmp_path / "2021-06-02-hidden.txt").write_text(
        "Remarks at a Dinner\n\nJane Hidden, Ambassador\n\nAMBASSADOR HIDDEN: Welcome to this dinner.\n",
        encoding="utf-8",
    )
    call_command("ingest", str(tmp_path), verbosity=0)
    hidden = Event.objects.get(source_file="2021-06-02-hidden.txt")
    hidden.published = False
    hidden.save()
    return reference_event


def test_home_speakers_list_api_and_sitemap_count_the_same_speakers(client, archive):
    listed = set(Speaker.objects.listed().values_list("slug", flat=True))
    assert "john-kerry" in listed and "silent-partner" not in listed
    assert not any("hidden" in slug for slug in listed)
    assert Speaker.objects.archive_wide().count() > len(listed)

    home = client.get("/").content.decode()
    assert f"{len(listed)} speakers" in home
    speakers_page = client.get("/speakers/").content.decode()
    assert f"{len(listed)} speakers" in speakers_page
    on_page = set(re.findall(r'href="/speakers/([^/"]+)/"', speakers_page))
    assert on_page == listed
    api = client.get("/api/speakers").json()
    assert api["count"] == len(listed) and {s["slug"] for s in api["items"]} == listed
    sitemap = client.get("/sitemap.xml").content.decode()
    assert set(re.findall(r"/speakers/([^/<]+)/</loc>", sitemap)) == listed


def test_turn_and_event_counts_leave_out_unpublished_events(archive):
    kerry = Speaker.objects.listed().with_counts().get(slug="john-kerry")
    assert (kerry.turn_count, kerry.event_count) == (10, 1)
    archive.published = False
    archive.save()
    assert not Speaker.objects.listed().filter(slug="john-kerry").exists()
    assert Speaker.objects.with_counts().get(slug="john-kerry").turn_count == 0


def test_typed_names_and_suggestions(client, archive):
    speakers, exact = Speaker.objects.matching("john KERRY")
    assert exact and [s.slug for s in speakers] == ["john-kerry"]
    speakers, exact = Speaker.objects.matching("kerr")
    assert not exact and [s.slug for s in speakers] == ["john-kerry"]
    assert not Speaker.objects.matching("")[0].exists()
    names = [s["name"] for s in client.get("/api/speakers", {"q": "dou"}).json()["items"]]
    assert names == ["Jill Dougherty"]
    # A participant who never speaks in a transcript (Lavrov's words were not transcribed) is no speaker.
    assert not client.get("/api/speakers", {"q": "lavrov"}).json()["items"]
