"""WHOOSH-SPECIFIC: snippets of a turn with the query's words and phrases marked.

A word is marked wherever the search would find it, analysed as the index analyses it
("negotiate" marks "negotiations"), and a phrase is marked as one passage where its words stand
together, not word by word wherever they stand alone. Only the words that begin like a word
sought are analysed.
"""

from dataclasses import dataclass
from html import escape

from archive.search.whoosh_text import PHRASE_CHARS, fast_text

SCAN_CHARS = 50_000  # past this, a long turn is not searched further for marks
MAX_WORDS = 60  # words looked at: enough to choose the best three passages from
FRAGMENT_CHARS = 300
CONTEXT_CHARS = 60


@dataclass(frozen=True)
class Marks:
    """What to mark: single words (analysed forms) and phrases (tuples of analysed forms)."""

    words: frozenset
    phrases: tuple

    def __bool__(self):
        return bool(self.words or self.phrases)


def head(form):
    """How the words of an analysed form begin: a stem is its word's beginning give or take its
    last letter ("happi", "happy"), so only words beginning so are analysed."""
    return form[:-1] if len(form) > 2 else form


def spans(text, marks, analyzer):
    """(start, end) character spans of text to mark, in order, not overlapping."""
    reader = fast_text(analyzer)
    text = text[:SCAN_CHARS]
    heads = {head(form) for form in marks.words} | {head(phrase[0]) for phrase in marks.phrases}
    firsts = {phrase[0]: [p for p in marks.phrases if p[0] == phrase[0]] for phrase in marks.phrases}
    found = []
    for count, (form, start, end) in enumerate(reader.words_from(text, heads)):
        if count >= MAX_WORDS:
            break
        if form in marks.words:
            found.append((start, end))
        for phrase in firsts.get(form, ()):
            tokens = reader.tokens(text[start : start + PHRASE_CHARS * len(phrase)])
            if tuple(token[0] for token in tokens[: len(phrase)]) == phrase:
                found.append((start, start + tokens[len(phrase) - 1][2]))
    found.sort()
    merged = []
    for start, end in found:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(text, marks, analyzer, top=3):
    """HTML of up to `top` passages of text around the marks, joined by " … "; the text escaped."""
    found = spans(text, marks, analyzer) if marks else []
    if not found:
        return ""
    groups = []  # [first start, last end, how many marks]
    for start, end in found:
        if groups and end - groups[-1][0] <= FRAGMENT_CHARS:
            groups[-1][1:] = [end, groups[-1][2] + 1]
        else:
            groups.append([start, end, 1])
    best = sorted(sorted(groups, key=lambda group: -group[2])[:top])
    windows = []
    for start, end, _ in best:  # the passages, with context, not overlapping
        left, right = _window(text, start, end)
        if windows and left <= windows[-1][1]:
            windows[-1][1] = max(right, windows[-1][1])
        else:
            windows.append([left, right])
    return " … ".join(_render(text, left, right, found) for left, right in windows)


def _window(text, start, end):
    room = max(CONTEXT_CHARS, (FRAGMENT_CHARS - (end - start)) // 2)
    left, right = max(0, start - room), min(len(text), end + room)
    if left:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    return left, right


def _render(text, left, right, found):
    out, at = [], left
    for start, end in found:
        if start >= left and end <= right:
            out.append(escape(text[at:start]))
            out.append(f"<mark>{escape(text[start:end])}</mark>")
            at = end
    out.append(escape(text[at:right]))
    return "".join(out).strip()
