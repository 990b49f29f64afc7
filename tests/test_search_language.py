"""The query language, held to a table of queries and the turns each must find, on a small fixed
archive: the reference transcript and a briefing written for these tests."""

import dataclasses

import pytest

from archive import search
from archive.ingest import ingest_transcript
from archive.models import Turn
from archive.parser import parse_transcript
from archive.search import SearchFilters
from archive.search.query import All, Any, Not, Prefix, Range, Words, describe, parse
from tests.support import REFERENCE

pytestmark = pytest.mark.django_db

BRIEFING = """Press Briefing on Trade and Security – June 5, 2023

Karine Jean-Pierre, Press Secretary

Washington, D.C.

MS. JEAN-PIERRE: We discussed cross-border trade with Canada.

QUESTION: Is al-Qaida still active in Syria?

MS. JEAN-PIERRE: Al Qaida remains a threat in the region.

QUESTION: And Qaida-linked groups in Iran?

MS. JEAN-PIERRE: There was cross-talk at the border, and we will come back to it.

QUESTION: Did Jean Pierre Raffarin attend the meeting on human rights?

MS. JEAN-PIERRE: Human rights matter; rights of humans matter too. Syria and Iran were discussed.

QUESTION: What about Syria's rights and human dignity?
"""

# The briefing's turns, by the words they begin with.
CROSS_BORDER = "We discussed cross-border"
QAIDA_SYRIA = "Is al-Qaida"
AL_QAIDA = "Al Qaida remains"
QAIDA_IRAN = "And Qaida-linked"
CROSS_TALK = "There was cross-talk"
RAFFARIN = "Did Jean Pierre Raffarin"
HUMAN_RIGHTS = "Human rights matter"
DIGNITY = "What about Syria's rights"
HERS = {CROSS_BORDER, AL_QAIDA, CROSS_TALK, HUMAN_RIGHTS}  # Karine Jean-Pierre's turns

# Within the briefing: (query, the turns it finds).
BRIEFING_TABLE = [
    ("Karine Jean-Pierre", HERS),
    ('"Karine Jean-Pierre"', HERS),
    ("Jean-Pierre", HERS | {RAFFARIN}),  # a hyphen joins, it does not exclude
    ("jean pierre", HERS | {RAFFARIN}),
    ("al-Qaida", {QAIDA_SYRIA, AL_QAIDA}),  # not the Qaida-linked groups
    ("al Qaida", {QAIDA_SYRIA, AL_QAIDA}),
    ("Qaida", {QAIDA_SYRIA, AL_QAIDA, QAIDA_IRAN}),
    ("cross-border", {CROSS_BORDER}),  # not the cross-talk
    ('"human rights"', {RAFFARIN, HUMAN_RIGHTS}),  # not "rights and human dignity"
    ("human rights", {RAFFARIN, HUMAN_RIGHTS, DIGNITY}),
    ("syria\x00iran", {HUMAN_RIGHTS}),  # a control character separates, it does not empty the query
    ("Syria iran", {HUMAN_RIGHTS}),
    ("Syria NOT Iran", {QAIDA_SYRIA, DIGNITY}),
    ("Syria -Iran", {QAIDA_SYRIA, DIGNITY}),
    ("Syria not Iran", {HUMAN_RIGHTS}),  # "not" in lower case is a word (too common to search)
    ("Syria OR Iran", {QAIDA_SYRIA, QAIDA_IRAN, HUMAN_RIGHTS, DIGNITY}),
    ("Syria or Iran", {HUMAN_RIGHTS}),
    ("(Syria OR Iran) Qaida", {QAIDA_SYRIA, QAIDA_IRAN}),
    ("Iran OR Syria Qaida", {QAIDA_SYRIA, QAIDA_IRAN}),  # OR binds tighter than the implied AND
    ("speaker:Jean-Pierre Syria", {HUMAN_RIGHTS}),
    ('speaker:"Karine Jean-Pierre" border', {CROSS_BORDER, CROSS_TALK}),
    ("-speaker:Jean-Pierre Syria", {QAIDA_SYRIA, DIGNITY}),
    ("Qaid*", {QAIDA_SYRIA, AL_QAIDA, QAIDA_IRAN}),
    ("raffa*", {RAFFARIN}),
    ("humans", {RAFFARIN, HUMAN_RIGHTS, DIGNITY}),  # stemmed: human, humans
    ("dignity^2", {DIGNITY}),  # Lucene boosts and fuzziness are ignored
    ("dignity~", {DIGNITY}),
    ("the", set()),  # only a stop word
]

# On the reference transcript: (query, the turns it finds).
REFERENCE_TABLE = [
    ("nyet", {"Maybe nyet."}),
    ("Magnitsky", {"You have talked about Russia", "Jill, I think it’s important"}),
    ("Istanbul", {"Thank you very much, Sergey.", "Well, the – let me begin"}),
    ('"chemical weapons"', {"Thank you very much, Sergey.", "Well, the – let me begin", "Well, Olga,let me"}),
    ("Magnitsky OR nyet", {"You have talked about Russia", "Jill, I think it’s important", "Maybe nyet."}),
]


def ingest(text, key):
    transcript = parse_transcript(text)
    return ingest_transcript(dataclasses.replace(transcript), source_key=key, checksum=key).event


@pytest.fixture
def archive(index_queued):
    briefing = ingest(BRIEFING, "briefing")
    reference = ingest(REFERENCE.read_text(encoding="utf-8"), "reference")
    index_queued()
    return briefing, reference


def found(query, filters):
    page = search.search_turns(query, filters)
    every = list(page.hits)
    for number in range(2, page.num_pages + 1):
        every += search.search_turns(query, filters, page=number).hits
    return page, [hit.turn for hit in every]


def begins(turns, beginnings):
    return {next((b for b in beginnings if turn.text.startswith(b)), turn.text[:40]) for turn in turns}


def test_briefing_queries_find_exactly_their_turns(archive):
    """The whole table at once (one archive, not one per query); a failure lists every query
    that found other turns than its row says, with what it found."""
    briefing, _ = archive
    beginnings = {CROSS_BORDER, QAIDA_SYRIA, AL_QAIDA, QAIDA_IRAN, CROSS_TALK, RAFFARIN, HUMAN_RIGHTS, DIGNITY}
    wrong = {}
    for query, expected in BRIEFING_TABLE:
        page, turns = found(query, SearchFilters(event=briefing.pk))
        if (page.total, begins(turns, beginnings)) != (len(expected), expected):
            wrong[query] = (page.total, begins(turns, beginnings))
    assert wrong == {}


def test_reference_queries_find_exactly_their_turns(archive):
    _, reference = archive
    wrong = {}
    for query, expected in REFERENCE_TABLE:
        _, turns = found(query, SearchFilters(event=reference.pk))
        if begins(turns, expected) != expected:
            wrong[query] = begins(turns, expected)
    assert wrong == {}


def test_a_query_of_2000_characters_is_searched_whole(archive):
    query = " ".join(["Syria"] * 333) + "!!!"
    page = search.search_turns(query)
    assert page.total > 0 and len(page.query) == 2000
    assert not page.messages


def test_a_longer_query_is_cut_with_a_message(archive, client):
    page = search.search_turns("Syria " * 500)
    assert page.total > 0 and len(page.query) <= 2000
    assert page.messages == ["Your query has 2,999 characters; only its first 2,000 were searched."]
    response = client.get("/search/", {"q": "Syria " * 1000})
    assert response.status_code == 200
    assert "only its first 2,000 were searched" in response.content.decode()


def test_a_phrase_is_marked_as_one_passage(archive):
    briefing, _ = archive
    page = search.search_turns('"human rights"', SearchFilters(event=briefing.pk))
    snippets = {hit.turn.text[:20]: str(hit.snippet) for hit in page.hits}
    assert snippets["Human rights matter;"].startswith("<mark>Human rights</mark> matter; rights of humans")
    page = search.search_turns("Jean-Pierre", SearchFilters(event=briefing.pk))
    snippets = {hit.turn.text[:20]: str(hit.snippet) for hit in page.hits}
    marked = "Did <mark>Jean Pierre</mark> Raffarin attend the meeting on human rights?"
    assert snippets["Did Jean Pierre Raff"] == marked


def test_words_are_marked_in_all_their_forms(archive):
    briefing, _ = archive
    page = search.search_turns("human rights", SearchFilters(event=briefing.pk))
    snippets = {hit.turn.text[:20]: str(hit.snippet) for hit in page.hits}
    assert snippets["Human rights matter;"].startswith(
        "<mark>Human</mark> <mark>rights</mark> matter; <mark>rights</mark> of <mark>humans</mark>"
    )


def test_prefixes_need_three_letters_and_ranges_are_bounded(archive, settings, client):
    page = search.search_turns("s*")
    assert "needs at least 3 letters" in page.messages[0]
    settings.ARCHIVE_SEARCH_MAX_EXPANSIONS = 3
    page = search.search_turns("co*")
    assert "needs at least 3 letters" in page.messages[0]
    page = search.search_turns("con*")
    assert page.total > 0
    assert page.messages[0].startswith("“con*” matches")
    assert "only the 3 most frequent were searched" in page.messages[0]
    settings.ARCHIVE_SEARCH_MAX_LISTED = 10
    page = search.search_turns("[a TO z]")
    assert page.total == 0 and "too many to search; it was left out" in page.messages[0]
    assert len(page.messages) == 1  # not also "no words to search for": it said which, and why
    content = client.get("/search/", {"q": "[a TO z]"}).content.decode()
    assert "it was left out" in content and "Try fewer words" not in content  # the message says why
    assert "Try fewer words" in client.get("/search/", {"q": "zanzibarian quokkas"}).content.decode()


def test_the_page_explains_what_it_repaired(archive, client):
    content = client.get("/search/", {"q": 'syria\x07iran "unbalanced'}).content.decode()
    assert "Control characters in the query were taken out." in content
    assert "An unmatched quotation mark was ignored." in content


# --- reading the query, without an archive --------------------------------------------------


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("Jean-Pierre", Words("Jean-Pierre")),
        ("Iran OR Iraq nuclear", All((Any((Words("Iran"), Words("Iraq"))), Words("nuclear")))),
        ("Iran NOT Geneva", All((Words("Iran"), Not(Words("Geneva"))))),
        ("Iran -Geneva", All((Words("Iran"), Not(Words("Geneva"))))),
        ("--Iran", Words("Iran")),
        ("iran not geneva", All((Words("iran"), Words("not"), Words("geneva")))),
        ('speaker:"John Kerry" Iran', All((Words("John Kerry", "speaker"), Words("Iran")))),
        ("year:[2010 TO 2015]", Range("2010", "2015", True, True, "year")),
        ("{a TO b]", Range("a", "b", False, True)),
        ("negot*", Prefix("negot")),
        ("ne*", Words("ne")),
        ("AND", None),
        ("OR OR", None),
        ("((((", None),
        ("Iran OR", Words("Iran")),
        ("field:value", Words("field:value")),
        ("Iran^5 Iraq~2", All((Words("Iran"), Words("Iraq")))),
    ],
)
def test_queries_read_as_trees(query, tree):
    assert parse(query).tree == tree, describe(parse(query).tree)


def test_control_characters_and_unbalanced_syntax_are_repaired_not_fatal():
    assert parse("syria\x00iran").tree == All((Words("syria"), Words("iran")))
    assert parse('"unbalanced').messages == ("An unmatched quotation mark was ignored.",)
    assert parse(")Iran").tree == Words("Iran")
    assert parse("").browse and parse(" \x00 ").browse


def test_all_turns_are_found_by_the_empty_query(archive):
    assert search.search_turns("").total == Turn.objects.count()


# --- the filters, one definition from the form to the engine --------------------------------


def test_the_form_builds_the_filters_the_engine_reads():
    import datetime as dt

    from archive.forms import SearchForm

    form = SearchForm(
        {"q": "Iran", "speaker": "john-kerry", "kind": "remarks", "place": "Russia", "year": "2013",
         "date_from": "2013-12-31", "date_to": "2013-01-01", "sort": "oldest", "page": "2"}
    )  # fmt: skip
    arguments = form.search_arguments()
    filters = arguments["filters"]
    assert (arguments["query"], arguments["sort"], arguments["page"]) == ("Iran", "oldest", 2)
    assert filters == SearchFilters(
        speaker="john-kerry", year="2013", kind="remarks", place="russia",
        date_from=dt.date(2013, 1, 1), date_to=dt.date(2013, 12, 31),
    )  # fmt: skip
    assert filters.exact() == [("speaker_slug", "john-kerry"), ("year", "2013"), ("event_kind", "remarks"),
                               ("place", "russia")]  # fmt: skip
    assert filters.params() == {"speaker": "john-kerry", "year": "2013", "kind": "remarks", "place": "russia",
                                "date_from": "2013-01-01", "date_to": "2013-12-31"}  # fmt: skip
    assert filters.applied()[0] == ("speaker", "Speaker: john-kerry", "Remove the speaker filter")
    assert not SearchFilters() and SearchFilters(event=3).exact() == [("event", "3")]


def test_a_filter_that_does_not_validate_is_left_out():
    from archive.forms import SearchForm

    arguments = SearchForm({"q": "Iran", "year": "20x", "speaker": "John Kerry!"}).search_arguments()
    assert arguments["filters"] == SearchFilters()


@pytest.mark.parametrize(
    ("query", "lucene"),
    [
        ("Iran OR Iraq nuclear", "((Iran OR Iraq) AND nuclear)"),
        ("Jean-Pierre", '"Jean-Pierre"'),
        ('say "no\\\\"', '(say AND "no\\\\\\\\")'),
        ('"human rights"', '"human rights"'),
        ("Iran -Geneva", "(Iran AND (*:* AND NOT Geneva))"),
        ('speaker:"John Kerry" negot*', '(speaker:"John Kerry" AND negot*)'),
        ("year:[2010 TO 2015}", "year:[2010 TO 2015}"),
    ],
)
def test_queries_written_out_for_elasticsearch(query, lucene):
    from archive.search.haystack_engine import lucene as written

    assert written(parse(query).tree) == lucene
