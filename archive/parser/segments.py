"""Segments: the body split into the text of each turn, at labels and stage directions, before
anyone is attributed."""

import re
from dataclasses import dataclass, field

from archive.parser.labels import label_notes
from archive.parser.layout import Paragraph
from archive.parser.text import NOTE_RE

LANGUAGE_NOTE_RE = re.compile(
    r"^\((?:in [A-Z][a-z]+(?: and [A-Z][a-z]+)?|via (?:an )?interpret(?:er|ation)|"
    r"through (?:an )?interpret(?:er|ation)|as interpreted|as translated|translated|"
    r"interpreted|via translation|no interpretation|spoke in [A-Z][a-z]+|interpretation from [A-Z][a-z]+)"
    r"[^()]{0,60}\.?\)\.?",
    re.I,
)
STAGE_DIRECTION_RE = re.compile(r"^\([^()]{1,200}\)\.?$")


@dataclass
class Segment:
    """The text of one turn before it is attributed."""

    label: str | None
    line: int
    parts: list = field(default_factory=list)
    stage: bool = False
    continues: bool = False  # the speech of the previous speaker, after a stage direction

    @property
    def text(self):
        return "\n\n".join(self.parts)


def segments(paragraphs, labels, reflow):
    """Split the body into turns at labels; a parenthesised paragraph such as "(Cross-talk.)"
    is a stage direction of its own, after which the same speaker goes on."""
    found = []
    current = None

    def flush():
        if current and (current.label is not None or current.parts):
            found.append(current)

    for paragraph in paragraphs:
        # labels normally start paragraphs, but not always: split a paragraph at label lines
        chunks = []
        for number, line in paragraph.lines:
            label = labels.get(number - 1)
            if label or not chunks:
                chunks.append((number, label, []))
            chunks[-1][2].append((number, label[1] if label else line))
        for number, label, chunk_lines in chunks:
            chunk_text = Paragraph(chunk_lines).text(reflow)
            if label:
                flush()
                current = Segment(label[0], number, [chunk_text] if chunk_text.strip() else [])
            elif NOTE_RE.match(chunk_text.strip()) or (
                STAGE_DIRECTION_RE.match(chunk_text.strip()) and not LANGUAGE_NOTE_RE.match(chunk_text.strip())
            ):  # a stage direction, or an editor's note: nobody's speech
                flush()
                found.append(Segment(None, number, [chunk_text], stage=True))
                current = Segment(None, number, continues=True)
            else:
                if current is None:
                    current = Segment(None, number)
                if not current.parts and current.continues:
                    current.line = number
                current.parts.append(chunk_text)
    flush()
    return found


def language_note(text, label):
    note = LANGUAGE_NOTE_RE.match(text.strip())
    if not note and label:
        note = next((m for n in label_notes(label) if (m := LANGUAGE_NOTE_RE.match(f"({n})"))), None)
    return note.group(0) if note else ""
