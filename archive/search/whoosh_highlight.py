"""WHOOSH-SPECIFIC: snippets of a turn with the query's words and phrases marked.

The text is split by the index's own analyzer, so a word is marked wherever the search would
find it ("negotiate" marks "negotiations"), and a phrase is marked as one passage where its
words stand together, not word by word wherever they stand alone.
"""

from dataclasses import dataclass
from html import escape

from archive.search.whoosh_text import fast_text

SCAN_CHARS = 20_000  # past this, a long turn is not searched further for marks
FRAGMENT_CHARS = 300
CONTEXT_CHARS = 60


@dataclass(frozen=True)
class Marks:
    """What to mark: single words (analysed forms) and phrases (tuples of analysed forms)."""

    words: frozenset
    phrases: tuple

    def __bool__(self):
        return bool(self.words or self.phrases)


def spans(text, marks, analyzer):
    """(start, end) character spans of text to mark, in order, not overlapping."""
    tokens = fast_text(analyzer).tokens(text[:SCAN_CHARS])
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
