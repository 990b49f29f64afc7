import pytest
from django.core.management import call_command

from archive.models import Event, Turn
from tests.conftest import REFERENCE

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference_event():
    call_command("ingest", str(REFERENCE), verbosity=0)
    return Event.objects.get()


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
