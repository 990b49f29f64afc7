"""WHOOSH-SPECIFIC: a Whoosh index read as numpy arrays, segment by segment.

Whoosh matches and scores one posting at a time in Python (about 4 µs each); reading a term's
posting blocks straight into arrays costs a small fraction of that. This module owns that
reading, and the per-segment arrays built once when a segment is first seen (a segment's
files never change; only its deletions do):

- `TermPostings`: one term's document numbers and weights, block by block, skipping the blocks
  that hold no document wanted;
- `Segment`: the lengths of the scorable fields, one integer code per document for each
  facet field, the day of each document, which documents are turns, and (per reader) which
  are deleted.

It reads Whoosh 2.7.4's W3 codec (pinned in requirements.txt): each block is a 4-byte length
(negative for the last block), a pickled info tuple, then a zlib-compressed pickle of (delta-
coded ids, weights, values). `tests/test_search_engine.py` holds it to Whoosh's own results.
"""

import datetime as dt
import io
import pickle
import struct
import zlib
from itertools import chain, repeat

import numpy as np
from whoosh.codec.whoosh3 import W3Codec, _lenfield
from whoosh.util.numeric import _length_byte_cache

BLOCK_MAGIC_LENGTH = 4
_INT = struct.Struct("!i")
EPOCH = dt.datetime(1970, 1, 1)
UNDATED = np.iinfo(np.int32).min
# Whoosh's byte-quantised field lengths, as the lengths it scores with.
LENGTH_OF_BYTE = np.array(_length_byte_cache, dtype=np.float64)
EMPTY_IDS = np.zeros(0, dtype=np.int64)


class TermPostings:
    """The postings of one term in one segment."""

    def __init__(self, reader, fieldname, tbytes, check=None):
        self.check = check or (lambda: None)
        try:
            info = reader.term_info(fieldname, tbytes)
        except Exception:  # TermNotFound
            info = None
        self.info = info
        self.doc_frequency = info.doc_frequency() if info else 0
        self._inlined = info.inlined_postings() if info is not None and info.is_inlined() else None
        self._blocks = None
        if info is not None and self._inlined is None:
            offset, length = info.extent()
            if isinstance(length, tuple):  # Whoosh 2.7.4 reads it back as a 1-tuple
                length = length[0]
            self._raw = reader._terms._postfile.get(offset, length)
        self._cache = {}

    def blocks(self):
        """[(last id, data start, data end, compressed)] of every block, read from their headers."""
        if self._blocks is None:
            blocks = []
            if self.info is not None and self._inlined is None:
                raw = self._raw
                stream = io.BytesIO(raw)
                position = BLOCK_MAGIC_LENGTH
                while True:
                    length = _INT.unpack_from(raw, position)[0]
                    last = length < 0
                    end = position + _INT.size + abs(length)
                    stream.seek(position + _INT.size)
                    count, max_id, _, compression, _, _ = pickle.load(stream)
                    blocks.append((max_id, stream.tell(), end, compression))
                    position = end
                    if last:
                        break
            self._blocks = blocks
        return self._blocks

    def _data(self, number):
        """The decoded block: (delta-coded ids, weights: None for all 1, a float for all alike, or
        one per posting)."""
        data = self._cache.get(number)
        if data is None:
            self.check()
            _, start, end, compression = self._blocks[number]
            raw = self._raw[start:end]
            ids, weights, _ = pickle.loads(zlib.decompress(raw) if compression else raw)
            data = (ids, weights)
            if len(self._cache) > 2:  # a window ends inside at most one block
                self._cache.clear()
            self._cache[number] = data
        return data

    def arrays(self, lo=0, hi=None, within=None):
        """(ids, weights) of the documents lo <= id < hi; with `within` (sorted ids), only blocks
        that may hold one of them are decoded (the rest are skipped)."""
        if self.info is None:
            return EMPTY_IDS, np.zeros(0)
        if self._inlined is not None:
            ids, weights, _ = self._inlined
            ids = np.array(ids, dtype=np.int64)
            weights = np.array(weights, dtype=np.float32).astype(np.float64)
        else:
            wanted, previous_max = [], -1
            for number, (max_id, _, _, _) in enumerate(self.blocks()):
                block_lo, previous_max = previous_max + 1, max_id
                if max_id < lo:
                    continue
                if hi is not None and block_lo >= hi:
                    break
                if within is not None:
                    first = np.searchsorted(within, block_lo)
                    if first >= len(within) or within[first] > max_id:
                        continue
                wanted.append(number)
            if not wanted:
                return EMPTY_IDS, np.zeros(0)
            ids, weights = self._decode(wanted)
        if lo or hi is not None:
            keep = (ids >= lo) & (ids < hi) if hi is not None else ids >= lo
            ids, weights = ids[keep], weights[keep]
        return ids, weights

    def _decode(self, numbers):
        """The ids and weights of the blocks numbers, in one array each: each block's ids are
        delta-coded from 0, so its first delta is made relative to the block before, and one
        cumulative sum restores them all."""
        data = [self._data(number) for number in numbers]
        counts = [len(ids) for ids, _ in data]
        total = sum(counts)
        deltas = np.fromiter(chain.from_iterable(ids for ids, _ in data), dtype=np.int64, count=total)
        starts = np.cumsum(counts[:-1])
        if len(starts):
            deltas[starts] -= np.array([self._blocks[number][0] for number in numbers[:-1]], dtype=np.int64)
        weights = np.fromiter(
            chain.from_iterable(
                repeat(1.0, count) if w is None else repeat(w, count) if isinstance(w, float) else w
                for (_, w), count in zip(data, counts, strict=True)
            ),
            dtype=np.float32,
            count=total,
        )
        return np.cumsum(deltas), weights.astype(np.float64)


class Segment:
    """Arrays of one segment, built on first use and kept while the segment lives."""

    def __init__(self, reader):
        self.doc_count = reader.doc_count_all()
        self._lengths = {}
        self._columns = {}
        self._codes = {}
        self._masks = {}
        self._days = None

    def lengths(self, reader, fieldname, ids):
        """The lengths in fieldname of the documents ids, as Whoosh scores them (it keeps one byte
        per document, a logarithmic approximation; so does this, one byte per document)."""
        raw = self._lengths.get(fieldname)
        if raw is None:
            per_doc = reader._perdoc
            column = _lenfield(fieldname)
            raw = np.zeros(self.doc_count, dtype=np.uint8)
            if per_doc.has_column(column):
                colfile, offset, length = per_doc._get_column_file(column)
                count = min(length, self.doc_count)  # one byte per document (LENGTHS_COLUMN)
                raw[:count] = np.frombuffer(colfile.get(offset, count), dtype=np.uint8)
            self._lengths[fieldname] = raw
        return LENGTH_OF_BYTE[raw[ids]]

    def column(self, reader, fieldname, dtype):
        """A numeric column (NumericColumn: fixed-size big-endian values) as an array."""
        values = self._columns.get(fieldname)
        if values is None:
            values = np.zeros(self.doc_count, dtype=dtype)
            per_doc = reader._perdoc
            if per_doc.has_column(fieldname):
                colfile, offset, length = per_doc._get_column_file(fieldname)
                count = min(length // values.itemsize, self.doc_count)
                values[:count] = np.frombuffer(colfile.get(offset, count * values.itemsize), dtype=dtype)
            self._columns[fieldname] = values
        return values

    def codes(self, reader, fieldname):
        """(one int32 code per document, the values the codes stand for); -1: no value."""
        codes = self._codes.get(fieldname)
        if codes is None:
            array = np.full(self.doc_count, -1, dtype=np.int32)
            values = []
            for tbytes, _ in reader.iter_field(fieldname):
                ids, _ = TermPostings(reader, fieldname, tbytes).arrays()
                array[ids] = len(values)
                values.append(tbytes.decode("utf-8"))
            codes = (array, values)
            self._codes[fieldname] = codes
        return codes

    def term_mask(self, reader, fieldname, value):
        """A boolean per document: holds the term (kept for the few terms asked again and
        again: which documents are turns)."""
        key = (fieldname, value)
        mask = self._masks.get(key)
        if mask is None:
            mask = np.zeros(self.doc_count, dtype=bool)
            ids, _ = TermPostings(reader, fieldname, value.encode("utf-8")).arrays()
            mask[ids] = True
            if len(self._masks) < 8:
                self._masks[key] = mask
        return mask

    def days(self, reader, fieldname="date"):
        """Each document's date as days since 1970-01-01 (UNDATED where it has none)."""
        if self._days is None:
            days = np.full(self.doc_count, UNDATED, dtype=np.int32)
            field = reader.schema[fieldname]
            epoch_day = EPOCH.date().toordinal()
            for (name, tbytes), _ in reader._terms.items_from(fieldname, b""):
                if name != fieldname:
                    break
                if field.shift_step and tbytes[0] != 0:  # only the full-precision terms
                    continue
                value = field.from_bytes(tbytes)
                ids, _ = TermPostings(reader, fieldname, tbytes).arrays()
                days[ids] = value.date().toordinal() - epoch_day
            self._days = days
        return self._days


def deleted_mask(reader, doc_count):
    mask = np.zeros(doc_count, dtype=bool)
    if reader.has_deletions():
        deleted = np.fromiter(reader._perdoc.deleted_docs(), dtype=np.int64)
        mask[deleted[deleted < doc_count]] = True
    return mask


def day_number(date):
    return date.toordinal() - EPOCH.date().toordinal()


def column_filename(segment, fieldname):  # for tests that look at the files
    return W3Codec.column_filename(segment, fieldname)


def _ordinal(terms, fieldname, tbytes):
    """How many keys of a segment's term index come before (fieldname, tbytes): a binary search of
    its sorted key array, as Whoosh's closest_key_pos does, returning the place, not the key."""
    index = terms._tindex
    key = terms._keycoder(fieldname, tbytes)
    lo, hi = 0, index.indexlen
    while lo < hi:
        mid = (lo + hi) // 2
        if index.key_at(index._get_pos(index.indexbase + mid * index.indexsize)) < key:
            lo = mid + 1
        else:
            hi = mid
    return lo


def count_terms(searcher, fieldname, start, stop):
    """At most how many distinct terms of fieldname lie in [start, stop) (bytes): the largest
    count of any segment is a floor, their sum a ceiling; this returns the floor, found by two
    binary searches per segment, without reading a term."""
    most = 0
    for reader, _ in searcher.reader().leaf_readers():
        if reader.doc_count_all() and fieldname in reader.schema:
            terms = reader._terms
            most = max(most, _ordinal(terms, fieldname, stop) - _ordinal(terms, fieldname, start))
    return most


def field_terms(searcher, fieldname, start, stop, *, include_start=True, include_stop=True, limit):
    """{term bytes: documents} of the terms of fieldname from start to stop (bytes; a prefix when
    stop is start + b"\\xff"), summed over the segments, read straight from each segment's term
    index (no term info decoded); None when there are more than limit."""
    from whoosh.codec.whoosh3 import W3TermInfo

    if count_terms(searcher, fieldname, start, stop + b"\x00") > limit:
        return None  # known at once, before any term is read
    found = {}
    for reader, _ in searcher.reader().leaf_readers():
        if not reader.doc_count_all():
            continue
        cursor = reader.cursor(fieldname)
        text = cursor.find(start)
        while text is not None:
            tbytes = text.encode("utf-8") if isinstance(text, str) else text
            if tbytes > stop or (tbytes == stop and not include_stop):
                break
            if include_start or tbytes != start:
                count = W3TermInfo.read_doc_freq(cursor._tindex.dbfile, cursor._datapos)
                found[tbytes] = found.get(tbytes, 0) + count
                if len(found) > limit:
                    return None
            text = cursor.next()
    return found
