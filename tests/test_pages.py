"""Public pages through the test client."""

import pytest
from django.core.management import call_command

from archive.models import Event, Turn
from tests.support import REFERENCE

pytestmark = pytest.mark.django_db


def test_home_page_on_an_empty_archive(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"The archive is empty" in response.content


def test_home_page_shows_counts_latest_events_and_years(client, reference_event, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "1 event, 22 turns" in content
    assert reference_event.title in content
    assert "2013" in content


def test_event_page_lists_turns_with_anchors(client, reference_event, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get(reference_event.get_absolute_url())
    assert response.status_code == 200
    first = reference_event.turns.first()
    assert f'id="{first.anchor}"' in response.content.decode()
    assert "Osobnyak Guesthouse" in response.content.decode()


def test_speaker_and_turn_pages(client, reference_event):
    turn = reference_event.turns.filter(label="SECRETARY KERRY").first()
    assert client.get(turn.speaker.get_absolute_url()).status_code == 200
    response = client.get(turn.get_absolute_url())
    assert response.status_code == 200
    assert turn.event.title in response.content.decode()


def test_unknown_slugs_and_ids_are_404(client):
    assert client.get("/events/no-such-event/").status_code == 404
    assert client.get("/speakers/nobody/").status_code == 404
    assert client.get("/t/zzzzzzzzzz/").status_code == 404


def test_unpublished_events_are_hidden(client, reference_event):
    reference_event.published = False
    reference_event.save()
    assert client.get(reference_event.get_absolute_url()).status_code == 404
    assert client.get(Turn.objects.first().get_absolute_url()).status_code == 404


def test_demo_fixture_loads_into_a_browsable_archive(client):
    call_command("loaddata", "demo", verbosity=0)
    event = Event.objects.get()
    assert event.turns.count() == 22
    assert client.get(event.get_absolute_url()).status_code == 200


def test_events_by_year_month_and_undated(client, reference_event, tmp_path):
    (tmp_path / "x.txt").write_text(
        "Remarks at a Dinner\n\nMR X: Welcome, all of you, to this dinner.\n", encoding="utf-8"
    )
    call_command("ingest", str(tmp_path), stdout=None)
    assert reference_event.title in client.get("/events/2013/").content.decode()
    assert "May" in client.get("/events/2013/").content.decode()
    assert reference_event.title in client.get("/events/2013/5/").content.decode()
    assert reference_event.title not in client.get("/events/2013/6/").content.decode()
    assert client.get("/events/2013/13/").status_code == 404
    undated = client.get("/events/undated/").content.decode()
    assert "Remarks at a Dinner" in undated and reference_event.title not in undated
    assert "/events/undated/" in client.get("/").content.decode()


def test_event_filters(client, reference_event):
    kerry = Turn.objects.filter(label="SECRETARY KERRY").first().speaker
    assert reference_event.title in client.get("/events/", {"speaker": kerry.slug}).content.decode()
    assert reference_event.title not in client.get("/events/", {"speaker": "nobody"}).content.decode()
    assert reference_event.title in client.get("/events/", {"kind": "remarks", "place": "russia"}).content.decode()
    assert reference_event.title not in client.get("/events/", {"kind": "interview"}).content.decode()
    assert client.get("/events/", {"kind": "nonsense", "page": "x"}).status_code == 200


def test_transcript_downloads(client, reference_event):
    text = client.get(f"/events/{reference_event.slug}/transcript.txt")
    assert text["Content-Type"].startswith("text/plain")
    body = text.content.decode()
    assert body.startswith("Remarks With Russian Foreign Minister Sergey Lavrov\n\nJohn Kerry")
    assert "SECRETARY KERRY: Thank you very much, Sergey." in body
    assert body.rstrip().endswith("PRN: 2013/T05-02")
    from archive.parser import words

    assert words(body) == words(REFERENCE.read_text(encoding="utf-8"))  # every word, in order
    data = client.get(f"/events/{reference_event.slug}/transcript.json").json()
    assert data["date"] == "2013-05-07" and len(data["turns"]) == 22
    assert data["turns"][3]["in_reply_to"] == 3
    assert data["turns"][0]["permalink"].endswith(f"/t/{data['turns'][0]['id']}/")
    assert client.get(f"/events/{reference_event.slug}/transcript.pdf").status_code == 404


def test_search_within_an_event(client, reference_event, tmp_path):
    (tmp_path / "x.txt").write_text("Other Remarks – June 1, 2021\n\nMR X: Syria again.\n", encoding="utf-8")
    call_command("ingest", str(tmp_path), stdout=None)
    assert "Search within this event" in client.get(reference_event.get_absolute_url()).content.decode()
    everywhere = client.get("/search/", {"q": "Syria"}).content.decode()
    within = client.get("/search/", {"q": "Syria", "event": reference_event.pk}).content.decode()
    assert "Other Remarks" in everywhere and "Other Remarks" not in within
    assert "Within one event" in within


def test_feeds_sitemap_and_robots(client, reference_event):
    feed = client.get("/feeds/events/")
    assert feed.status_code == 200 and b"<feed" in feed.content and reference_event.title.encode() in feed.content
    kerry = Turn.objects.filter(label="SECRETARY KERRY").first().speaker
    assert reference_event.title.encode() in client.get(f"/speakers/{kerry.slug}/feed/").content
    assert client.get("/speakers/nobody/feed/").status_code == 404
    sitemap = client.get("/sitemap.xml").content.decode()
    assert reference_event.get_absolute_url() in sitemap and kerry.get_absolute_url() in sitemap
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in robots and "Sitemap: http://testserver/sitemap.xml" in robots


def test_speakers_a_to_z_by_kind_and_speaker_page(client, reference_event, django_assert_max_num_queries):
    content = client.get("/speakers/").content.decode()
    assert "John Kerry" in content and "10 turns in 1 event" in content
    assert "John Kerry" in client.get("/speakers/", {"letter": "j"}).content.decode()
    assert "John Kerry" not in client.get("/speakers/", {"letter": "Z"}).content.decode()
    journalists = client.get("/speakers/", {"kind": "journalist"}).content.decode()
    assert "Arshad Mohammed" in journalists and "John Kerry" not in journalists
    assert client.get("/speakers/", {"kind": "nonsense", "letter": "1"}).status_code == 200
    kerry = Turn.objects.filter(label="SECRETARY KERRY").first().speaker
    with django_assert_max_num_queries(10):
        page = client.get(kerry.get_absolute_url()).content.decode()
    assert "<svg" in page and "Turns per year: 2013, 10" in page
    assert "<code>SECRETARY KERRY</code>" in page and reference_event.title in page


def test_a_question_permalink_lists_its_answers(client, reference_event):
    question = reference_event.turns.get(sequence=3)
    content = client.get(question.get_absolute_url()).content.decode()
    assert "Answers" in content and reference_event.turns.get(sequence=4).get_absolute_url() in content


def test_the_cached_transcript_follows_edits(client, reference_event):
    assert "Maybe nyet." in client.get(reference_event.get_absolute_url()).content.decode()
    reference_event.turns.filter(text__startswith="Maybe nyet").update(text="Maybe da.")
    reference_event.save()  # what an admin save or a re-ingest does
    assert "Maybe da." in client.get(reference_event.get_absolute_url()).content.decode()
    kerry = reference_event.turns.filter(label="SECRETARY KERRY").first().speaker
    kerry.slug = "john-forbes-kerry"
    kerry.save()
    assert "/speakers/john-forbes-kerry/" in client.get(reference_event.get_absolute_url()).content.decode()


def test_page_queries_do_not_grow_with_the_event(client, tmp_path, django_assert_max_num_queries):
    body = "".join(
        f"QUESTION: Question {n} about trade?\n\nMR PRICE: Answer {n}.\n\n(Laughter.)\n\n" for n in range(70)
    )
    (tmp_path / "big.txt").write_text(
        f"Department Press Briefing – June 3, 2021\n\nNed Price, Department Spokesperson\n\n{body}", encoding="utf-8"
    )
    call_command("ingest", str(tmp_path), stdout=None)
    event = Event.objects.get()
    assert event.turns.count() == 210
    with django_assert_max_num_queries(6):
        assert client.get(event.get_absolute_url()).status_code == 200
    turn = event.turns.get(sequence=2)
    with django_assert_max_num_queries(8):
        assert client.get(turn.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(turn.speaker.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/speakers/").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/events/2021/").status_code == 200


def test_a_renamed_participant_shows_at_once_on_the_cached_event_page(client, reference_event):
    from archive.models import Speaker

    lavrov = Speaker.objects.get(name="Sergey Lavrov")
    client.get(reference_event.get_absolute_url())  # cached
    lavrov.name = "Sergey V. Lavrov"
    lavrov.save()
    assert "Sergey V. Lavrov" in client.get(reference_event.get_absolute_url()).content.decode()
