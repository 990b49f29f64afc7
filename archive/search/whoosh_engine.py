"""WHOOSH-SPECIFIC CODE: the one place that knows the search engine is Whoosh.

Used when the haystack connection's ENGINE is haystack's Whoosh backend. It keeps haystack's
schema and document format (so haystack's own tools read the same index) but replaces the two
slow paths measured in haystack's backend:

- queries: haystack opens one or two new searchers per query (110-130 ms at 100k turns) and
  restricts to models by scoring a `django_ct` query over every document. Here one searcher per
  process is kept and only refreshed when the index changed, and the few event documents are
  masked out instead.
- writes: haystack's update() opens a searcher for every document (quadratic), and its remove()
  swallows LockError. Here one writer applies a whole batch, and a busy index raises IndexBusy so
  that the caller keeps the work queued.

The live index is a symlink to a versioned folder, so that a full rebuild is written beside it
and swapped in at once while searches go on answering.
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
from pathlib import Path

import numpy as np
from django.conf import settings
from haystack import connections
from haystack.constants import DJANGO_CT, ID
from whoosh import fields as whoosh_fields
from whoosh import highlight, qparser, sorting
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.codec import base as whoosh_codec_base
from whoosh.codec import whoosh3
from whoosh.index import LockError
from whoosh.reading import TermNotFound
from whoosh.support.levenshtein import distance
from whoosh.util import IDCHARS

from archive.search.base import EVENT_CT, TURN_CT, IndexBusy, event_doc_id, turn_doc_id


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


BIG_BATCH = 2000
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}
FACET_FIELDS = ("speaker_slug", "year", "event_kind", "place")


class _CachedColumnCategorizer(sorting.ColumnCategorizer):
    """Reads facet values from a column reader kept per segment: opening one decodes the
    column's index, and Whoosh would do that for every facet of every query."""

    def __init__(self, global_searcher, fieldname, cache):
        super().__init__(global_searcher, fieldname)
        self._cache = cache

    def set_searcher(self, segment_searcher, docoffset):
        reader = segment_searcher.reader()
        key = (getattr(reader, "_segid", id(reader)), self._fieldname)
        if key not in self._cache:
            self._cache[key] = reader.column_reader(self._fieldname, translate=False)
        self._creader = self._cache[key]


class _Facet(sorting.FieldFacet):
    def __init__(self, fieldname, cache):
        super().__init__(fieldname, maptype=sorting.Count)
        self._cache = cache

    def categorizer(self, global_searcher):
        if global_searcher.reader().has_column(self.fieldname):
            return _CachedColumnCategorizer(global_searcher, self.fieldname, self._cache)
        return super().categorizer(global_searcher)


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
        self._browse_facets = {}
        self._columns = {}
        self._parser = None

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
        unified = connections[self.alias].get_unified_index()
        fields = unified.all_searchfields()
        schema = self.backend().build_schema(fields)[1]
        for name, field in fields.items():
            if field.is_multivalued and field.indexed is False and name not in FACET_FIELDS:
                # Exact-value fields (see search_indexes.exact): searchable keywords in Whoosh too.
                schema.remove(name)
                schema.add(name, whoosh_fields.KEYWORD(stored=True, commas=True, scorable=True))
        for name in FACET_FIELDS:
            if name in schema:
                # haystack's keyword fields have no column, so Whoosh would rebuild every facet
                # from the postings of all documents on each query (hundreds of ms); with a
                # column it reads each hit's value directly. Facet fields hold one value each.
                schema.remove(name)
                schema.add(name, whoosh_fields.KEYWORD(stored=True, commas=True, scorable=True, sortable=True))
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
                    self._columns = {}
                elif not self._searcher.up_to_date():
                    self._searcher = self._searcher.refresh()
                    self._columns = {}
            except FileNotFoundError:  # swapped out by a rebuild between two looks: open the new one
                self._index = self._searcher = None
                self._searcher = self.index().searcher()
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

    def parser(self):
        """The query parser for the live index's schema, built once per index opened."""
        index = self.index()
        if self._parser is None or self._parser.schema is not index.schema:
            parser = qparser.QueryParser("text", index.schema, group=qparser.AndGroup)
            parser.add_plugin(qparser.PlusMinusPlugin())
            # Leading wildcards and regular expressions scan the whole term list: prefixes only.
            parser.remove_plugin_class(qparser.WildcardPlugin)
            parser.add_plugin(qparser.PrefixPlugin())
            self._parser = parser
        return self._parser

    def parse(self, query):
        """(query object, messages); None when there is nothing to search for. An empty query
        matches everything (the browse page)."""
        if not query:
            return wq.Every(), []
        try:
            parsed = self.parser().parse(query)
        except Exception:  # Whoosh's parser has edge cases of its own: fall back to the words
            parsed = None
        if parsed is None or parsed is wq.NullQuery:
            words = re.findall(r"\w+", query)
            if not words:
                return None, ["The query has no words to search for."]
            message = "The query’s syntax was not understood; its words were searched for."
            try:
                # lower case: a lone AND, OR or NOT left over is a word here, not an operator
                return self.parser().parse(" ".join(words).lower()), [message]
            except Exception:
                return None, ["The query could not be understood; try plain words."]
        return parsed, []

    def search(self, query, **options):
        """Returns (hits, total, facets): hits are (turn pk, whoosh hit) for the page."""
        try:
            return self._search(query, **options)
        except FileNotFoundError:
            # The folder this process read was swapped out by a rebuild and removed: read the new one.
            with self._lock:
                self._index = self._searcher = None
            return self._search(query, **options)

    def _search(self, query, *, filters, sort, page, per_page, facet_fields, date_from=None, date_to=None):
        searcher = self.searcher()
        conditions = [wq.Term(field, value) for field, value in filters]
        if date_from or date_to:
            start = datetime.datetime.combine(date_from, datetime.time.min) if date_from else None
            end = datetime.datetime.combine(date_to, datetime.time.max) if date_to else None
            conditions.append(wq.DateRange("date", start, end))
        filter_query = wq.And(conditions) if conditions else None
        groupedby = {field: _Facet(field, self._columns) for field in facet_fields}
        kwargs = {"filter": filter_query, "mask": wq.Term(DJANGO_CT, EVENT_CT), "groupedby": groupedby or None}
        if sort in ("newest", "oldest"):
            kwargs["sortedby"] = "date"
            kwargs["reverse"] = sort == "newest"
        if isinstance(query, wq.Every) and "sortedby" not in kwargs:
            kwargs["sortedby"] = "date"
            kwargs["reverse"] = True
        browse = isinstance(query, wq.Every)
        cache_key = (id(searcher), tuple(filters), date_from, date_to, tuple(facet_fields))
        cached = self._browse_facets.get(cache_key) if browse else None
        if cached:
            kwargs["groupedby"] = None  # the browse page's counts change only with the index
        results = searcher.search_page(query, page, pagelen=per_page, **kwargs)
        if cached:
            facets = cached
        else:
            facets = {}
            for field in facet_fields:
                counts = results.results.groups(field)
                facets[field] = sorted(
                    ((value, count) for value, count in counts.items() if value), key=lambda item: (-item[1], item[0])
                )
            if browse:
                if len(self._browse_facets) > 200:
                    self._browse_facets.clear()
                self._browse_facets[cache_key] = facets
        hits = []
        if results.pagenum == page:
            hits = [(int(hit["django_id"]), hit) for hit in results]
        return hits, results.total, facets

    def highlight(self, hit, text, top=3):
        """An HTML snippet of text with the query's terms marked; the text itself is escaped.

        Only a window around the first term found is analysed: highlighting re-tokenises and
        stems the text it is given, and a briefing's long answers cost milliseconds each."""
        lowered = text.lower()
        found = [
            lowered.find(term.decode() if isinstance(term, bytes) else term) for _, term in hit.results.q.all_terms()
        ]
        found = [position for position in found if position >= 0]
        start = max(0, min(found) - 700) if found else 0
        window = text[start : start + 2500]
        if start:
            window = window[window.find(" ") + 1 :]  # begin on a word
        hit.results.fragmenter = highlight.ContextFragmenter(maxchars=300, surround=60)
        hit.results.formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
        return hit.highlights("text", text=window, top=top)

    def suggest(self, query, query_string):
        """The query with each word the index does not know replaced by the closest known word
        (fewest edits, then most documents), or None. Whoosh's own correct_query() walks the
        stemmed term list of every segment when the index has several, and suggests stems."""
        searcher = self.searcher()
        analyzer = searcher.schema["text"].analyzer
        segments = [reader for reader, _ in searcher.reader().leaf_readers()]

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
        """Turns holding the most of the rarest of these words (each counting by its rarity,
        1 + log N/df), best first, shorter turns first among equals: the quote finder's
        candidates. Only the documents of the rarest words are read, up to `budget` postings
        (at least one word's), as plain ids: scoring them one by one makes Whoosh slow."""
        searcher = self.searcher()
        analyzer = searcher.schema["text"].analyzer
        frequencies = {}
        for word in words:
            stems = [token.text for token in analyzer(word)]
            if stems and stems[0] not in frequencies:
                frequencies[stems[0]] = searcher.doc_frequency("text", stems[0])
        chosen, read = [], 0
        for stem, frequency in sorted(((s, f) for s, f in frequencies.items() if f), key=lambda item: item[1]):
            if chosen and (read + frequency > budget or len(chosen) >= rare_words):
                break
            chosen.append((stem, frequency))
            read += frequency
        if not chosen:
            return []
        documents = searcher.doc_count_all()
        scores = np.zeros(documents)
        for stem, frequency in chosen:
            scores[_posting_ids(searcher, "text", stem)] += 1 + math.log(documents / frequency)
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
        backend = self.backend()
        document = search_index.full_prepare(obj)
        document = {key: backend._from_python(value) for key, value in document.items() if key != "boost"}
        # haystack turns empty lists into "", which Whoosh keyword fields accept
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
        # A large batch (a whole corpus ingested) is written by two processes, as a build is.
        options = {"limitmb": 256, "procs": 2, "multisegment": True} if len(documents) > BIG_BATCH else {}
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
            for document in documents:
                writer.add_document(**document)
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
        return folder

    def live_folder(self):
        return os.path.realpath(self.path)

    def build_options(self):
        """Writer settings of a full build: one process per core, each sorting its postings in
        memory up to ARCHIVE_INDEX_BUILD_MB (beyond it, Whoosh spills sorted runs to disk and
        merges them, which makes large builds grow faster than the archive)."""
        return {"limitmb": settings.ARCHIVE_INDEX_BUILD_MB, "procs": os.cpu_count() or 1, "multisegment": True}

    def build(self, documents):
        """Write every document into a fresh folder with one writer; returns the folder."""
        folder = self._new_version()
        index = whoosh_index.open_dir(str(folder))
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

    def discard(self, folder):
        if Path(folder).parent == self.versions_dir:
            shutil.rmtree(folder, ignore_errors=True)
