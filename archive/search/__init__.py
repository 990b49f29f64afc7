"""The search seam: the only code that talks to the search engine.

Doors:
- reading: `search_turns(query, filters, sort=, page=)` for the search page, the API and the
  feeds; `more_like_this(turn)`;
- writing: `enqueue_event` / `enqueue_turns` / `enqueue_speaker` record what changed, in the
  caller's database transaction; `drain()` applies queued changes through one index writer,
  one drain at a time from reading the queue to committing (a busy index leaves them queued:
  nothing is dropped); `drain_soon()` does so in the background with retries; `rebuild()`
  writes a fresh index beside the live one and swaps it in; `check()` compares the index with
  the database.

What a search takes is defined once: the query language in `query`, the filters, facets and
sorts in `filters`, the time budget in `budget`. Engines implement `base.SearchEngine`: Whoosh
(embedded, the default) through `whoosh_engine`, any other haystack backend (Elasticsearch 7,
Solr) through `haystack_engine`.
"""

import hashlib
import logging
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db import connections as databases
from django.db.models import Max, Q
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from haystack import connections

from archive.models import Event, IndexTask, Speaker, Turn
from archive.search import query as query_language
from archive.search.base import IndexBusy, SearchEngine, event_doc_id, turn_doc_id
from archive.search.budget import Budget, Slots, lowerable
from archive.search.filters import FACET_LIMIT, FACETS, PER_PAGE, SORTS, SearchFilters

__all__ = [
    "FACETS",
    "IndexBusy",
    "SORTS",
    "SearchFilters",
    "SearchPage",
    "cache_key",
    "check",
    "drain",
    "drain_soon",
    "enqueue_event",
    "enqueue_speaker",
    "enqueue_turns",
    "health",
    "more_like_this",
    "prioritised",
    "rebuild",
    "search_budget",
    "search_turns",
    "version",
]

logger = logging.getLogger(__name__)

SUGGEST_BELOW = 3  # "Did you mean" only when fewer turns match
UNSHOWN_EVENT_FIELDS = ("event__header_text", "event__trailer_text", "event__ingest_notes")

_engine = None
_engine_lock = threading.Lock()


def engine() -> SearchEngine:
    """The engine for the configured haystack connection, one per process."""
    global _engine
    with _engine_lock:
        if _engine is None:
            # THE ONE ENGINE CHOICE: Whoosh gets its own fast path; every other haystack backend
            # (Elasticsearch 7, Solr) goes through haystack's generic API.
            if connections["default"].options["ENGINE"].endswith("whoosh_backend.WhooshEngine"):
                from archive.search.whoosh_engine import WhooshEngine

                _engine = WhooshEngine()
            else:
                from archive.search.haystack_engine import HaystackEngine

                _engine = HaystackEngine()
        return _engine


def reset_engine():
    """Forget the cached engine (tests that point the index elsewhere)."""
    global _engine
    with _engine_lock:
        _engine = None


def version():
    """Changes whenever the live index does; None when the engine cannot tell."""
    return engine().version()


def cache_key(*parts):
    """A cache key for something derived from the live index (a results page), valid until
    the index changes; None when the engine cannot tell (then nothing is cached)."""
    version = engine().version()
    if version is None:
        return None
    digest = hashlib.sha256("\n".join([version, *map(str, parts)]).encode()).hexdigest()
    return f"search:{digest}"


def health():
    """The number of documents in the live index; raises when the index cannot be searched."""
    return engine().health()


# --- writing ------------------------------------------------------------------------------


def enqueue_event(event_pk):
    IndexTask.objects.create(kind=IndexTask.Kind.EVENT, object_id=event_pk)


def enqueue_turns(turn_pks):
    IndexTask.objects.bulk_create(IndexTask(kind=IndexTask.Kind.TURN, object_id=pk) for pk in turn_pks)


def enqueue_speaker(speaker_pk):
    """A renamed or merged speaker: all their turns' documents change."""
    IndexTask.objects.create(kind=IndexTask.Kind.SPEAKER, object_id=speaker_pk)


def _indexes():
    unified = connections["default"].get_unified_index()
    return unified.get_index(Turn), unified.get_index(Event)


def _documents(tasks):
    """(documents to write, document ids to delete, events whose documents to delete) for tasks."""
    event_pks = {task.object_id for task in tasks if task.kind == IndexTask.Kind.EVENT}
    turn_pks = {task.object_id for task in tasks if task.kind == IndexTask.Kind.TURN}
    speaker_pks = {task.object_id for task in tasks if task.kind == IndexTask.Kind.SPEAKER}
    if speaker_pks:
        turn_pks |= set(Turn.objects.filter(speaker_id__in=speaker_pks).values_list("pk", flat=True))
    turn_index, event_index = _indexes()
    current = engine()
    documents = [current.prepare(event_index, event) for event in event_index.index_queryset().filter(pk__in=event_pks)]
    turns = turn_index.index_queryset().filter(Q(event_id__in=event_pks) | Q(pk__in=turn_pks))
    documents += [current.prepare(turn_index, turn) for turn in turns]
    return documents, [turn_doc_id(pk) for pk in turn_pks], sorted(event_pks)


def drain(timeout=5.0, batch=500):
    """Apply every queued change through one index writer; returns how many tasks were applied.

    Raises IndexBusy when another process holds the writer for longer than timeout: the tasks
    stay queued. Tasks are deleted only after the index committed them, and only if they
    reached the index that is live (a rebuild may have swapped it meanwhile)."""
    current = engine()
    current.ensure()
    applied = 0
    while True:
        # Queue, database and index in one held turn: see the engine's exclusive().
        with current.exclusive(timeout):
            tasks = list(IndexTask.objects.order_by("pk")[:batch])
            if not tasks:
                return applied
            documents, delete_ids, delete_events = _documents(tasks)
            written = current.write(documents, delete_ids=delete_ids, delete_events=delete_events, timeout=timeout)
            # The rebuild's mark first, then the live index: see rebuild() for the order it keeps.
            mark = current.rebuild_mark()
            done = [task.pk for task in tasks]
            if mark is not None:
                done = [pk for pk in done if pk <= mark]
            elif not current.is_live(written):
                done = []
            IndexTask.objects.filter(pk__in=done).delete()
        applied += len(done)
        if len(done) < len(tasks):
            return applied  # the rest waits for the rebuild to finish


def drain_soon(attempts=8):
    """Drain in a background thread once the current transaction commits, retrying with
    back-off while the index is busy. Whatever still fails stays queued for the next drain
    (`manage.py update_search_index`, the next ingest or edit)."""

    def run():
        delay = 0.5
        for _ in range(attempts):
            try:
                drain(timeout=2.0)
                return
            except IndexBusy:
                time.sleep(delay)
                delay = min(delay * 2, 30)
            except Exception:
                logger.exception("background index update failed; the changes stay queued")
                return
            finally:
                if settings.ARCHIVE_INDEX_IN_BACKGROUND:
                    connection.close()  # the thread's own connection

    def start():
        if settings.ARCHIVE_INDEX_IN_BACKGROUND:
            threading.Thread(target=run, name="archive-index-drain", daemon=True).start()
        else:
            run()

    transaction.on_commit(start)


def rebuild(progress=lambda iterable, **kwargs: iterable, swap_timeout=300.0):
    """Write every published event and turn into a fresh index and swap it in; searches keep
    answering from the old index meanwhile. Returns the number of documents written.

    Order that keeps concurrent drains safe: (1) the engine records the last queued task id
    (the mark), (2) reads the database and builds, (3) swaps the live index and forgets the
    mark; then (4) the tasks the build already read are dropped and the rest drained into the
    new index."""
    current = engine()
    current.ensure()
    mark = IndexTask.objects.aggregate(last=Max("pk"))["last"] or 0
    turn_index, event_index = _indexes()
    turns = turn_index.index_queryset().order_by("pk")
    total = turns.count() + event_index.index_queryset().count()

    def documents():
        for event in event_index.index_queryset().iterator(chunk_size=500):
            yield current.prepare(event_index, event)
        for turn in turns.iterator(chunk_size=2000):
            yield current.prepare(turn_index, turn)

    documents = progress(documents(), total=total, desc="Indexing", unit="doc")
    old = current.rebuild(documents, mark=mark, swap_timeout=swap_timeout)
    IndexTask.objects.filter(pk__lte=mark).delete()
    drain(timeout=swap_timeout)
    current.retire(old)
    return total


@dataclass
class Drift:
    missing: list = field(default_factory=list)  # turn pks not in the index
    stale: list = field(default_factory=list)  # turn pks whose document differs
    extra: list = field(default_factory=list)  # document ids with no published turn or event
    queued: int = 0
    outdated: bool = False  # written by an older version of the engine: rebuild it

    @property
    def total(self):
        return len(self.missing) + len(self.stale) + len(self.extra) + int(self.outdated)


CHECKED_FIELDS = ("text", "speaker", "speaker_slug", "speaker_kind", "kind", "event", "event_kind", "year", "place")


def check():
    """Compare the index with the database: every published turn present with its current
    text and fields, nothing else there."""
    current = engine()
    current.ensure()
    stored = current.stored_documents()
    turn_index, event_index = _indexes()
    drift = Drift(queued=IndexTask.objects.count(), outdated=current.outdated())
    expected_ids = set()
    for turn in turn_index.index_queryset().iterator(chunk_size=2000):
        doc_id = turn_doc_id(turn.pk)
        expected_ids.add(doc_id)
        document = stored.get(doc_id)
        if document is None:
            drift.missing.append(turn.pk)
            continue
        prepared = turn_index.full_prepare(turn)
        if any(_normal(prepared.get(name)) != _normal(document.get(name)) for name in CHECKED_FIELDS) or (
            _normal_date(prepared.get("date")) != _normal_date(document.get("date"))
        ):
            drift.stale.append(turn.pk)
    expected_ids |= {event_doc_id(pk) for pk in event_index.index_queryset().values_list("pk", flat=True)}
    drift.extra = sorted(doc_id for doc_id in stored if doc_id not in expected_ids)
    return drift


def _normal(value):
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return str(value)


def _normal_date(value):
    return value.strftime("%Y-%m-%d") if value else ""


# --- reading ------------------------------------------------------------------------------


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Hit:
    turn: Turn
    snippet: str


@dataclass
class SearchPage:
    query: str
    filters: SearchFilters
    sort: str
    hits: list
    total: int
    page: int
    num_pages: int
    facets: list  # (Facet, [FacetValue])
    suggestion: str | None = None
    messages: list = field(default_factory=list)
    partial: bool = False
    years: list = field(default_factory=list)  # (year, matching turns) over all matches: the trend chart

    def applied(self):
        """The filters set, as filters.applied() lists them, with the names the facets give."""
        return self.filters.applied({facet.param: {v.value: v.label for v in values} for facet, values in self.facets})

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.num_pages


NO_FILTERS = SearchFilters()


def search_turns(query="", filters=NO_FILTERS, *, sort="relevance", page=1):
    """One page of turns matching a query and filters, with facets, snippets, a suggestion when
    few turns match, and messages about anything in the query that was repaired or left out."""
    parsed = query_language.parse(query, max_length=settings.ARCHIVE_SEARCH_MAX_QUERY_CHARS)
    sort = sort if sort in SORTS else "relevance"
    current = engine()
    current.ensure()
    page = max(1, page)
    with search_budget() as budget:
        found = current.search(parsed, filters, sort=sort, start=(page - 1) * PER_PAGE, count=PER_PAGE, budget=budget)
        num_pages = max(1, -(-found.total // PER_PAGE))
        if page > num_pages:  # past the last page: show the last
            page = num_pages
            start = (page - 1) * PER_PAGE
            found = current.search(parsed, filters, sort=sort, start=start, count=PER_PAGE, budget=budget)
    turns = Turn.objects.select_related("speaker", "event", "in_reply_to__speaker")
    turns = turns.defer(*UNSHOWN_EVENT_FIELDS).in_bulk([pk for pk, _ in found.hits])
    hits = []
    for pk, raw in found.hits:
        turn = turns.get(pk)
        if turn is None:
            continue  # deleted since it was indexed; the queued change will remove it
        snippet = current.snippet(parsed, raw, turn.text) if not parsed.browse else ""
        hits.append(Hit(turn, mark_safe(snippet)))  # noqa: S308 - the engine escapes the text
    suggestion = current.suggest(parsed) if not parsed.browse and found.total < SUGGEST_BELOW else None
    return SearchPage(
        query=parsed.text,
        filters=filters,
        sort=sort,
        hits=hits,
        total=found.total,
        page=page,
        num_pages=num_pages,
        facets=_facets(found.facets, filters),
        suggestion=suggestion,
        messages=[*parsed.messages, *found.messages],
        partial=found.partial,
        years=found.facets.get("year", []),
    )


def prioritised(function, *args, **kwargs):
    """function(*args, **kwargs), for a request that searches: run so that, once one of its
    searches turns out heavy, the rest of the request (its page included) yields the CPU to plain
    searches (budget.lowerable). It uses this thread's database connections, as Django's live
    server threads do, while this thread waits."""
    shared = {wrapper.alias: wrapper for wrapper in databases.all()}
    for wrapper in shared.values():
        wrapper.inc_thread_sharing()
    try:
        return lowerable(_with_databases, shared, function, args, kwargs)
    finally:
        for wrapper in shared.values():
            wrapper.dec_thread_sharing()


def _with_databases(shared, function, args, kwargs):
    for alias, wrapper in shared.items():
        databases[alias] = wrapper
    return function(*args, **kwargs)


def search_budget():
    """The time budget of one search (the ARCHIVE_SEARCH_* settings): for every search the seam makes."""
    return Budget(
        settings.ARCHIVE_SEARCH_SECONDS,
        heavy_postings=settings.ARCHIVE_SEARCH_HEAVY_POSTINGS,
        shared_seconds=settings.ARCHIVE_SEARCH_SHARED_SECONDS,
        slots=Slots(settings.DATA_DIR / "search-slots", settings.ARCHIVE_SEARCH_HEAVY_SLOTS),
    )


_places = {}


def _place_names(values):
    """{slug: country as printed} of the archive's places, read again when the index changes."""
    version = engine().version()
    if _places.get("version") != version or version is None:
        countries = Event.objects.order_by().values_list("country", flat=True).distinct()
        _places.clear()
        _places.update(version=version, names={slugify(c): c for c in countries})
    return _places["names"]


def _facets(raw, filters):
    labels = {
        "speaker_slug": lambda values: dict(Speaker.objects.filter(slug__in=values).values_list("slug", "name")),
        "event_kind": lambda values: dict(Event.Kind.choices),
        "place": _place_names,
        "year": lambda values: {v: v for v in values},
    }
    facets = []
    for facet in FACETS:
        counts = raw.get(facet.field, [])[:FACET_LIMIT]
        names = labels[facet.field]([value for value, _ in counts])
        selected = filters.selected(facet)
        values = [FacetValue(value, names.get(value, value), count, selected == value) for value, count in counts]
        if facet.field == "year":
            values.sort(key=lambda item: item.value, reverse=True)
        facets.append((facet, values))
    return facets


def more_like_this(turn, top=5):
    """Turns like this one, most alike first."""
    pks = engine().more_like(turn.pk, turn.text, top)
    turns = Turn.objects.published().select_related("speaker", "event").in_bulk(pks)
    return [turns[pk] for pk in pks if pk in turns]
