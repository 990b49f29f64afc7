"""Citations of turns and events: the CSL-JSON item, the text styles, BibTeX, the pages and the
downloads, checked against real consumers (citeproc-py renders the CSL-JSON download with a
Chicago style; bibtexparser reads the BibTeX download)."""

import datetime as dt
import functools
import html
import re

import bibtexparser
import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from django.core.management import call_command

from archive import citations
from archive.models import Event, Turn
from tests.support import ROOT

pytestmark = pytest.mark.django_db

CHICAGO_CSL = ROOT / "tests" / "support" / "csl" / "chicago-remarks.csl"
# Transcripts of every collection and shape: a joint press availability, a background briefing
# by officials without names, a White House press briefing, a UN General Debate speech (year only).
CORPUS_SAMPLE = [
    "us-state-dept-2013/2013-05-07-remarks-with-russian-foreign-minister-sergey-lavrov.txt",
    "us-state-dept-rss-2021-2022/2021-05-24-briefing-with-senior-state-department-official-on-the-secretarys-upcom.txt",
    "whitehouse-briefing-room-2021-2025/2021-02-23-press-briefing-by-press-secretary-jen-psaki-february-23-2021.txt",
    "un-general-debate/AUS_69_2014.txt",
]


@functools.cache
def chicago_style():
    return CitationStylesStyle(str(CHICAGO_CSL), validate=True)


def citeproc_chicago(item):
    """The bibliography entry a real CSL processor makes of the item."""
    bibliography = CitationStylesBibliography(chicago_style(), CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    return str(bibliography.bibliography()[0])


def shown(page, css_class):
    """The text of the element with css_class on a page, as a reader sees it."""
    match = re.search(rf'class="{css_class}">(.*?)</(?:dd|p|pre)>', page, re.S)
    assert match, f"no {css_class} on the page"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1)))


@pytest.fixture
def sample(corpus_dir):
    for relative in CORPUS_SAMPLE:
        call_command("ingest", str(corpus_dir / relative), "--metadata", str(corpus_dir / "INDEX.jsonl"), verbosity=0)
    return Event.objects.all()


def test_the_chicago_text_on_the_page_is_what_citeproc_makes_of_the_download(client, sample):
    checked = 0
    for event in sample:
        for turn in [*event.turns.order_by("sequence")[:12], event.turns.order_by("-sequence").first()]:
            page = client.get(f"/t/{turn.public_id}/cite/").content.decode()
            item = client.get(f"/t/{turn.public_id}/cite.json").json()[0]
            assert shown(page, "cite-chicago") == citeproc_chicago(item)
            checked += 1
        page = client.get(f"/events/{event.slug}/cite/").content.decode()
        item = client.get(f"/events/{event.slug}/cite.json").json()[0]
        assert shown(page, "cite-chicago") == citeproc_chicago(item)
    assert checked > 40


def test_edge_cases_agree_with_citeproc_too():
    base = {
        "id": "turn-x", "type": "speech", "title": "Remarks on Trade & Tariffs <Part 2>",
        "container-title": citations.SITE_NAME, "URL": "https://archive.example.org/t/x/",
        "accessed": {"date-parts": [[2026, 11, 28]]},
    }  # fmt: skip
    variants = [
        base,  # no author, no date, no place, no publisher
        {**base, "author": [{"family": "King", "given": "Martin Luther", "suffix": "Jr."}], "genre": "Speech"},
        {**base, "author": [{"literal": "Senior State Department Official"}], "issued": {"date-parts": [[2014]]}},
        {
            **base,
            "author": [citations.person_name(name) for name in ("Antony J. Blinken", "Gabi Ashkenazi", "Ban Ki-moon")],
        },
        {**base, "event-place": "Treaty Room, Washington, DC", "issued": {"date-parts": [[2021, 2, 3]]}},
    ]
    for item in variants:
        assert html.unescape(re.sub(r"<[^>]+>", "", citations.chicago(item))) == citeproc_chicago(item)


def test_turn_citation_in_every_style(client, reference_event):
    turn = reference_event.turns.get(sequence=1)
    page = client.get(f"/t/{turn.public_id}/cite/").content.decode()
    url = f"http://testserver/t/{turn.public_id}/"
    today = dt.date.today()
    long_today = f"{today:%B} {today.day}, {today.year}"
    title = "Remarks With Russian Foreign Minister Sergey Lavrov"
    place = "Osobnyak Guesthouse, Moscow, Russia"
    assert shown(page, "cite-chicago") == (
        f"Kerry, John. “{title}.” Remarks, {place}, May 7, 2013. U.S. Department of State. "
        f"Diplomatic Remarks Archive. Accessed {long_today}. {url}."
    )
    assert shown(page, "cite-apa") == (
        f"Kerry, J. (2013, May 7). {title} [Remarks, {place}]. U.S. Department of State. "
        f"Diplomatic Remarks Archive. Retrieved {long_today}, from {url}"
    )
    assert f"<i>{title}</i>" in page
    mla_today = f"{today.day} {citations.MLA_MONTHS[today.month - 1]} {today.year}"
    assert shown(page, "cite-mla") == (
        f"Kerry, John. “{title}.” Remarks, U.S. Department of State, 7 May 2013, {place}. "
        f"Diplomatic Remarks Archive, testserver/t/{turn.public_id}/. Accessed {mla_today}."
    )
    assert "<i>Diplomatic Remarks Archive</i>" in page


def test_bibtex_download_reads_back_in_a_bibtex_parser(client, tmp_path):
    (tmp_path / "2019-04-01-x.txt").write_text(
        "Remarks on 100% Tariffs & {Braces} for $5 #1_a\n\nMR X: Welcome, all of you, to this dinner.\n",
        encoding="utf-8",
    )
    call_command("ingest", str(tmp_path), verbosity=0)
    turn = Turn.objects.get()
    response = client.get(f"/t/{turn.public_id}/cite.bib")
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="turn-{turn.public_id}.bib"'
    library = bibtexparser.parse_string(response.content.decode())
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "misc"
    assert entry["title"] == r"{Remarks on 100\% Tariffs \& \{Braces\} for \$5 \#1\_a}"
    assert entry["url"] == f"http://testserver/t/{turn.public_id}/"
    assert entry["date"] == "2019-04-01" and entry["urldate"] == dt.date.today().isoformat()
    # A name known only from its label has no given name to split off: it is cited whole, in braces.
    assert entry["author"] == "{Mr X}"


def test_who_is_cited(reference_event, client):
    kerry = reference_event.turns.filter(speaker__name="John Kerry").first()
    assert citations.speaker_name(kerry.speaker) == {"family": "Kerry", "given": "John"}
    question = reference_event.turns.filter(kind="question").first()
    item = client.get(f"/t/{question.public_id}/cite.json").json()[0]
    assert item["author"] == [citations.speaker_name(question.speaker, question.label)]
    assert item["note"].startswith(f"Turn {question.sequence} (question)")
    # Stage directions have no author; an event's authors are its principals and counterparts.
    assert "author" not in citations.turn_item(
        Turn(event=reference_event, kind="stage_direction", text="(Laughter.)", sequence=99), "u", dt.date.today()
    )
    event_item = client.get(f"/events/{reference_event.slug}/cite.json").json()[0]
    assert event_item["author"] == [{"family": "Kerry", "given": "John"}, {"family": "Lavrov", "given": "Sergey"}]
    assert citations.person_name("Martin Luther King Jr.") == {
        "family": "King",
        "given": "Martin Luther",
        "suffix": "Jr.",
    }
    assert citations.person_name("Madonna") == {"literal": "Madonna"}


def test_undated_events_and_no_kind(client, tmp_path):
    (tmp_path / "x.txt").write_text("A Statement\n\nMR X: Words, words, words.\n", encoding="utf-8")
    call_command("ingest", str(tmp_path), verbosity=0)
    event = Event.objects.get()
    item = client.get(f"/events/{event.slug}/cite.json").json()[0]
    assert "issued" not in item
    page = client.get(f"/events/{event.slug}/cite/").content.decode()
    assert "(n.d.)" in shown(page, "cite-apa")
    assert shown(page, "cite-chicago") == citeproc_chicago(item)


def test_cite_controls_on_turn_event_and_search_pages(client, reference_event, django_assert_max_num_queries):
    turn = reference_event.turns.get(sequence=4)
    with django_assert_max_num_queries(8):
        page = client.get(turn.get_absolute_url()).content.decode()
    assert '<details class="cite">' in page and "Cite this turn" in page
    assert f'href="/t/{turn.public_id}/cite.bib"' in page and f'href="/t/{turn.public_id}/cite.json"' in page
    event_page = client.get(reference_event.get_absolute_url()).content.decode()
    assert "Cite this event" in event_page and f"/events/{reference_event.slug}/cite.json" in event_page
    results = client.get("/search/", {"q": "nyet"}).content.decode()
    hit = Turn.objects.get(text__contains="Maybe nyet")
    assert f'href="/t/{hit.public_id}/cite/"' in results


def test_bad_format_and_unknown_rows_are_404(client, reference_event):
    turn = reference_event.turns.first()
    assert client.get(f"/t/{turn.public_id}/cite.pdf").status_code == 404
    assert client.get("/t/zzzzzzzzzz/cite/").status_code == 404
    assert client.get("/events/nope/cite/").status_code == 404
    reference_event.published = False
    reference_event.save()
    assert client.get(f"/t/{turn.public_id}/cite/").status_code == 404
