"""The quote finder: a quotation as remembered or as printed elsewhere (5 to 400 words; words
dropped or changed, other punctuation and quotation marks) → the turns it comes from, the
passage that matches, and how close it is; or the word that nothing in the archive is close.

Two steps: the search engine proposes candidate turns from the quotation's rarest words
(`archive.search.quotes`), then each candidate is aligned with the quotation word by word with
rapidfuzz. Words are compared by their first five letters (`key`), so that "negotiations"
and "negotiate" or "delay" and "delays" agree while a changed word does not. The score is the Indel
similarity (0–100) between the quotation's words and the passage's.
"""

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from archive.models import Turn
from archive.search import quotes as search_quotes

MIN_WORDS, MAX_WORDS = 5, 400
MAX_CHARS = 6000  # 400 long words with their punctuation; longer input is cut, and said so
KEY_LENGTH = 5
LONG_TURN = 4000  # characters: longer turns are aligned only around the quotation's rarer words
EXACT, CLOSE = 95, 75  # scores from which a match is called exact or close
CONTEXT_CHARS = 240
SHORT_CANDIDATES = 120
SHORT_BUDGET = 60_000  # postings the engine may read for a short quotation's candidates
SAME_TEXT_SHOWN = 10
EDGE_BLOCKS = 3
NEAREST = 40  # when nothing is close, the best passage from this score is shown as the nearest
SHOWN = 5

APOSTROPHES = "'’‘`´ʼ"
WORD_RE = re.compile(rf"\w+(?:[{APOSTROPHES}]\w+)*")
_INNER_APOSTROPHE = re.compile(rf"(?<=\w)[{APOSTROPHES}](?=\w)")
_PLAIN_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Word:
    key: str
    start: int
    end: int


def key(word):
    """A word as compared: lower case, without apostrophes, its first KEY_LENGTH letters."""
    return _INNER_APOSTROPHE.sub("", word.lower())[:KEY_LENGTH]


def words(text, start=0, end=None):
    """The words of text[start:end], with their offsets in text."""
    return [Word(key(m.group()), m.start(), m.end()) for m in WORD_RE.finditer(text, start, end or len(text))]


def keys(text):
    """The keys of the words of text, as words() gives them (one pass over the text at C speed)."""
    return [word[:KEY_LENGTH] for word in _PLAIN_WORD.findall(_INNER_APOSTROPHE.sub("", text.lower()))]


def regions(text, anchors, width):
    """Stretches of a long text around the places where two of the quotation's words (anchors,
    lower case) stand: of its eight longest words, the two the text holds least often; the whole
    text when it holds none of them."""
    lowered = text.lower()
    longest = sorted({anchor for anchor in anchors if len(anchor) >= 4}, key=lambda anchor: (-len(anchor), anchor))
    counts = sorted((lowered.count(anchor), anchor) for anchor in longest[:8])
    places = []
    for _, anchor in [item for item in counts if item[0]][:2]:
        position = lowered.find(anchor)
        while position >= 0 and len(places) < 60:
            places.append(position)
            position = lowered.find(anchor, position + 1)
    if not places:
        return [(0, len(text))]
    spans = []
    for place in sorted(places):
        start, end = max(0, place - width), min(len(text), place + width)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def threshold(length):
    """The lowest score that counts as a match for a quotation of this many words: short
    quotations need to be nearer, since a few common words meet by chance (bench/quote_bench.py
    measured the scores of quotations in the archive and not in it, by length)."""
    if length < 8:
        return 80
    if length < 15:
        return 75
    return 70 if length < 30 else 65


@dataclass
class Match:
    turn: Turn
    score: float
    start: int  # the passage, as character offsets in turn.text
    end: int
    rank: int  # the candidate's place in the engine's order
    same_text: list = field(default_factory=list)  # other turns with exactly these words (the first ten)
    same_text_count: int = 0  # how many other turns have them

    @property
    def confidence(self):
        return "exact" if self.score >= EXACT else ("close" if self.score >= CLOSE else "loose")

    @property
    def before(self):
        text = self.turn.text[max(0, self.start - CONTEXT_CHARS) : self.start]
        return ("…" + text[text.find(" ") + 1 :]) if self.start > CONTEXT_CHARS else text

    @property
    def passage(self):
        return self.turn.text[self.start : self.end]

    @property
    def after(self):
        text = self.turn.text[self.end : self.end + CONTEXT_CHARS]
        return (text[: text.rfind(" ")] + "…") if self.end + CONTEXT_CHARS < len(self.turn.text) else text


@dataclass
class Result:
    quote: str
    length: int  # words
    matches: list = field(default_factory=list)
    messages: list = field(default_factory=list)
    refused: bool = False  # too short or no words: nothing was looked for
    nearest: Match | None = None  # when nothing is close: the best passage found all the same

    @property
    def nothing_close(self):
        return not self.refused and not self.matches


def align(quote_keys, turn_keys):
    """(score, first word, end word) of the passage of the turn that best matches the quotation."""
    if not turn_keys:
        return 0.0, 0, 0
    found = fuzz.partial_ratio_alignment(quote_keys, turn_keys)
    slack = len(quote_keys) // 4 + 3  # room for words the quotation dropped
    lo, hi = max(0, found.dest_start - slack), min(len(turn_keys), found.dest_end + slack)
    blocks = [block for block in Indel.opcodes(quote_keys, turn_keys[lo:hi]) if block.tag == "equal"]
    # A lone word matched away from the passage ("the", "and") does not stretch it.
    while len(blocks) > 1 and _lone(blocks[0], blocks[1]):
        blocks.pop(0)
    while len(blocks) > 1 and _lone(blocks[-1], blocks[-2]):
        blocks.pop()
    if not blocks:
        return 0.0, found.dest_start, found.dest_end
    # A word of the quotation matched a few words past its place ("is" in "Doug is absolutely
    # correct – Central America is") stretches the passage: of the spans between the first and
    # last few matched stretches, the one nearest the quotation (the widest among equals).
    spans = [
        (lo + start.dest_start, lo + end.dest_end)
        for start in blocks[:EDGE_BLOCKS]
        for end in reversed(blocks[-EDGE_BLOCKS:])
        if start.dest_start < end.dest_end
    ]
    score, first, end = max(
        ((Indel.normalized_similarity(quote_keys, turn_keys[first:end]), first, end) for first, end in spans),
        key=lambda item: item[0],
    )
    return round(score * 100, 1), first, end


def _lone(block, neighbour):
    gap = (
        block.dest_start - neighbour.dest_end
        if block.dest_start > neighbour.dest_start
        else neighbour.dest_start - block.dest_end
    )
    return block.dest_end - block.dest_start == 1 and gap > 3


def find(quote, *, shown=SHOWN):
    """The turns the quotation most likely comes from, best first (at most `shown`, each with the
    other turns holding the same words), or none when nothing is close."""
    quote = " ".join((quote or "").split())
    result = Result(quote, 0)
    if len(quote) > MAX_CHARS:
        quote = quote[:MAX_CHARS].rsplit(" ", 1)[0]
        result.messages.append(f"Only the first {MAX_CHARS:,} characters were looked for.")
    quote_words = words(quote)
    if len(quote_words) > MAX_WORDS:
        quote_words = quote_words[:MAX_WORDS]
        result.messages.append(f"Only the first {MAX_WORDS} words were looked for.")
    result.length = len(quote_words)
    if len(quote_words) < MIN_WORDS:
        result.refused = True
        result.messages.append(f"Paste at least {MIN_WORDS} words of the quotation; to look up a word, use search.")
        return result
    quote_keys = [word.key for word in quote_words]
    lower = [quote[word.start : word.end].lower() for word in quote_words]
    short = len(quote_keys) < 15
    if short:  # their rare words are common ones: more of them read, more candidates aligned
        pks = search_quotes.candidates(lower, limit=SHORT_CANDIDATES, budget=SHORT_BUDGET)
    else:
        pks = search_quotes.candidates(lower)
    texts = dict(Turn.objects.published().filter(pk__in=pks).values_list("pk", "text"))
    scored = {}  # pk -> (score, rank, span start, span end, first word, end word)
    width = len(quote) + 200
    telling = {word for word in lower if len(word) > 2}
    for rank, pk in enumerate(pks):
        text = texts.get(pk)
        if text is None:
            continue
        if short:
            lowered = text.lower()
            if sum(word in lowered for word in telling) * 2 < len(telling):
                continue
        spans = regions(text, lower, width) if len(text) > LONG_TURN else [(0, len(text))]
        for start, end in spans:
            score, first, last = align(quote_keys, keys(text[start:end]))
            if score >= NEAREST and score > scored.get(pk, (0,))[0]:
                scored[pk] = (score, rank, start, end, first, last)
    # One match per text: turns with exactly the same words (a statement read out twice, a
    # transcript published twice) are listed under the best of them.
    groups = {}
    for pk in sorted(scored, key=lambda pk: (-scored[pk][0], scored[pk][1])):
        groups.setdefault(" ".join(texts[pk].split()), []).append(pk)
    leaders = [group[0] for group in groups.values()]
    close = [pk for pk in leaders if scored[pk][0] >= threshold(len(quote_keys))][:shown]
    wanted = close or leaders[:1]
    others = {group[0]: group[1:] for group in groups.values()}
    fetch = [pk for leader in wanted for pk in [leader, *others[leader][:SAME_TEXT_SHOWN]]]
    turns = Turn.objects.select_related("speaker", "event", "in_reply_to__speaker").in_bulk(fetch)
    matches = []
    for pk in wanted:
        score, rank, start, end, first, last = scored[pk]
        span_words = words(texts[pk], start, end)
        match = Match(turns[pk], score, span_words[first].start, span_words[last - 1].end, rank)
        match.same_text = [turns[other] for other in others[pk][:SAME_TEXT_SHOWN] if other in turns]
        match.same_text_count = len(others[pk])
        matches.append(match)
    if close:
        result.matches = matches
    elif matches:
        result.nearest = matches[0]
    return result
