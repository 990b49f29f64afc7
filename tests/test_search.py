"""Search: the query language, facets, the page, and an index that never goes stale."""

import contextlib
import dataclasses
import datetime as dt
import os
import threading
import traceback

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive import search
from archive.ingest import ingest_transcript
from archive.models import Event, IndexTask, Speaker, Turn
from archive.parser import parse_transcript
from archive.search import SearchFilters
from tests.support import REFERENCE

pytestmark = pytest.mark.django_db


def add(text, key, index=True, **fields):
    """Ingest a transcript from a string and (unless index is false) index it."""
    transcript = parse_transcript(text)
    if fields:
        transcript = dataclasses.replace(transcript, **fields)
    outcome = ingest_transcript(transcript, source_key=key, checksum=key)
    if index:
        search.drain()
    return outcome.event


BRIEFING = """Department Press Briefing – June 2, 2021

Ned Price, Department Spokesperson

Washington, D.C.

MR PRICE: We continue our negotiations with Iran in Vienna.

QUESTION: On Russia, will the sanctions on Moscow stay?

MR PRICE: The sanctions on Russia remain in place.

QUESTION: And North Korea?

MR PRICE: We remain open to diplomacy with Pyongyang.
"""

REMARKS = """Remarks With Russian Foreign Minister Sergey Lavrov

John Kerry
Secretary of State
Osobnyak Guesthouse
Moscow, Russia
May 7, 2013

SECRETARY KERRY: The Geneva communique is the roadmap for Syria, and we will negotiate.

QUESTION: Will Iran take part in the conference on Syria?

SECRETARY KERRY: Iran is not part of the Geneva process.
"""


@pytest.fixture
def archive(index_queued):
    events = add(BRIEFING, "briefing", index=False), add(REMARKS, "remarks", index=False)
    index_queued()
    return events


def texts(page):
    return [hit.turn.text for hit in page.hits]


def test_words_are_all_required_and_stemmed(archive):
    assert set(texts(search.search_turns("negotiate"))) == {
        "The Geneva communique is the roadmap for Syria, and we will negotiate.",
        "We continue our negotiations with Iran in Vienna.",
    }
    assert search.search_turns("negotiations Iran").total == 1
    assert search.search_turns("negotiations Pyongyang").total == 0


def test_phrases_boolean_operators_prefixes_and_fields(archive):
    assert search.search_turns('"sanctions on Russia"').total == 1
    assert search.search_turns('"Moscow sanctions"').total == 0
    assert search.search_turns("Pyongyang OR Vienna").total == 2
    assert search.search_turns("Iran NOT Geneva").total == 2
    assert search.search_turns("Iran -Geneva").total == 2
    assert search.search_turns("Iran").total == 3
    assert search.search_turns("Pyong*").total == 1
    assert search.search_turns('speaker:"John Kerry" Iran').total == 1
    assert search.search_turns("speaker:Price sanctions").total == 1


def test_date_bounds_sort_and_filters(archive):
    assert search.search_turns("Iran", SearchFilters(date_from=dt.date(2020, 1, 1))).total == 1
    assert search.search_turns("Iran", SearchFilters(date_to=dt.date(2014, 1, 1))).total == 2
    newest = search.search_turns("Iran", sort="newest").hits
    assert newest[0].turn.event.date == dt.date(2021, 6, 2)
    oldest = search.search_turns("Iran", sort="oldest").hits
    assert oldest[0].turn.event.date == dt.date(2013, 5, 7)
    kerry = Speaker.objects.get(name="John Kerry")
    assert search.search_turns("Iran", SearchFilters(speaker=kerry.slug)).total == 1
    assert search.search_turns("Iran", SearchFilters(year="2021")).total == 1
    assert search.search_turns("Iran", SearchFilters(place="russia")).total == 2
    assert search.search_turns("Iran", SearchFilters(kind="press_briefing")).total == 1


def test_facets_count_real_names(archive):
    facets = {facet.field: values for facet, values in search.search_turns("Iran").facets}
    speakers = {value.label: value.count for value in facets["speaker_slug"]}
    assert speakers == {"John Kerry": 1, "Ned Price": 1}  # unidentified journalists are no facet
    assert {value.label: value.count for value in facets["year"]} == {"2013": 2, "2021": 1}
    assert {value.label: value.count for value in facets["place"]} == {"Russia": 2, "United States": 1}
    assert {value.label for value in facets["event_kind"]} == {"Press briefing", "Remarks"}


def test_pagination_twenty_a_page():
    body = "".join(f"MR PRICE: Turn number {n} about tariffs.\n\nQUESTION: Tariffs again {n}?\n\n" for n in range(25))
    add(f"Department Press Briefing – June 3, 2021\n\n{body}", "long")
    first = search.search_turns("tariffs")
    assert (first.total, len(first.hits), first.num_pages) == (50, 20, 3)
    third = search.search_turns("tariffs", page=3)
    assert len(third.hits) == 10
    assert {h.turn.pk for h in first.hits}.isdisjoint({h.turn.pk for h in third.hits})
    beyond = search.search_turns("tariffs", page=99)
    assert beyond.page == 3 and len(beyond.hits) == 10


def test_snippets_escape_the_transcript(client):
    add('Remarks\n\nMR X: <script>alert(1)</script> "onerror=alert(2) about tariffs & trade.\n', "xss")
    page = search.search_turns("tariffs")
    snippet = page.hits[0].snippet
    assert "<script" not in snippet and "&lt;/script&gt;" in snippet and "&amp; trade" in snippet
    assert "<mark>tariffs</mark>" in snippet
    response = client.get("/search/", {"q": "tariffs <script>alert(3)</script>"})
    assert response.status_code == 200
    assert b"<script>alert" not in response.content


def test_did_you_mean(archive):
    page = search.search_turns("Syrai")
    assert page.total == 0 and page.suggestion == "syria"
    assert search.search_turns("negotiatons Iran").suggestion == "negotiations Iran"
    assert search.search_turns("Syria").suggestion is None


MALFORMED = [
    '"unbalanced',
    "AND",
    "OR OR",
    "NOT",
    "((((",
    ")",
    "*",
    "*iran",
    "speaker:",
    'speaker:"',
    "year:[2010 TO",
    "x" * 5000,
    "Iran " * 2000,
    "\x00\x01\x1f",
    "🙂 سلام 日本",
    "field:value:other",
    "-",
    "--Iran",
    "Iran~",
    "Iran^5",
    "/regex/",
    "%00",
]


def test_malformed_queries_never_fail(client, archive):
    statuses = {query[:40]: client.get("/search/", {"q": query}).status_code for query in MALFORMED}
    assert statuses == {query[:40]: 200 for query in MALFORMED}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
def test_any_query_gives_a_page(client, query):
    assert client.get("/search/", {"q": query, "page": "2", "sort": "newest"}).status_code == 200


def test_bad_filter_values_are_reported_not_fatal(client, archive):
    response = client.get(
        "/search/", {"q": "Iran", "date_from": "yesterday", "page": "-3", "year": "20x", "sort": "sideways"}
    )
    assert response.status_code == 200
    assert b"This filter was ignored" in response.content


def test_search_page_shows_hits_facets_and_filters(client, archive, django_assert_max_num_queries):
    kerry = Speaker.objects.get(name="John Kerry")
    with django_assert_max_num_queries(6):
        response = client.get("/search/", {"q": "Iran", "speaker": kerry.slug})
    content = response.content.decode()
    assert "1 turn for “Iran”" in content
    assert "Remove the speaker filter" in content
    turn = Turn.objects.get(text__startswith="Iran is not part")
    assert f"{turn.event.get_absolute_url()}#{turn.anchor}" in content
    assert "In reply to a question:" in content


def test_empty_query_is_a_browse_page(client, archive):
    response = client.get("/search/")
    assert response.status_code == 200
    assert "Browse all turns" in response.content.decode()
    assert search.search_turns("").total == Turn.objects.count()


def test_more_like_this(archive, client):
    turn = Turn.objects.get(text__startswith="The sanctions on Russia")
    similar = search.more_like_this(turn)
    assert similar and similar[0].text.startswith("On Russia, will the sanctions")
    assert "More like this" in client.get(turn.get_absolute_url()).content.decode()


# --- keeping the index true ----------------------------------------------------------------


def test_ingest_indexes_new_and_changed_events(tmp_path):
    path = tmp_path / "ref.txt"
    path.write_text(REFERENCE.read_text(encoding="utf-8"), encoding="utf-8")
    call_command("ingest", str(path), stdout=None)
    assert search.search_turns("nyet").total == 1
    path.write_text(REFERENCE.read_text(encoding="utf-8").replace("Maybe nyet.", "Maybe later."), encoding="utf-8")
    call_command("ingest", str(path), stdout=None)
    assert search.search_turns("nyet").total == 0
    assert search.search_turns("later").total >= 1
    assert search.check().total == 0
    call_command("check_index", stdout=None)


def test_check_index_reports_drift(archive, capsys):
    Turn.objects.filter(text__startswith="Iran is not").update(text="Changed behind the index's back.")
    orphan = Turn.objects.get(text__startswith="We remain open")
    Turn.objects.filter(pk=orphan.pk).delete()
    drift = search.check()
    assert (len(drift.stale), len(drift.extra), len(drift.missing)) == (1, 1, 0)
    with pytest.raises(CommandError):
        call_command("check_index")
    assert "Drift: 2" in capsys.readouterr().out
    search.enqueue_turns([Turn.objects.get(text__startswith="Changed").pk, orphan.pk])
    search.drain()
    assert search.check().total == 0


def test_renaming_a_speaker_reindexes_their_turns(archive):
    kerry = Speaker.objects.get(name="John Kerry")
    kerry.name = "John Forbes Kerry"
    kerry.save()
    search.enqueue_speaker(kerry.pk)
    search.drain()
    assert search.search_turns('speaker:"Forbes"').total == 2
    assert search.check().total == 0


def test_unpublishing_removes_an_event_from_search(archive):
    briefing, _ = archive
    Event.objects.filter(pk=briefing.pk).update(published=False)
    search.enqueue_event(briefing.pk)
    search.drain()
    assert search.search_turns("Pyongyang").total == 0
    assert search.check().total == 0


def test_a_busy_index_keeps_the_changes_queued(archive):
    from whoosh import index as whoosh_index

    engine = search.engine()
    held = whoosh_index.open_dir(engine.live_folder()).writer()  # another process's writer
    try:
        turn = Turn.objects.get(text__startswith="We remain open")
        Turn.objects.filter(pk=turn.pk).update(text="We remain open to talks with Pyongyang and Seoul.")
        search.enqueue_turns([turn.pk])
        with pytest.raises(search.IndexBusy):
            search.drain(timeout=0.1)
        assert IndexTask.objects.count() == 1
        with pytest.raises(CommandError, match="stay queued"):
            call_command("update_search_index", "--timeout", "0.1")
    finally:
        held.cancel()
    call_command("update_search_index", stdout=None)
    assert IndexTask.objects.count() == 0
    assert search.search_turns("Seoul").total == 1


def test_rebuild_swaps_in_a_fresh_index_and_keeps_edits_made_meanwhile(archive, monkeypatch):
    engine = search.engine()
    before = engine.live_folder()
    build = engine.build

    def build_while_an_archivist_edits(documents):
        documents = list(documents)  # the rebuild has read the database
        turn = Turn.objects.get(text__startswith="We remain open")
        Turn.objects.filter(pk=turn.pk).update(text="We remain open to diplomacy with Seoul.")
        search.enqueue_turns([turn.pk])
        search.drain()  # applied to the old index; kept queued for the new one
        assert IndexTask.objects.count() == 1
        assert search.search_turns("Seoul").total == 1  # searches keep answering during the build
        return build(documents)

    monkeypatch.setattr(engine, "build", build_while_an_archivist_edits)
    count = search.rebuild()
    assert count == Turn.objects.count() + Event.objects.count()
    assert engine.live_folder() != before and not os.path.exists(before)
    assert search.search_turns("Seoul").total == 1
    assert IndexTask.objects.count() == 0
    assert search.check().total == 0


def test_a_drain_into_a_swapped_out_index_keeps_its_tasks(archive, monkeypatch):
    engine = search.engine()
    search.enqueue_turns([Turn.objects.first().pk])
    monkeypatch.setattr(engine, "live_folder", lambda: "/somewhere/else")
    search.drain()
    assert IndexTask.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_overlapping_writers_lose_nothing():
    add(BRIEFING, "briefing")
    turn_pks = list(Turn.objects.values_list("pk", flat=True))
    errors = []

    def editor(n):
        try:
            for round_ in range(5):
                pk = turn_pks[(n + round_) % len(turn_pks)]
                Turn.objects.filter(pk=pk).update(text=f"Edited by editor {n} in round {round_} about Lisbon.")
                search.enqueue_turns([pk])
                with contextlib.suppress(search.IndexBusy):  # the change stays queued
                    search.drain(timeout=0.05)
        except Exception:  # pragma: no cover - reported below
            errors.append(traceback.format_exc())
        finally:
            from django.db import connection

            connection.close()

    def ingester():
        try:
            add(REMARKS, "remarks")
            search.rebuild()
        except Exception:  # pragma: no cover
            errors.append(traceback.format_exc())
        finally:
            from django.db import connection

            connection.close()

    threads = [threading.Thread(target=editor, args=(n,)) for n in range(3)] + [threading.Thread(target=ingester)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    search.drain(timeout=30)
    drift = search.check()
    assert drift.total == 0, drift
    assert search.search_turns("Lisbon").total == Turn.objects.filter(text__contains="Lisbon").count()


def test_an_admin_rename_reaches_search_at_once(admin_client, archive, django_capture_on_commit_callbacks):
    kerry = Speaker.objects.get(name="John Kerry")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/archive/speaker/{kerry.pk}/change/",
            {
                "name": "John F. Kerry",
                "slug": kerry.slug,
                "kind": "person",
                "title": "Secretary of State",
                "organisation": "",
                "event": "",
                "notes": "",
                "aliases-TOTAL_FORMS": "0",
                "aliases-INITIAL_FORMS": "0",
                "aliases-MIN_NUM_FORMS": "0",
                "aliases-MAX_NUM_FORMS": "1000",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert search.search_turns('speaker:"John F. Kerry" Iran').total == 1
    assert IndexTask.objects.count() == 0
    assert search.check().total == 0


@pytest.mark.slow
def test_an_edit_made_while_the_index_is_busy_is_retried(archive, django_capture_on_commit_callbacks, monkeypatch):
    from whoosh import index as whoosh_index

    monkeypatch.setattr(search.time, "sleep", lambda seconds: None)  # no back-off waits in the test
    held = whoosh_index.open_dir(search.engine().live_folder()).writer()
    turn = Turn.objects.get(text__startswith="We remain open")
    with django_capture_on_commit_callbacks(execute=True):
        Turn.objects.filter(pk=turn.pk).update(text="We remain open to talks in Geneva and Oslo.")
        search.enqueue_turns([turn.pk])
        search.drain_soon(attempts=2)
    assert IndexTask.objects.count() == 1  # still busy: kept, not dropped
    held.cancel()
    with django_capture_on_commit_callbacks(execute=True):
        search.drain_soon()
    assert search.search_turns("Oslo").total == 1 and IndexTask.objects.count() == 0


def test_one_drain_at_a_time_from_queue_to_commit(archive):
    """A drain that read older rows must not commit after one that read newer rows: while one
    drain holds the index, another gives up (IndexBusy) and leaves its tasks queued."""
    turn = Turn.objects.get(text__startswith="We remain open")
    Turn.objects.filter(pk=turn.pk).update(text="We remain open to talks in Reykjavik.")
    search.enqueue_turns([turn.pk])
    with search.engine().exclusive(timeout=1), pytest.raises(search.IndexBusy):
        search.drain(timeout=0.1)
    assert IndexTask.objects.count() == 1
    search.drain()
    assert search.search_turns("Reykjavik").total == 1 and IndexTask.objects.count() == 0


def test_a_cached_results_page_lasts_only_until_the_index_changes(client, archive):
    turn = Turn.objects.get(text__startswith="We remain open")
    assert turn.public_id in client.get("/search/", {"q": "remain open"}).content.decode()
    assert turn.public_id in client.get("/search/", {"q": "remain open"}).content.decode()  # from the cache
    Turn.objects.filter(pk=turn.pk).update(text="We stay open to talks.")
    search.enqueue_turns([turn.pk])
    search.drain()
    assert turn.public_id not in client.get("/search/", {"q": "remain open"}).content.decode()


def test_did_you_mean_leaves_operators_and_stop_words_alone(archive):
    assert search.search_turns("Genva NOT Iran").suggestion == "geneva NOT Iran"
    assert search.search_turns("the Genva").suggestion == "the geneva"
