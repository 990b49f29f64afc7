"""WHOOSH-SPECIFIC CODE: the search engine when the haystack connection is Whoosh's.

It keeps haystack's document format (haystack's own tools read the same index) and writes and
reads the index itself:

- reading: one searcher per process, refreshed only when the index changed; queries are
  searched with numpy over the posting arrays (`whoosh_search`, `whoosh_arrays`), snippets
  marked by `whoosh_highlight`;
- writing: one writer applies a whole batch (haystack's update() opens a searcher per
  document), a busy index raises IndexBusy so that the caller keeps the work queued, and one
  drain at a time holds the index from reading the queue to committing; `whoosh_writing` makes
  Whoosh's writer write the same index in half the time;
- rebuilding: the live index is a symlink to a versioned folder; a full rebuild writes a new
  folder beside it while a marker file (the builder's pid and the last task it read) tells
  concurrent drains which tasks the new index will hold, then the link is swapped at once.

The modules named whoosh_* are the only code that imports Whoosh.
"""

import contextlib
import datetime
import fcntl
import math
import os
import re
import secrets
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from haystack import connections
from haystack.constants import DJANGO_CT, ID
from whoosh import fields as whoosh_fields
from whoosh import formats
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.analysis import BiWordFilter
from whoosh.codec import base as whoosh_codec_base
from whoosh.codec import whoosh3
from whoosh.index import LockError
from whoosh.reading import TermNotFound
from whoosh.support.levenshtein import distance
from whoosh.util import IDCHARS

from archive.search import whoosh_writing
from archive.search.base import TURN_CT, Found, IndexBusy, event_doc_id, turn_doc_id
from archive.search.budget import Crowded, lower_priority
from archive.search.filters import FACETS
from archive.search.whoosh_highlight import snippet as highlight_snippet
from archive.search.whoosh_search import (
    BIGRAMS,
    WORDS,
    Compiler,
    Conditions,
    Limits,
    Segments,
    cost,
    field_codes,
    marks,
    run,
)


def _cached_reader(self, fieldname, column):
    # Whoosh 2.7.4 caches a per-document column reader only when the column exists, so for every
    # field without lengths (IDs, keywords) each posting written costs a stat() of a missing file:
    # about half of a full build's time. Remember the absence too; a finished segment's columns
    # never change.
    try:
        return self._readers[fieldname]
    except KeyError:
        reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
        self._readers[fieldname] = reader
        return reader


whoosh3.W3PerDocReader._cached_reader = _cached_reader

_SEGMENT_IDS = secrets.SystemRandom()


def _random_segment_id(cls, size=16):
    # Whoosh names new segments with the global `random` module: any code that seeds it (a test
    # framework does, before every example) makes two writers pick the same name, and the
    # second commit fails on the first one's files. The operating system's randomness cannot
    # be re-seeded.
    return "".join(_SEGMENT_IDS.choice(IDCHARS) for _ in range(size))


whoosh_codec_base.Segment._random_id = classmethod(_random_segment_id)
whoosh_writing.install()


BIG_BATCH = 2000
OPERATORS = {"AND", "OR", "NOT", "TO"}
FACET_FIELDS = tuple(facet.field for facet in FACETS)


def _posting_ids(searcher, fieldname, text):
    """The document numbers holding a term, deleted ones included (callers check), read a block
    at a time: Whoosh's all_ids() takes a Python call per posting."""
    chunks = []
    for leaf, offset in searcher.reader().leaf_readers():
        try:
            matcher = leaf.postings(fieldname, text)
        except TermNotFound:
            continue
        matcher = getattr(matcher, "child", matcher)  # the deletions filter
        if hasattr(matcher, "_read_ids"):  # W3LeafMatcher (Whoosh 2.7.4, pinned)
            while matcher.is_active():
                if matcher._ids is None:
                    matcher._read_ids()
                chunks.append(np.asarray(matcher._ids, dtype=np.int64) + offset)
                matcher._next_block()
        else:  # postings inlined in the term list
            chunks.append(np.fromiter(matcher.all_ids(), dtype=np.int64) + offset)
    return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)


class WhooshEngine:
    name = "whoosh"

    def __init__(self, alias="default"):
        self.alias = alias
        self.path = Path(connections[alias].options["PATH"])
        self._lock = threading.Lock()
        self._index = None
        self._index_dir = None
        self._searcher = None
        self._segments = Segments()

    # --- layout -------------------------------------------------------------------------

    @property
    def versions_dir(self):
        return self.path.with_name(self.path.name + ".versions")

    @property
    def marker(self):
        """Present while a full rebuild runs; holds the last task id the rebuild reads from the database."""
        return self.path.with_name(self.path.name + ".building")

    def backend(self):
        return connections[self.alias].get_backend()

    def schema(self):
        """haystack's schema for the documents, with what this engine's search reads:

        - `text` keeps term frequencies but not positions: phrases are found and scored through
          `bigrams` (the same words, stemmed and without stop words, in pairs, with their
          frequencies), and positions were most of the postings' size and decoding time;
        - exact-value fields are keywords, and the facet fields hold one value per document;
        - no text column: nothing sorts by text (haystack makes text sortable); a column of each
          turn's own length in words instead, for ranking."""
        unified = connections[self.alias].get_unified_index()
        fields = unified.all_searchfields()
        schema = self.backend().build_schema(fields)[1]
        for name, field in fields.items():
            if field.is_multivalued and field.indexed is False:
                # Exact-value fields (see search_indexes.exact): searchable keywords in Whoosh too.
                schema.remove(name)
                schema.add(name, whoosh_fields.KEYWORD(stored=True, commas=True, scorable=True))
        analyzer = schema["text"].analyzer
        schema.remove("text")
        schema.add("text", whoosh_fields.TEXT(analyzer=analyzer, phrase=False, stored=True, spelling=True))
        schema.remove("speaker")
        schema.add("speaker", whoosh_fields.TEXT(analyzer=analyzer, stored=True))
        schema.add(BIGRAMS, whoosh_fields.FieldType(formats.Frequency(), analyzer | BiWordFilter(sep=" ")))
        schema.remove(WORDS)
        schema.add(WORDS, whoosh_fields.NUMERIC(numtype=int, bits=32, signed=False, sortable=True))
        return schema

    def _new_version(self):
        self.versions_dir.mkdir(parents=True, exist_ok=True)
        folder = self.versions_dir / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}"
        folder.mkdir()
        whoosh_index.create_in(str(folder), self.schema())
        return folder

    def _point_live_at(self, folder):
        link = self.path.with_name(f"{self.path.name}.new-link-{os.getpid()}-{threading.get_ident()}")
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(folder)
        os.replace(link, self.path)

    def ensure(self):
        """Create an empty live index on first use (or adopt a plain folder left by haystack)."""
        # Only this engine makes the symlink, and always to a complete index; reading the index
        # through the link here could race with a rebuild swapping it.
        if self.path.is_symlink():
            return
        with self._lock:
            if self.path.is_symlink():
                return
            if self.path.is_dir() and not self.path.is_symlink():
                self.versions_dir.mkdir(parents=True, exist_ok=True)
                adopted = self.versions_dir / "adopted"
                shutil.rmtree(adopted, ignore_errors=True)
                self.path.rename(adopted)
                if not whoosh_index.exists_in(str(adopted)):
                    whoosh_index.create_in(str(adopted), self.schema())
                self._point_live_at(adopted)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._point_live_at(self._new_version())

    def index(self):
        self.ensure()
        real = os.path.realpath(self.path)
        if self._index is None or self._index_dir != real:
            self._index = whoosh_index.open_dir(real)
            self._index_dir = real
            self._searcher = None
        return self._index

    # --- reading --------------------------------------------------------------------------

    def searcher(self):
        """This process's searcher, refreshed only when the index changed (cheap otherwise)."""
        with self._lock:
            index = self.index()
            try:
                if self._searcher is None:
                    self._searcher = index.searcher()
                elif not self._searcher.up_to_date():
                    self._searcher = self._searcher.refresh()
            except FileNotFoundError:  # swapped out by a rebuild between two looks: open the new one
                self._index = self._searcher = None
                self._searcher = self.index().searcher()
            self._segments.refresh(self._searcher)
            return self._searcher

    def version(self):
        """Changes whenever the live index does: a rebuild swapped in, or a commit to it."""
        self.ensure()
        index = self.index()
        return f"{self._index_dir}:{index.latest_generation()}"

    def health(self):
        """Raises when the live index cannot be read; else its number of documents."""
        self.ensure()  # outside searcher()'s lock, which ensure() takes itself
        return self.searcher().doc_count()

    def outdated(self):
        """An index written before word pairs were indexed with their frequencies (and text
        positions dropped)."""
        self.ensure()
        schema = self.index().schema
        return (
            BIGRAMS not in schema
            or WORDS not in schema
            or not schema[BIGRAMS].format.supports("frequency")
            or schema["text"].format.supports("positions")
        )

    def search(self, query, filters, *, sort, start, count, budget):
        try:
            return self._search(query, filters, sort=sort, start=start, count=count, budget=budget)
        except FileNotFoundError:
            # The folder this process read was swapped out by a rebuild and removed: read the new one.
            with self._lock:
                self._index = self._searcher = None
            return self._search(query, filters, sort=sort, start=start, count=count, budget=budget)

    def _search(self, query, filters, *, sort, start, count, budget):
        searcher = self.searcher()
        messages = []
        limits = Limits(settings.ARCHIVE_SEARCH_MAX_EXPANSIONS, settings.ARCHIVE_SEARCH_MAX_LISTED)
        plan = Compiler(searcher, limits, messages).compile(query.tree)
        if messages:  # a wildcard or range matched more words than are searched: it asks for much
            lower_priority()
        if plan is None:
            if not query.browse and not messages:  # else a message says what was left out, and why
                messages.append("The query has no words to search for (only very common words like “the”).")
            return Found([], 0, {name: [] for name in FACET_FIELDS}, messages)
        try:
            budget.admit(cost(plan))
        except Crowded:
            messages.append(
                "The archive is busy with other long searches, so this one was not run. "
                "Try again in a moment, or narrow it (a phrase, fewer common words, a filter)."
            )
            return Found([], 0, {name: [] for name in FACET_FIELDS}, messages, partial=True)
        conditions = Conditions(filters.exact(), filters.date_from, filters.date_to)
        if query.browse and sort == "relevance":
            sort = "newest"
        collected = run(
            plan, searcher, self._segments, conditions,
            sort=sort, wanted=start + count, tallies={name: field_codes(name) for name in FACET_FIELDS},
            check=budget.check,
            short_words=settings.ARCHIVE_SEARCH_SHORT_TURN_WORDS,
        )  # fmt: skip
        facets = {
            name: sorted(((value, n) for value, n in counts.items() if value), key=lambda item: (-item[1], item[0]))
            for name, counts in collected.facets.items()
        }
        reader = searcher.reader()
        to_mark = marks(plan), searcher.schema["text"].analyzer
        hits = []
        for _, docnum, score in collected.best[start : start + count]:
            stored = reader.stored_fields(docnum)
            hits.append((int(stored["django_id"]), WhooshHit(docnum, score, *to_mark)))
        if collected.partial:
            share = collected.searched / max(1, reader.doc_count_all())
            why = "the archive is busy with other long searches" if budget.crowded else "it took too long"
            messages.append(
                f"Partial results: the search stopped after {budget.elapsed():.1f} s because {why}, having "
                f"searched {share:.0%} of the archive. Narrow it (a phrase, fewer common words, a filter), "
                "or try again in a moment, to search everything."
            )
        return Found(hits, collected.total, facets, messages, partial=collected.partial)

    def snippet(self, query, hit, text):
        """An HTML snippet of text with the query's words and phrases marked; the text escaped."""
        return highlight_snippet(text, hit.marks, hit.analyzer)

    def suggest(self, query):
        """The query with each word the index does not know replaced by the closest known word
        (fewest edits, then most documents), or None. Whoosh's own correct_query() walks the
        stemmed term list of every segment when the index has several, and suggests stems."""
        searcher = self.searcher()
        analyzer = searcher.schema["text"].analyzer
        segments = [reader for reader, _ in searcher.reader().leaf_readers()]
        query_string = query.text

        def frequency(word):
            stems = [token.text for token in analyzer(word)]
            return searcher.doc_frequency("text", stems[0]) if stems else 0

        suggestion = query_string
        for word in set(re.findall(r"(?<![\w:*])[^\W\d_]{3,24}(?![\w:*])", query_string)):
            lower = word.lower()
            if word in OPERATORS or not list(analyzer(lower)) or frequency(lower):
                continue  # an operator, a stop word nobody searches for, or a known word
            candidates = set()
            for reader in segments:
                candidates.update(reader.terms_within("text", lower, 2, prefix=1))
            candidates.discard(lower)
            if candidates:
                best = min(candidates, key=lambda c: (distance(c, lower), -frequency(c), c))
                suggestion = re.sub(rf"(?<![\w:*]){re.escape(word)}(?![\w:*])", best, suggestion)
        return suggestion if suggestion != query_string else None

    def quote_candidates(self, words, limit, rare_words=10, budget=25_000):
        """Turns holding the most of the rarest of these words and of their word pairs (each
        counting by its rarity, 1 + log N/df), best first, shorter turns first among equals: the
        quote finder's candidates. A pair (two words standing side by side, stop words aside) tells
        a short quotation of common words apart where its words alone do not. Only the documents
        of the rarest words and pairs are read, up to `budget` postings (at least one's), as plain
        ids: scoring them one by one makes Whoosh slow."""
        searcher = self.searcher()
        text = " ".join(words)
        features = {}  # (field, term) -> documents holding it
        for field_name in ("text", BIGRAMS) if BIGRAMS in searcher.schema else ("text",):
            for token in searcher.schema[field_name].analyzer(text):
                key = (field_name, token.text)
                if key not in features:
                    features[key] = searcher.doc_frequency(field_name, token.text)
        chosen, read, counts = [], 0, {"text": 0, BIGRAMS: 0}
        for (field_name, term), frequency in sorted(
            ((key, f) for key, f in features.items() if f), key=lambda item: (item[1], item[0])
        ):
            if chosen and read + frequency > budget:
                break
            if counts[field_name] >= rare_words:
                continue
            chosen.append((field_name, term, frequency))
            counts[field_name] += 1
            read += frequency
        if not chosen:
            return []
        documents = searcher.doc_count_all()
        scores = np.zeros(documents)
        for field_name, term, frequency in chosen:
            scores[_posting_ids(searcher, field_name, term)] += 1 + math.log(documents / frequency)
        best = np.flatnonzero(scores)
        if len(best) > 200:
            best = best[np.argpartition(-scores[best], 199)[:200]]
        reader = searcher.reader()
        ranked = sorted(best.tolist(), key=lambda doc: (-scores[doc], reader.doc_field_length(doc, "text")))
        pks = []
        for doc in ranked:
            if reader.is_deleted(doc):
                continue
            fields = reader.stored_fields(doc)
            if fields.get(DJANGO_CT) == TURN_CT:
                pks.append(int(fields["django_id"]))
                if len(pks) == limit:
                    break
        return pks

    def more_like(self, turn_pk, text, top):
        searcher = self.searcher()
        docnum = searcher.document_number(**{ID: turn_doc_id(turn_pk)})
        if docnum is None:
            return []
        hits = searcher.more_like(docnum, "text", text=text, top=top, filter=wq.Term(DJANGO_CT, TURN_CT))
        return [int(hit["django_id"]) for hit in hits]

    def stored_documents(self):
        """{doc id: stored fields} of every document, for check_index."""
        searcher = self.searcher()
        return {fields[ID]: fields for fields in searcher.all_stored_fields()}

    # --- writing --------------------------------------------------------------------------

    def prepare(self, search_index, obj):
        """haystack's document for obj, its values as haystack's Whoosh backend writes them
        (_from_python: strings as they are, lists joined by commas, dates as datetimes)."""
        prepared = search_index.full_prepare(obj)
        document = {key: _whoosh_value(value) for key, value in prepared.items() if key != "boost"}
        if "text" in document and document.get(DJANGO_CT) == TURN_CT:
            document[BIGRAMS] = document["text"]
        return document

    @contextlib.contextmanager
    def exclusive(self, timeout):
        """Held by one drain at a time, across processes, from reading the queue and the database
        to committing the index: otherwise a drain that read older rows could commit after one
        that read newer rows, leaving the older text in the index with its task gone."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".drain-lock"), "a") as lock:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise IndexBusy("another process is updating the search index") from None
                    time.sleep(0.02)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def write(self, documents, delete_ids=(), delete_events=(), timeout=5.0):
        """Apply one batch through one writer and commit it. Raises IndexBusy when the writer is
        held elsewhere. Returns the folder written to, so that the caller can tell whether a
        rebuild swapped the live index meanwhile."""
        index = self.index()
        folder = self._index_dir
        # A large batch (a whole corpus ingested) is written as a build is: one process per core,
        # its postings kept in memory (spilled to disk, they are written a posting at a time).
        big = len(documents) > BIG_BATCH
        options = self.build_options() if big else {"codec": whoosh_writing.codec()}
        with whoosh_writing.collector_paused() if big else contextlib.nullcontext():
            self._apply(index, options, documents, delete_ids, delete_events, timeout)
        return folder

    def _apply(self, index, options, documents, delete_ids, delete_events, timeout):
        try:
            writer = index.writer(timeout=timeout, **options)
        except LockError:
            raise IndexBusy(f"the search index at {self.path} is locked by another writer") from None
        except FileNotFoundError:
            self._index = None  # a rebuild swapped this folder out and removed it meanwhile
            raise IndexBusy("the search index was replaced by a rebuild; try again") from None
        try:
            # One searcher for all deletions: update_document() would open one per document.
            searcher = writer.searcher()
            try:
                for event_pk in delete_events:
                    writer.delete_by_term("event", str(event_pk), searcher=searcher)
                    writer.delete_by_term(ID, event_doc_id(event_pk), searcher=searcher)
                for doc_id in set(delete_ids) | {document[ID] for document in documents}:
                    writer.delete_by_term(ID, doc_id, searcher=searcher)
            finally:
                searcher.close()
            known = index.schema.names()  # an index written by an older version lacks newer fields
            for document in documents:
                writer.add_document(**{name: value for name, value in document.items() if name in known})
            writer.commit()
        except FileNotFoundError:
            # A rebuild swapped this folder out and removed it while the batch was written: the
            # batch never reached the live index, so its tasks stay queued.
            with contextlib.suppress(OSError):
                writer.cancel()
            self._index = None
            raise IndexBusy("the search index was replaced by a rebuild; try again") from None
        except BaseException:
            writer.cancel()
            raise

    def live_folder(self):
        return os.path.realpath(self.path)

    def is_live(self, written):
        return written is not None and written == self.live_folder()

    def rebuild_mark(self):
        """The task id up to which a running rebuild reads the database, or None when none runs."""
        try:
            pid, mark = (int(part) for part in self.marker.read_text().split())
        except (OSError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            self.marker.unlink(missing_ok=True)  # a rebuild that died: its marker no longer holds
            return None
        except PermissionError:
            pass
        return mark

    def build_options(self):
        """Writer settings of a full build (and of a large batch): one process per core, each
        keeping its postings in memory up to ARCHIVE_INDEX_BUILD_MB (beyond it, the pool spills
        sorted runs to disk and merges them, which makes large builds grow faster than the archive)."""
        return {
            "limitmb": settings.ARCHIVE_INDEX_BUILD_MB,
            "procs": os.cpu_count() or 1,
            "multisegment": True,
            "codec": whoosh_writing.codec(),
        }

    def rebuild(self, documents, *, mark, swap_timeout):
        """Write documents into a fresh folder and swap it in; the marker tells concurrent drains
        meanwhile that tasks after mark must stay queued for the new index. Returns the old folder."""
        self.ensure()
        self.marker.write_text(f"{os.getpid()} {mark}")
        try:
            folder = self.build(documents)
            return self.swap(folder, timeout=swap_timeout)
        finally:
            self.marker.unlink(missing_ok=True)

    def build(self, documents):
        """Write every document into a fresh folder with one writer; returns the folder."""
        folder = self._new_version()
        index = whoosh_index.open_dir(str(folder))
        with whoosh_writing.collector_paused():
            writer = index.writer(**self.build_options())
            try:
                for document in documents:
                    writer.add_document(**document)
            except BaseException:
                writer.cancel()
                shutil.rmtree(folder, ignore_errors=True)
                raise
            writer.commit()
        return folder

    def swap(self, folder, timeout):
        """Point the live index at folder, holding the live writer lock so that no writer is
        halfway through a batch on the old one. Returns the old folder."""
        old = self.live_folder()
        index = self.index()
        try:
            writer = index.writer(timeout=timeout)
        except LockError:
            raise IndexBusy("could not take the index writer to swap in the rebuilt index") from None
        try:
            self._point_live_at(folder)
        finally:
            writer.cancel()
        return old

    def retire(self, old):
        if Path(old).parent == self.versions_dir and Path(old) != Path(self.live_folder()):
            shutil.rmtree(old, ignore_errors=True)


def _whoosh_value(value):
    # haystack's WhooshSearchBackend._from_python, with the common case (a string) first: a full
    # build converts some ten values for each of its documents.
    if isinstance(value, str) or isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if isinstance(value, list | tuple):
        return ",".join(str(item) for item in value)
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass
class WhooshHit:
    docnum: int
    score: float
    marks: object  # what to mark in its snippet (whoosh_highlight.Marks)
    analyzer: object
