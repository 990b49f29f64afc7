"""WHOOSH-SPECIFIC: a query tree (archive.search.query) searched over a Whoosh index with numpy.

`compile_query` turns the tree into a plan of terms, phrases and groups, with the statistics
each needs from the whole index; `run` evaluates the plan window by window (a window is a range
of one segment's document numbers), keeps the best hits, counts the facets and the total, and
stops cleanly when the time budget is spent, with the windows done so far.

Scores are Whoosh's BM25F (same idf, average lengths and byte-quantised lengths), added up in
the order Whoosh's matcher tree adds them, so the order of the hits is Whoosh's own
(`tests/test_search_engine.py` compares them). A phrase is found through the word-pair field
(`BIGRAMS`): a two-word phrase is one posting list; for a longer one the pairs give the
candidates and the stored text of each candidate decides. Prefixes and ranges are expanded
over the index's words, within limits, and score 1 as Whoosh's do.
"""

import re
from dataclasses import dataclass, field

import numpy as np
from whoosh import fields as whoosh_fields
from whoosh.util import make_weighted_tree

from archive.search import query as q
from archive.search.budget import OutOfTime
from archive.search.whoosh_arrays import UNDATED, Segment, TermPostings, day_number, deleted_mask, field_terms
from archive.search.whoosh_highlight import Marks
from archive.search.whoosh_text import fast_text

BIGRAMS = "bigrams"
WORDS = "words"
WINDOW = 1 << 16
B, K1 = 0.75, 1.2  # Whoosh's BM25F defaults, as the searcher's weighting uses them


# --- the plan -------------------------------------------------------------------------------


@dataclass
class Term:
    field: str
    tbytes: bytes
    size: int
    idf: float = 0.0
    avgfl: float = 1.0
    scorable: bool = True
    lengths: str = ""  # the field whose lengths score it (word pairs: the text's); "" = field
    kind = "leaf"


@dataclass
class Terms:
    """Any of several terms (an expanded prefix or range), each match scoring 1."""

    field: str
    terms: list
    size: int
    kind = "list"


@dataclass
class Phrase:
    field: str
    words: list  # Term per word, in order
    pairs: list  # word-pair terms (BIGRAMS), or [] when the field has none
    tokens: list  # the analysed words, to check a candidate's text
    size: int
    kind = "span"


@dataclass
class Without:
    """Inside an AllOf: the documents of part are left out (and the rest score 1, as in Whoosh)."""

    part: object
    size: int = 0
    kind = "inverse"


@dataclass
class AllOf:
    parts: list  # in the query's order; some may be Without
    size: int = 0
    kind = "intersection"


@dataclass
class AnyOf:
    parts: list
    size: int = 0
    kind = "union"


@dataclass
class Everything:
    size: int = 0
    kind = "every"


class _Slot:
    """Stands for a matcher in Whoosh's make_weighted_tree, comparing as Whoosh's matchers do
    (by class only), so that the tree, and the order in which scores are added, is Whoosh's."""

    def __init__(self, kind, index=None, left=None, right=None):
        self.kind, self.index, self.left, self.right = kind, index, left, right

    def __lt__(self, other):
        return isinstance(other, _Slot) and other.kind == self.kind

    def __eq__(self, other):
        return isinstance(other, _Slot) and other.kind == self.kind

    __hash__ = object.__hash__


def _sum_tree(weights, kinds, joined_kind):
    """The binary tree Whoosh builds to add its sub-matchers' scores (make_weighted_tree)."""
    slots = [(weight, _Slot(kind, index)) for index, (weight, kind) in enumerate(zip(weights, kinds, strict=True))]
    if len(slots) == 1:
        return slots[0][1]
    return make_weighted_tree(lambda a, b: _Slot(joined_kind, left=a, right=b), slots)


def _binary_tree(count, joined_kind="intersection"):
    """Whoosh's make_binary_tree over count matchers (phrases add their words this way)."""

    def build(lo, hi):
        if hi - lo == 1:
            return _Slot("leaf", lo)
        half = (hi - lo) // 2
        return _Slot(joined_kind, left=build(lo, lo + half), right=build(lo + half, hi))

    return build(0, count)


def _add(tree, arrays):
    if tree.index is not None:
        return arrays[tree.index]
    return _add(tree.left, arrays) + _add(tree.right, arrays)


@dataclass
class Limits:
    max_expansions: int = 200
    max_listed: int = 2000


class Compiler:
    """Turns a query tree into a plan for one searcher (whose statistics it reads)."""

    def __init__(self, searcher, limits, messages):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.schema = searcher.schema
        self.limits = limits
        self.messages = messages
        self.doc_count = self.reader.doc_count()

    def compile(self, tree):
        if tree is None:
            return Everything(self.doc_count)
        return self._node(tree)

    def _node(self, tree):
        if isinstance(tree, q.Words):
            return self._words(tree)
        if isinstance(tree, q.Prefix):
            return self._expansion(tree, self._prefix_terms(tree), f"{tree.text}*")
        if isinstance(tree, q.Range):
            return self._expansion(tree, self._range_terms(tree), q.describe(tree))
        if isinstance(tree, q.Not):  # alone: every turn but those
            inner = self._node(tree.part)
            if inner is None:
                return None
            return AllOf([Everything(self.doc_count), Without(inner, self.doc_count)], self.doc_count)
        if isinstance(tree, q.All):
            parts = []
            for sub in tree.parts:
                node = self._node(sub.part) if isinstance(sub, q.Not) else self._node(sub)
                if node is not None:
                    parts.append(Without(node, self.doc_count) if isinstance(sub, q.Not) else node)
            if not any(not isinstance(part, Without) for part in parts):
                if not parts:
                    return None
                parts.insert(0, Everything(self.doc_count))
            if len(parts) == 1:
                return parts[0]
            return AllOf(parts, min(part.size for part in parts))
        if isinstance(tree, q.Any):
            parts = [node for node in map(self._node, tree.parts) if node is not None]
            if not parts:
                return None
            if len(parts) == 1:
                return parts[0]
            return AnyOf(parts, min(sum(part.size for part in parts), self.doc_count))
        return None

    def _field(self, name):
        return name if name in self.schema else None

    def _tokens(self, field_name, text):
        field_type = self.schema[field_name]
        if isinstance(field_type, whoosh_fields.TEXT):
            return [token.text for token in field_type.analyzer(text, mode="query")]
        value = re.sub(r"[^\w]+", "-", text.lower()).strip("-")  # exact values are slugs
        return [value] if value else []

    def term(self, field_name, text):
        tbytes = text.encode("utf-8")
        size = self.reader.doc_frequency(field_name, tbytes)
        field_type = self.schema[field_name]
        if not field_type.scorable or not size:  # a term in no document is never scored
            return Term(field_name, tbytes, size, scorable=False)
        idf = self.searcher.idf(field_name, tbytes)
        avgfl = self.searcher.avg_field_length(field_name) or 1
        return Term(field_name, tbytes, size, idf, avgfl)

    def _words(self, tree):
        field_name = self._field(tree.field)
        if field_name is None:
            return None
        tokens = self._tokens(field_name, tree.text)
        if not tokens:
            return None
        if len(tokens) == 1:
            return self.term(field_name, tokens[0])
        words = [self.term(field_name, token) for token in tokens]
        pairs = []
        if field_name == "text" and BIGRAMS in self.schema:
            pairs = [self.pair(a, b) for a, b in zip(tokens, tokens[1:], strict=False)]
        size = min(part.size for part in pairs or words)
        return Phrase(field_name, words, pairs, tokens, size)

    def pair(self, first, second):
        """A word pair, scored by BM25 as a word is (its own frequency and rarity, the turn's length)."""
        tbytes = f"{first} {second}".encode()
        size = self.reader.doc_frequency(BIGRAMS, tbytes)
        if not size:
            return Term(BIGRAMS, tbytes, 0, scorable=False)
        idf = self.searcher.idf(BIGRAMS, tbytes)
        return Term(BIGRAMS, tbytes, size, idf, self.searcher.avg_field_length("text") or 1, lengths="text")

    def _expansion(self, tree, found, shown):
        terms, more = found
        if more is None:
            self.messages.append(
                f"“{shown}” matches more than {self.limits.max_listed:,} words, too many to search; "
                "it was left out. Make it narrower."
            )
            return None
        if more:
            most = self.limits.max_expansions
            self.messages.append(f"“{shown}” matches {more:,} words; only the {most:,} most frequent were searched.")
        size = min(sum(self.reader.doc_frequency(tree.field, t) for t in terms), self.doc_count)
        return Terms(tree.field, terms, size)

    def _capped(self, found):
        """(the terms to search, how many matched when more than allowed; None when far too
        many) of {term: documents}."""
        if found is None:
            return [], None
        found = {tbytes: count for tbytes, count in found.items() if count}
        if len(found) <= self.limits.max_expansions:
            return sorted(found), 0
        ranked = sorted(found, key=lambda tbytes: (-found[tbytes], tbytes))
        return sorted(ranked[: self.limits.max_expansions]), len(found)

    def _prefix_terms(self, tree):
        field_name = self._field(tree.field)
        if field_name is None:
            return [], 0
        prefix = tree.text.lower().encode("utf-8")
        field_type = self.schema[field_name]
        listed = self.limits.max_listed
        if field_name == "text" and field_type.separate_spelling():
            # Expand over the words as written, then search their stems: the stem of the
            # prefix itself ("pres" -> "pre") would match far more than asked.
            spelled = field_terms(self.searcher, field_type.spelling_fieldname(field_name), prefix,
                                  prefix + b"\xff", limit=listed)  # fmt: skip
            if spelled is None:
                return [], None
            forms = fast_text(field_type.analyzer).forms
            stems = {stem.encode("utf-8"): None for word in spelled for stem in forms(word.decode("utf-8"))}
            frequency = self.reader.doc_frequency
            return self._capped({stem: frequency(field_name, stem) for stem in stems})
        return self._capped(field_terms(self.searcher, field_name, prefix, prefix + b"\xff", limit=listed))

    def _range_terms(self, tree):
        field_name = self._field(tree.field)
        if field_name is None:
            return [], 0
        start = (self._tokens(field_name, tree.start) or [tree.start.lower()])[0].encode("utf-8")
        end = (self._tokens(field_name, tree.end) or [tree.end.lower()])[0].encode("utf-8")
        found = field_terms(
            self.searcher, field_name, start, end,
            include_start=tree.include_start, include_stop=tree.include_end, limit=self.limits.max_listed,
        )  # fmt: skip
        return self._capped(found)


# --- evaluation -----------------------------------------------------------------------------


class Window:
    """One window of one segment: where a plan is evaluated."""

    def __init__(self, reader, segment, lo, hi, postings, check):
        self.reader, self.segment, self.lo, self.hi = reader, segment, lo, hi
        self.postings = postings  # (field, term) -> TermPostings, kept across the segment's windows
        self.check = check
        self.live_count = reader.doc_count()

    def term_postings(self, field_name, tbytes):
        key = (field_name, tbytes)
        found = self.postings.get(key)
        if found is None:
            found = self.postings[key] = TermPostings(self.reader, field_name, tbytes, self.check)
        return found

    def ids(self, field_name, tbytes, within=None):
        return self.term_postings(field_name, tbytes).arrays(self.lo, self.hi, within)[0]

    def estimate(self, node):
        """Whoosh's estimate_size of node in this segment: it orders the additions of scores
        by it, segment by segment."""
        if isinstance(node, Term):
            return self.term_postings(node.field, node.tbytes).doc_frequency
        if isinstance(node, Terms):
            return min(sum(self.term_postings(node.field, t).doc_frequency for t in node.terms), self.live_count)
        if isinstance(node, Phrase):
            return min(self.estimate(part) for part in node.pairs or node.words)
        if isinstance(node, AllOf):
            return min(self.estimate(part) for part in node.parts)
        if isinstance(node, AnyOf):
            return min(sum(self.estimate(part) for part in node.parts), self.live_count)
        return self.live_count  # Without, Everything


def evaluate(node, window, within=None):
    """(sorted document numbers, their scores) of node in the window, only among `within` if given."""
    window.check()
    if isinstance(node, Term):
        ids, weights = window.term_postings(node.field, node.tbytes).arrays(window.lo, window.hi, within)
        if not node.scorable:
            return ids, weights
        lengths = window.segment.lengths(window.reader, node.lengths or node.field, ids)
        scores = node.idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / node.avgfl)))
        return ids, scores
    if isinstance(node, Terms):
        parts = [window.ids(node.field, tbytes, within) for tbytes in node.terms]
        ids = np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)
        return ids, np.ones(len(ids))
    if isinstance(node, Everything):
        ids = np.arange(window.lo, window.hi, dtype=np.int64)
        if within is not None:
            ids = within
        return ids, np.ones(len(ids))
    if isinstance(node, Phrase):
        return _phrase(node, window, within)
    if isinstance(node, AllOf):
        return _all_of(node, window, within)
    if isinstance(node, AnyOf):
        return _any_of(node, window, within)
    raise TypeError(node)


def _aligned(ids, scores, target):
    """scores of `ids` placed at `target` (0 where absent); both sorted."""
    out = np.zeros(len(target))
    if len(ids) and len(target):
        at = np.searchsorted(ids, target)
        at[at >= len(ids)] = len(ids) - 1
        hit = ids[at] == target
        out[hit] = scores[at[hit]]
    return out


def _all_of(node, window, within):
    kept = [i for i, part in enumerate(node.parts) if not isinstance(part, Without)]
    found = {}
    ids = within
    for index in sorted(kept, key=lambda i: node.parts[i].size):
        part_ids, part_scores = evaluate(node.parts[index], window, ids)
        if ids is not None:
            keep = np.isin(part_ids, ids, assume_unique=True)
            part_ids, part_scores = part_ids[keep], part_scores[keep]
        found[index] = (part_ids, part_scores)
        ids = part_ids
        if not len(ids):
            return ids, np.zeros(0)
    for part in node.parts:
        if isinstance(part, Without):
            out_ids, _ = evaluate(part.part, window, ids)
            ids = ids[~np.isin(ids, out_ids, assume_unique=True)]
    # A NOT inside an AND scores 1 in Whoosh (its InverseMatcher's weight).
    arrays = [_aligned(*found[i], ids) if i in found else np.ones(len(ids)) for i in range(len(node.parts))]
    weights = [0 - window.estimate(part) for part in node.parts]
    return ids, _add(_sum_tree(weights, [part.kind for part in node.parts], "intersection"), arrays)


def _any_of(node, window, within):
    results = [evaluate(part, window, within) for part in node.parts]
    ids = np.unique(np.concatenate([part_ids for part_ids, _ in results]))
    arrays = [_aligned(part_ids, part_scores, ids) for part_ids, part_scores in results]
    weights = [window.estimate(part) for part in node.parts]
    return ids, _add(_sum_tree(weights, [part.kind for part in node.parts], "union"), arrays)


def _phrase(node, window, within):
    """Through the word pairs when the field has them: the documents holding every pair (for two
    words, exactly the phrase's), scored as the sum of the pairs' scores; else through the words,
    scored as Whoosh scores a phrase (the sum of its words' scores)."""
    parts = node.pairs or node.words
    found = []
    candidates = within
    for part in sorted(parts, key=lambda part: part.size):
        ids, scores = evaluate(part, window, candidates)
        if candidates is not None:
            keep = np.isin(ids, candidates, assume_unique=True)
            ids, scores = ids[keep], scores[keep]
        candidates = ids
        found.append((part, ids, scores))
        if not len(candidates):
            return candidates, np.zeros(0)
    if len(node.tokens) > 2 or not node.pairs:
        candidates = _verified(node, window, candidates)
    by_part = {id(part): (ids, scores) for part, ids, scores in found}
    arrays = [_aligned(*by_part[id(part)], candidates) for part in parts]
    return candidates, _add(_binary_tree(len(arrays)), arrays)


def _verified(node, window, candidates):
    """The candidates whose text holds the phrase's words next to each other (stop words
    left out, as the index leaves them out of the word pairs and Whoosh out of positions)."""
    text = fast_text(window.reader.schema[node.field].analyzer)
    wanted = node.tokens
    keep = np.zeros(len(candidates), dtype=bool)
    for at, docnum in enumerate(candidates.tolist()):
        if at % 16 == 0:
            window.check()
        keep[at] = text.contains(window.reader.stored_fields(docnum).get(node.field) or "", wanted)
    return candidates[keep]


# --- collecting -----------------------------------------------------------------------------


@dataclass
class Collected:
    best: list  # (sort key tuple, global docnum, score)
    total: int = 0
    facets: dict = field(default_factory=dict)  # field -> {value: count}
    searched: int = 0  # documents in the windows searched
    partial: bool = False


class Conditions:
    """The filters of a search as masks over one segment's documents."""

    def __init__(self, exact, date_from, date_to):
        self.exact = exact  # [(field, value)]
        self.date_from = day_number(date_from) if date_from else None
        self.date_to = day_number(date_to) if date_to else None

    def mask(self, reader, segment, coded_fields):
        mask = segment.term_mask(reader, "django_ct", "archive.turn") & ~deleted_mask(reader, segment.doc_count)
        for field_name, value in self.exact:
            if field_name in coded_fields:
                codes, values = segment.codes(reader, field_name)
                code = values.index(value) if value in values else -2
                mask &= codes == code
            else:
                mask &= segment.term_mask(reader, field_name, value)
        if self.date_from is not None or self.date_to is not None:
            days = segment.days(reader)
            mask &= days != UNDATED
            if self.date_from is not None:
                mask &= days >= self.date_from
            if self.date_to is not None:
                mask &= days <= self.date_to
        return mask


def length_prior(words, short_words):
    """How much a turn's score keeps, by its own length in words: a turn shorter than short_words
    (a one-line question that only names the query's words, a "Yes." in a briefing whose title
    holds them) keeps the square root of its share of it; longer turns keep all."""
    return np.sqrt(np.minimum(1.0, np.maximum(words, 1) / short_words))


def field_codes(field_name):
    """A tally of the matches by the value of an exact field (a facet)."""
    return lambda reader, segment: segment.codes(reader, field_name)


def run(plan, searcher, segments, conditions, *, sort, wanted, tallies, check, short_words=0):
    """Evaluate plan over every segment, window by window; stops with what was found when the
    budget is spent (check raises OutOfTime). By relevance, BM25F scores are weighed by
    length_prior (short_words=0 leaves them as Whoosh's).

    tallies: {name: function(reader, segment) -> (one int code per document, -1 for none; the
    values the codes stand for)}; the matches are counted by value for each (facets today; matches
    per year or month of a query would be a tally of codes made from segment.days)."""
    collected = Collected(best=[], facets={name: {} for name in tallies})
    relevance = sort == "relevance" and not isinstance(plan, Everything)
    for reader, offset in searcher.reader().leaf_readers():
        if not reader.doc_count_all():
            continue  # an empty index
        segment = segments.get(reader)
        live = conditions.mask(reader, segment, tallies)
        postings = {}
        for lo in range(0, segment.doc_count, WINDOW):
            hi = min(lo + WINDOW, segment.doc_count)
            window = Window(reader, segment, lo, hi, postings, check)
            try:
                ids, scores = evaluate(plan, window)
            except OutOfTime:
                collected.partial = True
                return collected
            keep = live[ids]
            ids, scores = ids[keep], scores[keep]
            if relevance and short_words:
                scores = scores * length_prior(segment.column(reader, WORDS, ">u4")[ids], short_words)
            collected.total += len(ids)
            collected.searched += hi - lo
            for name, tally in tallies.items():
                codes, values = tally(reader, segment)
                counts = np.bincount(codes[ids] + 1, minlength=len(values) + 1)[1:]
                tally = collected.facets[name]
                for code in np.flatnonzero(counts).tolist():
                    tally[values[code]] = tally.get(values[code], 0) + int(counts[code])
            _keep_best(collected, ids, scores, segment.days(reader) if not relevance else None, offset, sort, wanted)
    return collected


def _keep_best(collected, ids, scores, days, offset, sort, wanted):
    if not len(ids):
        return
    if days is None:  # by score, then document number (Whoosh's order)
        primary = -scores
    else:
        when = days[ids].astype(np.int64)
        undated = when == UNDATED
        primary = np.where(undated, np.iinfo(np.int64).max, -when if sort != "oldest" else when)
    if len(ids) > wanted:
        top = np.argpartition(primary, wanted - 1)[:wanted]
        cut = primary[top].max()
        top = np.flatnonzero(primary <= cut)  # keep ties at the cut, then order them
        ids, scores, primary = ids[top], scores[top], primary[top]
    order = np.lexsort((ids, primary))[:wanted]
    rows = [(float(primary[i]), int(ids[i]) + offset, float(scores[i])) for i in order]
    merged = sorted(collected.best + rows, key=lambda row: (row[0], row[1]))
    collected.best = merged[:wanted]


class Segments:
    """Per-segment arrays, kept while the segment is part of the index."""

    def __init__(self):
        self._by_id = {}

    def refresh(self, searcher):
        alive = {_segment_id(reader) for reader, _ in searcher.reader().leaf_readers()}
        self._by_id = {segid: segment for segid, segment in self._by_id.items() if segid in alive}

    def get(self, reader):
        segid = _segment_id(reader)
        segment = self._by_id.get(segid)
        if segment is None:
            segment = self._by_id[segid] = Segment(reader)
        return segment


VERIFY_COST = 50  # checking one candidate's text for a long phrase, in postings read


def cost(node):
    """About how many postings evaluating node reads (blocks skipped inside an AND are not
    counted off: an upper bound)."""
    if isinstance(node, Term):
        return node.size
    if isinstance(node, Terms):
        return node.size * 2  # the union of many short lists costs more than one list
    if isinstance(node, Phrase):
        read = sum(part.size for part in node.pairs or node.words)
        if len(node.tokens) > 2 or not node.pairs:
            return read + node.size * VERIFY_COST
        return read
    if isinstance(node, AllOf | AnyOf):
        return sum(cost(part) for part in node.parts)
    if isinstance(node, Without):
        return cost(node.part)
    return 0


def marks(plan):
    """The words and phrases of the text that a plan looks for (not those it excludes)."""
    words, phrases = set(), []

    def visit(node):
        if isinstance(node, Term) and node.field == "text":
            words.add(node.tbytes.decode("utf-8"))
        elif isinstance(node, Terms) and node.field == "text":
            words.update(tbytes.decode("utf-8") for tbytes in node.terms)
        elif isinstance(node, Phrase) and node.field == "text":
            phrases.append(tuple(node.tokens))
        elif isinstance(node, AllOf | AnyOf):
            for part in node.parts:
                visit(part)

    visit(plan)
    return Marks(frozenset(words), tuple(phrases))


def _segment_id(reader):
    segment = reader.segment()
    return segment.segment_id() if segment is not None else None
