"""WHOOSH-SPECIFIC: snippets of a turn with the query's words and phrases marked.

The text is split by the index's own analyzer, so a word is marked wherever the search would
find it ("negotiate" marks "negotiations"), and a phrase is marked as one passage where its
words stand together, not word by word wherever they stand alone.
"""

import re
from dataclasses import dataclass
from html import escape

from archive.search.whoosh_text import fast_text

SCAN_CHARS = 50_000  # past this, a long turn is not searched further for marks
REGION_BEFORE, REGION_AFTER = 20, 300
MAX_REGIONS = 12  # enough to choose the best three passages from
FRAGMENT_CHARS = 300
CONTEXT_CHARS = 60


@dataclass(frozen=True)
class Marks:
    """What to mark: single words (analysed forms) and phrases (tuples of analysed forms)."""

    words: frozenset
    phrases: tuple

    def __bool__(self):
        return bool(self.words or self.phrases)


def _regions(text, marks):
    """Stretches of text that may hold a mark: around each word that begins as a form sought
    begins (a stem is its word's beginning, give or take its last letter: "happi", "happy").
    Only these are analysed: a long turn may name the query's words once."""
    heads = {form[:-1] if len(form) > 2 else form for form in marks.words}
    heads |= {phrase[0][:-1] if len(phrase[0]) > 2 else phrase[0] for phrase in marks.phrases}
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(heads, key=len, reverse=True))) + ")", re.I)
    regions = []
    for match in pattern.finditer(text):
        if len(regions) >= MAX_REGIONS:
            break
        start, end = max(0, match.start() - REGION_BEFORE), match.start() + REGION_AFTER
        if regions and start <= regions[-1][1]:
            regions[-1][1] = end
        else:
            regions.append([start, end])
    for region in regions:  # whole words only
        while region[0] > 0 and not text[region[0] - 1].isspace():
            region[0] -= 1
        while region[1] < len(text) and not text[region[1]].isspace():
            region[1] += 1
    return regions


def _tokens(text, marks, analyzer):
    reader = fast_text(analyzer)
    tokens = []
    for start, end in _regions(text, marks):
        tokens += [(form, start + a, start + b) for form, a, b in reader.tokens(text[start:end])]
        tokens.append(("", end, end))  # a phrase does not run across two regions
    return tokens


def spans(text, marks, analyzer):
    """(start, end) character spans of text to mark, in order, not overlapping."""
    tokens = _tokens(text[:SCAN_CHARS], marks, analyzer)
    found = []
    for phrase in marks.phrases:
        size = len(phrase)
        for i in range(len(tokens) - size + 1):
            if tokens[i][0] == phrase[0] and tuple(t for t, _, _ in tokens[i : i + size]) == phrase:
                found.append((tokens[i][1], tokens[i + size - 1][2]))
    for text_form, start, end in tokens:
        if text_form in marks.words:
            found.append((start, end))
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
    fragments = []  # [start, end, [spans]]
    for start, end in found:
        if fragments and end - fragments[-1][0] <= FRAGMENT_CHARS:
            fragments[-1][1] = end
            fragments[-1][2].append((start, end))
        else:
            fragments.append([start, end, [(start, end)]])
    best = sorted(fragments, key=lambda fragment: -len(fragment[2]))[:top]
    best.sort(key=lambda fragment: fragment[0])
    return " … ".join(_render(text, fragment) for fragment in best)


def _render(text, fragment):
    start, end, marked = fragment
    room = max(CONTEXT_CHARS, (FRAGMENT_CHARS - (end - start)) // 2)
    left = max(0, start - room)
    right = min(len(text), end + room)
    if left:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    out, at = [], left
    for mark_start, mark_end in marked:
        out.append(escape(text[at:mark_start]))
        out.append(f"<mark>{escape(text[mark_start:mark_end])}</mark>")
        at = mark_end
    out.append(escape(text[at:right]))
    return "".join(out).strip()
