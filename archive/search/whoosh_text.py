"""WHOOSH-SPECIFIC: the index's text analyzer, run fast over a whole turn.

Whoosh's StemmingAnalyzer is a chain of Python generators (tokenizer, lower case, stop words,
stemmer): about 5 µs a word, 25 ms for a long UN speech. The same chain as one regular
expression scan and a memo of stems gives the same words, in the same order, with their
character offsets, several times faster: checking a long phrase in a candidate's text and
marking a snippet both read every word of a turn.
"""

import re

from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter

_MEMO_LIMIT = 200_000
PHRASE_CHARS = 80  # room for a phrase's word and the stop words after it


class FastText:
    def __init__(self, analyzer):
        items = list(getattr(analyzer, "items", []))
        kinds = [type(item) for item in items]
        self.analyzer = analyzer
        self.fast = kinds == [RegexTokenizer, LowercaseFilter, StopFilter, StemFilter] and not items[0].gaps
        if self.fast:
            tokenizer, _, stop, stemmer = items
            self.expression = tokenizer.expression
            # The same words as whole matches (findall returns groups when the pattern has any).
            self.words = re.compile(re.sub(r"\((?!\?)", "(?:", self.expression.pattern), self.expression.flags)
            self.stops, self.min, self.max = stop.stops, stop.min, stop.max
            self.stem = stemmer.stemfn
            self.ignore = stemmer.ignore
            self._memo = {}

    def tokens(self, text):
        """[(analysed form, start, end)] of every word of text the index keeps, in order."""
        if not self.fast:
            return [(t.text, t.startchar, t.endchar) for t in self.analyzer(text, positions=True, chars=True)]
        memo, stops, low, high = self._memo, self.stops, self.min, self.max
        if len(memo) > _MEMO_LIMIT:
            memo.clear()
        out = []
        for match in self.expression.finditer(text):
            word = match.group().lower()
            if len(word) < low or (high and len(word) > high) or word in stops:
                continue
            form = memo.get(word)
            if form is None:
                form = memo[word] = word if word in self.ignore else self.stem(word)
            out.append((form, match.start(), match.end()))
        return out

    def form(self, word):
        """The analysed form of one word as the tokenizer cut it, or None for a word the index
        leaves out (a stop word, too short)."""
        word = word.lower()
        if len(word) < self.min or (self.max and len(word) > self.max) or word in self.stops:
            return None
        form = self._memo.get(word)
        if form is None:
            if len(self._memo) > _MEMO_LIMIT:
                self._memo.clear()
            form = self._memo[word] = word if word in self.ignore else self.stem(word)
        return form

    def words_from(self, text, heads):
        """(analysed form, start, end) of the words of text that begin with one of heads (lower
        case), as the tokenizer cuts them: only these are analysed."""
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(heads, key=len, reverse=True))) + ")", re.I)
        for match in pattern.finditer(text):
            token = self.expression.match(text, match.start())
            if token is None:
                continue
            if self.fast:
                form = self.form(token.group())
            else:
                forms = [form for form, _, _ in self.tokens(token.group())]
                form = forms[0] if forms else None
            if form is not None:
                yield form, token.start(), token.end()

    def contains(self, text, wanted):
        """Whether the analysed words of text hold the list wanted side by side. Only the
        stretches that begin with a word like wanted[0] (its stem less a letter, see
        whoosh_highlight) are analysed."""
        first = wanted[0]
        head = re.escape(first[:-1] if len(first) > 2 else first)
        for match in re.finditer(r"\b" + head, text, re.IGNORECASE):
            stretch = text[match.start() : match.start() + PHRASE_CHARS * len(wanted)]
            if self.forms(stretch)[: len(wanted)] == wanted:
                return True
        return False

    def words_and_forms(self, text):
        """([each word the index keeps, lower-cased], [its analysed form]) of text, as Whoosh's
        chain indexes it: each word is cut from the text as it stands, then lower-cased."""
        stops, low, high, memo, ignore, stem = self.stops, self.min, self.max, self._memo, self.ignore, self.stem
        if len(memo) > _MEMO_LIMIT:
            memo.clear()
        words = [
            word
            for word in map(str.lower, self.words.findall(text))
            if len(word) >= low and not (high and len(word) > high) and word not in stops
        ]
        forms = []
        for word in words:
            form = memo.get(word)
            if form is None:
                form = memo[word] = word if word in ignore else stem(word)
            forms.append(form)
        return words, forms

    def forms(self, text):
        """The analysed forms of the words of text the index keeps, in order."""
        if not self.fast:
            return [form for form, _, _ in self.tokens(text)]
        return self.words_and_forms(text)[1]


_BY_ANALYZER = {}


def fast_text(analyzer):
    """The FastText of an analyzer (one per analyzer, so its memo of stems is shared)."""
    found = _BY_ANALYZER.get(id(analyzer))
    if found is None or found.analyzer is not analyzer:
        if len(_BY_ANALYZER) > 8:
            _BY_ANALYZER.clear()
        found = _BY_ANALYZER[id(analyzer)] = FastText(analyzer)
    return found
