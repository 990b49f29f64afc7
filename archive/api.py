"""The read-only JSON API under /api/: events, speakers, turns and search. Its OpenAPI schema is
/api/openapi.json (the interactive docs page is off: it would load scripts from a CDN) and
documents every status each operation answers: errors are JSON, `{"detail": ...}`."""

import datetime as dt
import html

from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Query, Schema
from ninja.pagination import PageNumberPagination, paginate

from archive import citations, quotes, search, trends
from archive.forms import EventFilterForm, SearchForm
from archive.models import Event, Speaker, Turn

api = NinjaAPI(
    title="Diplomatic Remarks Archive API",
    version="1",
    description="Read-only access to events, speakers, turns and search. Lists are paginated "
    "(?page=N, from 1; a page past the end is empty). Errors are JSON: 404 `{\"detail\": \"Not Found\"}`, "
    "422 `{\"detail\": [{\"type\", \"loc\", \"msg\"}]}` for a parameter that does not validate.",
    docs_url=None,
    urls_namespace="api",
)


class ErrorOut(Schema):
    detail: str


class InvalidParameterOut(Schema):
    type: str
    loc: list[str | int] = Field(description="Where: e.g. `[\"query\", \"page\"]`.")
    msg: str


class InvalidRequestOut(Schema):
    detail: list[InvalidParameterOut]


NOT_FOUND = {404: ErrorOut}
INVALID = {422: InvalidRequestOut}
MALFORMED = {400: ErrorOut}  # a request body that is not JSON
# Far beyond any archive, and far below what would overflow a database's integers as an offset.
MAX_PAGE = 1_000_000


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=100)


class SpeakerOut(Schema):
    slug: str
    name: str
    kind: str
    title: str
    organisation: str
    url: str

    @staticmethod
    def resolve_url(speaker):
        return speaker.get_absolute_url()


class EventOut(Schema):
    slug: str
    title: str
    kind: str
    date: dt.date | None
    year: int | None
    time: str
    city: str
    country: str
    venue: str
    collection: str
    source_url: str
    source_ref: str
    url: str

    @staticmethod
    def resolve_url(event):
        return event.get_absolute_url()


class TurnOut(Schema):
    id: str
    event: str
    sequence: int
    label: str
    speaker: SpeakerOut | None
    kind: str
    text: str
    language_note: str
    in_reply_to: str | None
    url: str

    @staticmethod
    def resolve_id(turn):
        return turn.public_id

    @staticmethod
    def resolve_event(turn):
        return turn.event.slug

    @staticmethod
    def resolve_in_reply_to(turn):
        return turn.in_reply_to.public_id if turn.in_reply_to_id else None

    @staticmethod
    def resolve_url(turn):
        return turn.get_absolute_url()


class ParticipantOut(Schema):
    speaker: SpeakerOut
    role: str
    title: str


class EventDetailOut(EventOut):
    header_text: str
    trailer_text: str
    participants: list[ParticipantOut]
    turns: list[TurnOut]

    @staticmethod
    def resolve_participants(event):
        return event.participations.select_related("speaker")

    @staticmethod
    def resolve_turns(event):
        return event.turns.select_related("speaker", "event", "in_reply_to").order_by("sequence")


class HitOut(Schema):
    turn: TurnOut
    snippet: str


class SearchOut(Schema):
    query: str
    total: int
    page: int
    num_pages: int
    suggestion: str | None
    messages: list[str]
    partial: bool  # the time budget ran out: total and hits cover part of the archive
    hits: list[HitOut]


@api.get("/events", response={200: list[EventOut], **INVALID}, tags=["events"])
@paginate(Pages, page_size=50)
def list_events(
    request,
    year: int | None = Query(None, ge=1, le=9999),
    kind: str = "",
    place: str = "",
    speaker: str = "",
):
    """Published events, newest first, optionally of one year, kind, place (country) or speaker (a slug,
    or a name that means one speaker only)."""
    form = EventFilterForm({"kind": kind, "place": place, "speaker": speaker})
    events = form.filter(Event.objects.published().newest_first())
    return events.in_year(year) if year else events


@api.get("/events/{slug}", response={200: EventDetailOut, **NOT_FOUND}, tags=["events"])
def get_event(request, slug: str):
    """One event with its participants and all its turns in order."""
    return get_object_or_404(Event.objects.published(), slug=slug)


@api.get("/speakers", response={200: list[SpeakerOut], **INVALID}, tags=["speakers"])
@paginate(Pages, page_size=100)
def list_speakers(request, kind: str = "", letter: str = "", q: str = ""):
    """Speakers known across events with at least one published turn (those the site counts), A to
    Z; `q` keeps those with a word of their name starting with it (the events page's suggestions)."""
    speakers = Speaker.objects.listed().order_by("name", "slug")
    if q:
        speakers = speakers.named_like(q[:100])
    if kind:
        speakers = speakers.of_kind(kind)
    if letter[:1].isalpha():
        speakers = speakers.filter(name__istartswith=letter[:1])
    return speakers


@api.get("/speakers/{slug}", response={200: SpeakerOut, **NOT_FOUND}, tags=["speakers"])
def get_speaker(request, slug: str):
    return get_object_or_404(Speaker, slug=slug)


@api.get("/turns/{public_id}", response={200: TurnOut, **NOT_FOUND}, tags=["turns"])
def get_turn(request, public_id: str):
    """One turn by its permanent id."""
    turns = Turn.objects.published().select_related("speaker", "event", "in_reply_to")
    return get_object_or_404(turns, public_id=public_id)


@api.get("/search", response={200: SearchOut, **INVALID}, tags=["search"])
def search_turns(
    request,
    q: str = "",
    speaker: str = "",
    year: str = "",
    kind: str = "",
    place: str = "",
    date_from: str = "",
    date_to: str = "",
    sort: str = "relevance",
    page: int = 1,
):
    """Turns matching a query (the search page's syntax), 20 a page; filters that do not
    validate are ignored and reported in `messages`."""
    data = {"q": q, "speaker": speaker, "year": year, "kind": kind, "place": place}
    data |= {"date_from": date_from, "date_to": date_to, "sort": sort, "page": page}
    form = SearchForm(data)
    results = search.prioritised(search.search_turns, **form.search_arguments())
    messages = list(results.messages) + [f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()]
    return {
        "query": results.query,
        "total": results.total,
        "page": results.page,
        "num_pages": results.num_pages,
        "suggestion": results.suggestion,
        "messages": messages,
        "partial": results.partial,
        "hits": [{"turn": hit.turn, "snippet": str(hit.snippet)} for hit in results.hits],
    }


class TrendPeriodOut(Schema):
    period: int
    label: str
    turns: int


class TrendSeriesOut(Schema):
    query: str
    counts: list[int]
    per_10000: list[float | None]
    total: int
    outside_periods: int


class TrendOut(Schema):
    unit: str
    year: int | None
    normalised: bool
    per: int
    periods: list[TrendPeriodOut]
    series: list[TrendSeriesOut]
    messages: list[str]


@api.get("/trends", response={200: TrendOut, **INVALID}, tags=["search"])
def get_trends(
    request,
    q: list[str] = Query(...),  # noqa: B008 - django-ninja's way of declaring a repeated parameter
    year: str = "",
    speaker: str = "",
    kind: str = "",
    place: str = "",
    date_from: str = "",
    date_to: str = "",
    per: str = "",
):
    """Matching turns per year (per month with `year`) for up to three queries (`q` repeated),
    with the archive's turns per period and the rate per 10,000 of them; filters as in search."""
    data = {"year": year, "speaker": speaker, "kind": kind, "place": place, "date_from": date_from, "date_to": date_to}
    arguments = SearchForm(data).search_arguments()
    trend = trends.for_queries(q, arguments, normalised=per == "10k")
    if trend is None:
        return {"unit": "year", "year": None, "normalised": False, "per": trends.PER, "periods": [], "series": [],
                "messages": ["Give at least one query: ?q=…"]}  # fmt: skip
    return trends.as_data(trend)


class QuoteIn(Schema):
    quote: str


class QuoteMatchOut(Schema):
    turn: TurnOut
    score: float
    confidence: str
    passage: str
    start: int
    end: int
    citation: str
    same_text: list[str]


class QuoteOut(Schema):
    quote: str
    words: int
    nothing_close: bool
    messages: list[str]
    matches: list[QuoteMatchOut]
    nearest: QuoteMatchOut | None  # when nothing is close: the best passage found all the same


def _quote_match(request, match):
    return {
        "turn": match.turn,
        "score": match.score,
        "confidence": match.confidence,
        "passage": match.passage,
        "start": match.start,
        "end": match.end,
        "citation": html.unescape(citations.for_turn(request, match.turn).chicago),
        "same_text": [turn.public_id for turn in match.same_text],
    }


def _quote_result(request, text):
    result = quotes.find(text)
    return {
        "quote": result.quote,
        "words": result.length,
        "nothing_close": result.nothing_close,
        "messages": result.messages,
        "matches": [_quote_match(request, match) for match in result.matches],
        "nearest": _quote_match(request, result.nearest) if result.nearest else None,
    }


@api.get("/quote", response={200: QuoteOut, **INVALID}, tags=["quote"])
def find_quote(request, q: str):
    """The turns a quotation (5 to 400 words, as remembered or printed elsewhere) comes from, best
    first: the matching passage (character offsets in the turn's text), how close it is (score
    0–100; exact, close or loose), and its Chicago citation. `nothing_close` when nothing is."""
    return _quote_result(request, q)


@api.post("/quote", response={200: QuoteOut, **MALFORMED, **INVALID}, tags=["quote"])
def find_quote_posted(request, body: QuoteIn):
    """As GET /quote, for quotations too long for a URL: {"quote": "…"}."""
    return _quote_result(request, body.quote)
