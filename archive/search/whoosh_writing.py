"""WHOOSH-SPECIFIC: writing the index faster than Whoosh 2.7.4 does by itself, to the same terms.

Installed once, when the Whoosh engine is imported (before a writer forks its processes):

- analysis: Whoosh analyses a turn's text three times as it indexes it (its words, its spelling
  words, its word pairs), each time through a chain of Python generators, about a third of a
  build. The standard chain (tokenizer, lower case, stop words, stemmer) is run once per text
  instead, as one regular-expression scan (`whoosh_text.FastText`), and each of the three takes
  its terms from that scan, with the same frequencies, weights and order Whoosh gives them.
  Any other analyzer, and anything but indexing, goes through Whoosh as before.
- pool: Whoosh keeps one tuple per posting and sorts them all (2.6 million for the shipped
  corpus) when it writes a segment; `TermPool` keeps them grouped by term as they come, in
  document order, so that only the terms are sorted, and spills sorted runs to disk beyond the
  memory limit as Whoosh's pool does.
- postings: written a term at a time (Whoosh makes five calls and checks per posting), and a
  term with fewer than `INLINE_LIMIT` postings (most word pairs occur once) is kept inside its
  entry in the term list, not in a block of its own in the postings file. Whoosh has that path
  but never takes it (its writer calls the term entry's method by a wrong name, `set_inline`),
  and a segment merge would then fail on the inlined postings of fields that keep no values
  (Whoosh's reader gives them a value of `''`, not `b''`): both are repaired here, and the
  engine's reader (`whoosh_arrays`) reads such terms.
- memory: the garbage collector is paused while a large batch is written (`collector_paused`).

`tests/test_search_engine.py` holds the index written this way to the one Whoosh writes alone.
"""

import contextlib
import gc
import threading
from array import array
from collections import Counter
from itertools import pairwise

from whoosh import fields as whoosh_fields
from whoosh import formats
from whoosh import writing as whoosh_writing
from whoosh.analysis import BiWordFilter, CompositeAnalyzer
from whoosh.codec import whoosh3
from whoosh.system import pack_uint, pack_ushort

from archive.search.whoosh_text import fast_text

INLINE_LIMIT = 4
_PACKED = [pack_uint(freq) for freq in range(256)]

WHOOSH_INDEX = whoosh_fields.FieldType.index
WHOOSH_SPELLABLE_WORDS = whoosh_fields.FieldType.spellable_words
WHOOSH_FINISH_POSTINGS = whoosh3.W3PostingsWriter.finish_postings
WHOOSH_POOL = whoosh_writing.PostingPool
WHOOSH_ADD_POSTINGS = whoosh3.W3FieldWriter.add_postings


_CHAINS = {}
_last = threading.local()  # per thread: (chain key, text, its scan), see _scan


def _chain(analyzer):
    """(FastText of the standard chain, separator of its word pairs or None, the chain's key) of
    a field's analyzer, or None when it is not the standard chain (with BiWordFilter or not).
    The key names the chain's own filter objects, which the text and word-pair fields share."""
    found = _CHAINS.get(id(analyzer))
    if found is None or found[0] is not analyzer:
        items = list(getattr(analyzer, "items", ()))
        sep = None
        if items and isinstance(items[-1], BiWordFilter):
            sep = items.pop().sep
        chain = CompositeAnalyzer(*items) if items else analyzer
        fast = fast_text(chain)
        if len(_CHAINS) > 16:
            _CHAINS.clear()
        found = _CHAINS[id(analyzer)] = (analyzer, (fast, sep, tuple(map(id, items))) if fast.fast else None)
    return found[1]


def _scan(fast, key, text):
    """(lower-cased words, their analysed forms) of the words of text the index keeps. A
    document's text is indexed as its word pairs, its words and its spelling words one after
    the other: the last scan serves all three."""
    last = getattr(_last, "scan", None)
    if last is None or last[0] != key or last[1] != text:
        last = _last.scan = (key, text, fast.words_and_forms(text))
    return last[2]


def index(self, value, **kwargs):
    """FieldType.index (a field's terms in a document: their bytes, frequencies, weights and
    values) for a text of a field with frequencies, from one scan of the text per document."""
    if not kwargs and isinstance(value, str) and type(self.format) is formats.Frequency:
        chain = _chain(self.analyzer)
        if chain is not None:
            fast, sep, key = chain
            forms = _scan(fast, key, value)[1]
            if sep is not None:
                # BiWordFilter: each word with the next; a lone word stands for itself.
                forms = [first + sep + second for first, second in pairwise(forms)] if len(forms) > 1 else forms
            boost = self.format.field_boost
            return [
                (form.encode("utf-8"), freq, float(freq) * boost, _PACKED[freq] if freq < 256 else pack_uint(freq))
                for form, freq in Counter(forms).items()
            ]
    return WHOOSH_INDEX(self, value, **kwargs)


def spellable_words(self, value):
    """FieldType.spellable_words (the words unstemmed), from the same scan."""
    chain = _chain(self.analyzer) if isinstance(value, str) and self.analyzer is not None else None
    if chain is not None and chain[1] is None:
        fast, _, key = chain
        return iter(sorted(set(_scan(fast, key, value)[0])))
    return WHOOSH_SPELLABLE_WORDS(self, value)


def finish_postings(self):
    """W3PostingsWriter.finish_postings with its inline branch repaired."""
    terminfo = self._terminfo
    if not self.written() and len(self) < self._inlinelimit:
        terminfo.add_block(self)
        # A format without values (Existence) stores none; as bytes, so that a merge reads them.
        terminfo.set_inlined(self._ids, self._weights, self._values or [b""] * len(self._ids))
    else:
        if self._ids:
            self._write_block(last=True)
        terminfo.set_extent(self._startoffset, self._postfile.tell() - self._startoffset)
    self._terminfo = None
    return terminfo


class TermPool(whoosh_writing.PostingPool):
    """Whoosh's pool of postings, kept grouped by term as they are added: Whoosh keeps one tuple
    per posting and sorts them all when the segment is written, where only the terms need
    sorting (a term's postings arrive in document order). Beyond the memory limit the pool
    spills sorted runs to disk and merges them as Whoosh's does."""

    POSTING_BYTES = 170  # what Whoosh's pool counts for a posting of a short term

    def __init__(self, tempstore, segment, limitmb=128, **kwargs):
        super().__init__(tempstore, segment, limitmb=limitmb, **kwargs)
        self._fields = {}  # field name: {term bytes: [(document number, weight, value bytes)]}
        self._count = 0
        self._room = max(1, self.limit // self.POSTING_BYTES)

    def add(self, item):
        fieldname, tbytes, docnum, weight, vbytes = item
        terms = self._fields.get(fieldname)
        if terms is None:
            terms = self._fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        postings = terms.get(tbytes)
        if postings is None:
            terms[tbytes] = [(docnum, weight, vbytes)]
        else:
            postings.append((docnum, weight, vbytes))
        self._count += 1
        if self._count >= self._room:
            self.save()

    def _sorted(self):
        """The postings as Whoosh's pool sorts them: by field, term, document, weight, value."""
        fields = self._fields
        for fieldname in sorted(fields):
            terms = fields[fieldname]
            for tbytes in sorted(terms):
                postings = terms[tbytes]
                postings.sort()
                for docnum, weight, vbytes in postings:
                    yield fieldname, tbytes, docnum, weight, vbytes

    def save(self):
        if self._count:
            self.current = list(self._sorted())
            self._fields, self._count = {}, 0
            super().save()

    def items(self, maxfiles=128):
        if not self.runs:
            return Grouped(self._fields, self._sorted())
        self.save()
        return super().items(maxfiles)


class Grouped:
    """A pool's postings in order, and the same grouped by field and term (for add_postings)."""

    def __init__(self, fields, postings):
        self.fields = fields
        self._postings = postings

    def __iter__(self):
        return iter(self._postings)


def add_postings(self, schema, lengths, items):
    """W3FieldWriter.add_postings, a term at a time when the postings come grouped by term:
    Whoosh's takes five calls and checks per posting."""
    if not isinstance(items, Grouped):
        return WHOOSH_ADD_POSTINGS(self, schema, lengths, items)
    doc_count = lengths.doc_count_all() if lengths else 0
    for fieldname in sorted(items.fields):
        terms = items.fields[fieldname]
        self.start_field(fieldname, schema[fieldname])
        if lengths:
            of_doc = [lengths.doc_field_length(docnum, fieldname) for docnum in range(doc_count)]
        writer, limit = self._postwriter, self._postwriter._blocklimit
        key_prefix = pack_ushort(self._fieldid)
        for tbytes in sorted(terms):
            postings = terms[tbytes]
            postings.sort()
            if len(postings) < writer._inlinelimit:
                self._tindex.add(key_prefix + tbytes, _inlined(postings, of_doc if lengths else None))
                continue
            self.start_term(tbytes)
            for start in range(0, len(postings), limit):
                if len(writer._ids) >= limit:
                    writer._write_block()
                chunk = postings[start : start + limit]
                ids = [docnum for docnum, _, _ in chunk]
                weights = [weight for _, weight, _ in chunk]
                writer._ids.extend(ids)
                writer._weights.extend(weights)
                writer._maxweight = max(writer._maxweight, max(weights))
                writer._values.extend(vbytes for _, _, vbytes in chunk if vbytes)
                if lengths:
                    found = [length for length in map(of_doc.__getitem__, ids) if length]
                    if found:
                        shortest = min(found)
                        if writer._minlength is None or shortest < writer._minlength:
                            writer._minlength = shortest
                        writer._maxlength = max(writer._maxlength, max(found))
            self.finish_term()
        self.finish_field()


@contextlib.contextmanager
def collector_paused():
    """The garbage collector paused while a large batch is written: the pool's millions of
    postings are live until the segment is written, and each full collection would walk them
    all again (a sixth of a whole-corpus build). Whoosh's writing makes no reference cycles
    worth collecting meanwhile."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def codec():
    """The codec of every writer: Whoosh's, with short posting lists inlined."""
    return whoosh3.W3Codec(inlinelimit=INLINE_LIMIT)


def _inlined(postings, of_doc):
    """The term entry (as bytes) of a term whose few postings it holds itself: what Whoosh's
    start_term, add_posting, finish_postings (above) and to_bytes make of them."""
    info = whoosh3.W3TermInfo()
    ids = [docnum for docnum, _, _ in postings]
    weights = array("f", [weight for _, weight, _ in postings])
    found = [length for length in map(of_doc.__getitem__, ids) if length] if of_doc else ()
    info._weight = sum(weights)
    info._df = len(ids)
    info._minlength = min(found) if found else None
    info._maxlength = max(found) if found else 0
    info._maxweight = max(0, max(weight for _, weight, _ in postings))
    info._minid, info._maxid = ids[0], ids[-1]
    values = [vbytes for _, _, vbytes in postings if vbytes] or [b""] * len(ids)
    info._inlined = (tuple(ids), tuple(weights), tuple(values))
    return info.to_bytes()


def _put(functions):
    (
        whoosh_fields.FieldType.index,
        whoosh_fields.FieldType.spellable_words,
        whoosh3.W3PostingsWriter.finish_postings,
        whoosh_writing.PostingPool,
        whoosh3.W3FieldWriter.add_postings,
    ) = functions


def install():
    _put((index, spellable_words, finish_postings, TermPool, add_postings))


@contextlib.contextmanager
def whoosh_alone():
    """Whoosh's own writing meanwhile (with its own codec, see codec()), for the benchmark and
    the tests that hold this module to it."""
    _put((WHOOSH_INDEX, WHOOSH_SPELLABLE_WORDS, WHOOSH_FINISH_POSTINGS, WHOOSH_POOL, WHOOSH_ADD_POSTINGS))
    try:
        yield
    finally:
        install()
