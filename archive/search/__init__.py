"""The search seam: the only code that talks to the search engine.

Doors:
- reading: `search_turns(...)` for the search page, `more_like_this(turn)`;
- writing: `enqueue_event` / `enqueue_turns` / `enqueue_speaker` record what changed, in the
  caller's database transaction; `drain()` applies queued changes through one index writer,
  one drain at a time from reading the queue to committing (a busy index leaves them queued:
  nothing is dropped); `drain_soon()` does so in the
  background with retries; `rebuild()` writes a fresh index beside the live one and swaps it in;
  `check()` compares the index with the database.

Engines: Whoosh (embedded, the default) through `whoosh_engine`, the one Whoosh-specific
module; any other haystack backend (Elasticsearch 7, Solr) through `haystack_engine`.
"""

import hashlib
import logging
import os
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from haystack import connections

from archive.models import Event, IndexTask, Speaker, Turn
from archive.search.base import IndexBusy, event_doc_id, turn_doc_id

__all__ = [
    "IndexBusy",
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
    "rebuild",
    "search_turns",
]

logger = logging.getLogger(__name__)

PER_PAGE = 20
MAX_QUERY_LENGTH = 500
FACETS = [("speaker_slug", "Speaker"), ("year", "Year"), ("event_kind", "Kind of event"), ("place", "Place")]
FACET_LIMIT = 15
SORTS = {"relevance": "Relevance", "newest": "Newest first", "oldest": "Oldest first"}

_engine = None
_engine_lock = threading.Lock()


def engine():
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


def _rebuild_mark():
    """The task id up to which a running rebuild reads the database, or None when none runs."""
    marker = getattr(engine(), "marker", None)
    if marker is None:
        return None
    try:
        pid, mark = (int(part) for part in marker.read_text().split())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        marker.unlink(missing_ok=True)  # a rebuild that died: its marker no longer holds
        return None
    except PermissionError:
        pass
    return mark


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
            folder = current.write(documents, delete_ids=delete_ids, delete_events=delete_events, timeout=timeout)
            # The marker first, then the live folder: see rebuild() for the order it keeps.
            mark = _rebuild_mark()
            done = [task.pk for task in tasks]
            if mark is not None:
                done = [pk for pk in done if pk <= mark]
            elif folder is not None and folder != current.live_folder():
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

    Order that keeps concurrent drains safe: (1) the marker with the last queued task id,
    (2) read the database and build, (3) swap the live index, (4) remove the marker, (5) drop
    the tasks the build already read and drain the rest into the new index."""
    current = engine()
    current.ensure()
    if not hasattr(current, "build"):
        raise NotImplementedError("rebuild with haystack's rebuild_index on this engine")
    mark = IndexTask.objects.aggregate(last=Max("pk"))["last"] or 0
    current.marker.write_text(f"{os.getpid()} {mark}")
    try:
        turn_index, event_index = _indexes()
        turns = turn_index.index_queryset().order_by("pk")
        total = turns.count() + event_index.index_queryset().count()

        def documents():
            for event in event_index.index_queryset().iterator(chunk_size=500):
                yield current.prepare(event_index, event)
            for turn in turns.iterator(chunk_size=2000):
                yield current.prepare(turn_index, turn)

        folder = current.build(progress(documents(), total=total, desc="Indexing", unit="doc"))
        old = current.swap(folder, timeout=swap_timeout)
    finally:
        current.marker.unlink(missing_ok=True)
    IndexTask.objects.filter(pk__lte=mark).delete()
    drain(timeout=swap_timeout)
    if Path(old) != Path(folder):
        current.discard(old)
    return total


@dataclass
class Drift:
    missing: list = field(default_factory=list)  # turn pks not in the index
    stale: list = field(default_factory=list)  # turn pks whose document differs
    extra: list = field(default_factory=list)  # document ids with no published turn or event
    queued: int = 0

    @property
    def total(self):
        return len(self.missing) + len(self.stale) + len(self.extra)


CHECKED_FIELDS = ("text", "speaker", "speaker_slug", "speaker_kind", "kind", "event", "event_kind", "year", "place")


def check():
    """Compare the index with the database: every published turn present with its current
    text and fields, nothing else there."""
    current = engine()
    current.ensure()
    stored = current.stored_documents()
    turn_index, event_index = _indexes()
    drift = Drift(queued=IndexTask.objects.count())
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
    hits: list
    total: int
    page: int
    num_pages: int
    facets: list  # (field, title, [FacetValue])
    suggestion: str | None = None
    messages: list = field(default_factory=list)
    years: list = field(default_factory=list)  # (year, matching turns) over all matches: the trend chart

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.num_pages


def clean_query(query):
    """(query, messages): control characters removed, length bounded, quotes balanced."""
    messages = []
    query = re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", query or "")
    query = " ".join(query.split())
    if len(query) > MAX_QUERY_LENGTH:
        query = query[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0]
        messages.append(f"Your query was shortened to its first {MAX_QUERY_LENGTH} characters.")
    if query.count('"') % 2:
        query = query[::-1].replace('"', "", 1)[::-1]
        messages.append("An unmatched quotation mark was ignored.")
    return query, messages


def search_turns(
    query="",
    *,
    speaker=None,
    year=None,
    event_kind=None,
    place=None,
    event=None,
    date_from=None,
    date_to=None,
    sort="relevance",
    page=1,
):
    """One page of turns matching a query and filters, with facets, snippets and a suggestion."""
    query, messages = clean_query(query)
    selected = {"speaker_slug": speaker, "year": year, "event_kind": event_kind, "place": place}
    filters = [(name, value) for name, value in selected.items() if value]
    if event:
        filters.append(("event", str(event)))
    current = engine()
    parsed, parse_messages = current.parse(query)
    messages += parse_messages
    if parsed is None:
        return SearchPage(query, [], 0, 1, 1, [], None, messages)
    current.ensure()
    page = max(1, page)
    raw_hits, total, raw_facets = current.search(
        parsed,
        filters=filters,
        sort=sort if sort in SORTS else "relevance",
        page=page,
        per_page=PER_PAGE,
        facet_fields=[name for name, _ in FACETS],
        date_from=date_from,
        date_to=date_to,
    )
    turns = Turn.objects.select_related("speaker", "event", "in_reply_to__speaker").in_bulk([pk for pk, _ in raw_hits])
    hits = []
    for pk, raw in raw_hits:
        turn = turns.get(pk)
        if turn is None:
            continue  # deleted since it was indexed; the queued change will remove it
        snippet = current.highlight(raw, turn.text) if query else ""
        hits.append(Hit(turn, mark_safe(snippet)))  # noqa: S308 - the engine escapes the text
    suggestion = None
    if query and total < 3:
        suggestion = current.suggest(parsed, query)
    num_pages = max(1, -(-total // PER_PAGE))
    if page > num_pages:
        return search_turns(
            query, speaker=speaker, year=year, event_kind=event_kind, place=place, event=event,
            date_from=date_from, date_to=date_to, sort=sort, page=num_pages,
        )  # fmt: skip
    facets = _facets(raw_facets, selected)
    years = raw_facets.get("year", [])
    return SearchPage(query, hits, total, page, num_pages, facets, suggestion, messages, years)


def _facets(raw, selected):
    labels = {
        "speaker_slug": lambda values: dict(Speaker.objects.filter(slug__in=values).values_list("slug", "name")),
        "event_kind": lambda values: dict(Event.Kind.choices),
        "place": lambda values: {slugify(c): c for c in Event.objects.values_list("country", flat=True).distinct()},
        "year": lambda values: {v: v for v in values},
    }
    facets = []
    for name, title in FACETS:
        counts = raw.get(name, [])[:FACET_LIMIT]
        names = labels[name]([value for value, _ in counts])
        values = [
            FacetValue(value, names.get(value, value), count, selected.get(name) == value) for value, count in counts
        ]
        if name == "year":
            values.sort(key=lambda item: item.value, reverse=True)
        facets.append((name, title, values))
    return facets


def more_like_this(turn, top=5):
    """Turns like this one, most alike first."""
    pks = engine().more_like(turn.pk, turn.text, top)
    turns = Turn.objects.published().select_related("speaker", "event").in_bulk(pks)
    return [turns[pk] for pk in pks if pk in turns]
