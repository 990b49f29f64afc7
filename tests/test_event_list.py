"""The events list: total, order, date range, speaker by name, country and kind, all in the URL."""

import re

import pytest
from django.core.management import call_command

from archive.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(reference_event, tmp_path):
    (tmp_path / "2021-06-02-dinner.txt").write_text(
        "Remarks at a Dinner\n\nJohn Smith, Ambassador\n\nAMBASSADOR SMITH: Welcome, all of you, to this dinner.\n",
        encoding="utf-8",
    )
    (tmp_path / "2022-01-10-interview.txt").write_text(
        "Interview With the Press\n\nMR X: Yes, an interview about trade.\n", encoding="utf-8"
    )
    call_command("ingest", str(tmp_path), verbosity=0)
    Event.objects.create(title="A Statement at the General Debate", slug="2015-un", source_key="file:s", year=2015)
    return reference_event


def titles(client, **params):
    content = client.get("/events/", params).content.decode()
    return re.findall(r'<li class="event-row">\s*<a href="[^"]+">([^<]+)</a>', content)


def test_total_and_orders(client, events):
    content = client.get("/events/").content.decode()
    assert "4 events" in content
    assert 'action=""' not in content and 'action="/events/"' in content
    assert titles(client) == [
        "Interview With the Press",
        "Remarks at a Dinner",
        "A Statement at the General Debate",
        "Remarks With Russian Foreign Minister Sergey Lavrov",
    ]
    assert titles(client, sort="oldest")[0] == "Remarks With Russian Foreign Minister Sergey Lavrov"
    assert titles(client, sort="title") == sorted(titles(client))
    assert len(titles(client, sort="nonsense")) == 4  # reported beside the form, not an error page


def test_date_range_takes_a_year_only_event_when_its_whole_year_is_in_it(client, events):
    assert titles(client, date_from="2021-01-01") == ["Interview With the Press", "Remarks at a Dinner"]
    assert titles(client, date_from="2015-01-01", date_to="2015-12-31") == ["A Statement at the General Debate"]
    assert titles(client, date_from="2015-03-01", date_to="2015-12-31") == []
    # the wrong way round is read the right way round
    assert titles(client, date_from="2021-12-31", date_to="2021-01-01") == ["Remarks at a Dinner"]
    content = client.get("/events/", {"date_from": "2021-01-01"}).content.decode()
    assert "2 events match" in content and "From January 1, 2021" in content


def test_a_speaker_typed_by_name(client, events):
    assert titles(client, speaker="John Kerry") == ["Remarks With Russian Foreign Minister Sergey Lavrov"]
    assert titles(client, speaker="kerry") == ["Remarks With Russian Foreign Minister Sergey Lavrov"]
    assert titles(client, speaker="john-kerry") == ["Remarks With Russian Foreign Minister Sergey Lavrov"]
    assert "Speaker: John Kerry" in client.get("/events/", {"speaker": "kerry"}).content.decode()

    ambiguous = client.get("/events/", {"speaker": "john"}).content.decode()
    assert "“john” could be 2 speakers" in ambiguous
    assert "?speaker=john-kerry" in ambiguous and "?speaker=john-smith" in ambiguous
    assert titles(client, speaker="john") == []

    unknown = client.get("/events/", {"speaker": "Jon Kery"}).content.decode()
    assert "No speaker in the archive is called “Jon Kery”" in unknown and "Did you mean" in unknown
    assert ">John Kerry</a>" in unknown
    assert titles(client, speaker="Jon Kery") == []


def test_country_and_kind_with_counts_and_every_filter_in_the_links(client, events):
    content = client.get("/events/").content.decode()
    assert '<option value="Russia">Russia (1)</option>' in content
    assert titles(client, place="russia") == ["Remarks With Russian Foreign Minister Sergey Lavrov"]
    assert titles(client, kind="interview") == ["Interview With the Press"]
    filtered = client.get("/events/", {"kind": "remarks", "sort": "oldest", "speaker": "kerry"}).content.decode()
    assert '<option value="oldest" selected>' in filtered and 'value="kerry"' in filtered
    removal = re.search(r'href="(\?[^"]*)" aria-label="Remove the filter Kind: Remarks"', filtered).group(1)
    assert "kind" not in removal and "sort=oldest" in removal and "speaker=kerry" in removal


def test_the_year_pages_take_the_same_filters(client, events, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        content = client.get("/events/2021/", {"speaker": "John Smith"}).content.decode()
    assert "Remarks at a Dinner" in content and "1 event matches" in content
