"""Layout: normalising the text, paragraphs (re-flowing hard-wrapped text), and where the header
ends and the trailer starts; `check_complete`, the promise that no word is lost."""

import re
from dataclasses import dataclass

from archive.parser.shapes import ParseError
from archive.parser.text import NOTE_RE, TIME_LINE_RE, WORD_RE, is_blank, parse_date, words

TRAILER_RES = [
    re.compile(r"^PRN:\s*\S.*$"),
    re.compile(r"^END\b.{0,40}$"),
    TIME_LINE_RE,
    re.compile(r"^(?:[#*_=~-]\s*){3,}$"),
    re.compile(
        r"^\((?:the )?[^()]{0,120}\b(?:conclude[sd]?|ended|adjourn(?:s|ed)?|end of [^()]*)\b[^()]{0,60}\)\.?$", re.I
    ),
    re.compile(
        r"^(?:the )?(?:meeting|briefing|session|call|press conference|conference) (?:rose|was adjourned|adjourned"
        r"|ended|concluded|was concluded)\b.{0,40}$",
        re.I,
    ),
    re.compile(r"^\d{1,3}\.\s.{0,200}↑\s*$"),
    re.compile(r"^\[\d{1,3}\]\s.{0,200}$"),
    NOTE_RE,
]


@dataclass
class Paragraph:
    lines: list  # (line number, text)

    @property
    def first_line(self):
        return self.lines[0][0]

    @property
    def last_line(self):
        return self.lines[-1][0]

    def text(self, reflow):
        if not reflow:
            return "\n".join(text.strip() for _, text in self.lines)
        out = ""
        for _, text in self.lines:
            piece = text.strip()
            if not out:
                out = piece
            elif re.search(r"[^\W\d_]-$", out) and piece[:1].isalpha():
                out += piece  # a word hyphenated at the end of a printed line
            else:
                out += " " + piece
        return out


def normalise(text):
    """The text with one kind of line end and no control characters, and the warnings to report."""
    warnings = []
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    if "\x00" in text:
        raise ParseError(
            "contains NUL bytes: a binary file, not a transcript", line=text.count("\n", 0, text.index("\x00")) + 1
        )
    cleaned = re.sub(r"[\x01-\x08\x0b\x0e-\x1f\x7f]", " ", text)
    if cleaned != text:
        warnings.append("control characters replaced by spaces")
    return cleaned, warnings


def check_is_text(text):
    if not WORD_RE.search(text):
        raise ParseError("no words: the file is empty or has no text")
    opening = text.lstrip()[:200].lower()
    if opening.startswith(("<!doctype", "<html", "<?xml")) or (
        opening.startswith("<") and len(re.findall(r"<[a-z/][^>]*>", text[:5000], re.I)) > 10
    ):
        raise ParseError("HTML or XML markup, not a plain-text transcript", line=1)


def is_hard_wrapped(lines):
    """True when paragraphs are broken into printed lines (PDF and OCR text), not one line each."""
    filled = [line for line in lines if line.strip()]
    if len(filled) < 8:
        return False
    continued = sum(1 for a, b in zip(lines, lines[1:], strict=False) if a.strip() and b.strip())
    lengths = sorted(len(line) for line in filled)
    median = lengths[len(lengths) // 2]
    return continued > 0.6 * len(filled) and median <= 100


def paragraphs(lines, start, end, reflow):
    """Blank-line separated paragraphs of lines[start:end]; in hard-wrapped text a new paragraph
    also starts at an indent, a numbered paragraph, or after a short line ending a sentence."""
    found = []
    current = []
    width = max((len(line.rstrip()) for line in lines[start:end]), default=0)
    for index in range(start, end):
        line = lines[index]
        if is_blank(line):
            if current:
                found.append(Paragraph(current))
                current = []
            continue
        if current and reflow:
            previous = current[-1][1].rstrip()
            if (
                line[:1].isspace()
                or re.match(r"^\d{1,3}\.\s", line)
                or (re.search(r"[.!?:”\"’)]$", previous) and len(previous) < 0.75 * width)
            ):
                found.append(Paragraph(current))
                current = []
        current.append((index + 1, line))
    if current:
        found.append(Paragraph(current))
    return found


def is_header_line(line, labelled=False):
    """A short line of a header block. Before the first label of a labelled transcript, lines
    that end in commas or semicolons (lists of officials over several lines) are header too."""
    line = line.strip()
    if not line:
        return True
    if len(line) > 500 or (len(line) > 300 and re.search(r"[.!?]”?$", line)):
        return False  # a paragraph of speech; a title without a full stop may run long
    if line.endswith((",", ";")) and not (labelled and len(line) <= 200):
        return False
    n_words = len(line.split())
    if n_words > 80:
        return False
    return not (re.search(r"[.!?]”?$", line) and n_words > 12 and not parse_date(line))


def is_trailer_line(line):
    line = line.strip()
    return any(pattern.match(line) for pattern in TRAILER_RES)


def trailer_start(lines, first_label, has_labels):
    """Index of the first line of the closing marks at the very end (END and a time, PRN:,
    # # #, footnotes, "(The briefing was concluded …)"), or len(lines) when there are none."""
    start = len(lines)
    for index in range(len(lines) - 1, -1, -1):
        if is_blank(lines[index]) or is_trailer_line(lines[index]):
            if index <= first_label and has_labels:
                break
            start = index
            continue
        break
    while start < len(lines) and is_blank(lines[start]):
        start += 1
    if not any(is_trailer_line(line) for line in lines[start:]):
        start = len(lines)
    return start


def header_end(found, first_label, has_labels, reflow):
    """Index of the line after the header: the short lines before the first label (or, in a
    text without labels, before its prose)."""
    end = 0
    for paragraph in found:
        if paragraph.first_line - 1 >= first_label:
            break
        raw = [text for _, text in paragraph.lines]
        note = NOTE_RE.match(raw[0].strip())  # an editor's note before the speech
        if not note and ((reflow and len(raw) > 1) or not all(is_header_line(line, has_labels) for line in raw)):
            break
        if not has_labels and paragraph is found[-1]:
            break  # a text without labels keeps at least its last paragraph as speech
        end = paragraph.last_line
    return end


def check_complete(text, transcript):
    """Raise ParseError at the first source line whose words the transcript would not store."""
    stored = words(transcript.stored_text())
    if stored == words(text):
        return
    source = [(m.group(0), m.start()) for m in WORD_RE.finditer(text)]
    for index, (word, offset) in enumerate(source):
        if index >= len(stored) or stored[index] != word:
            line = text.count("\n", 0, offset) + 1
            raise ParseError(f"the word {word!r} would be lost", line=line)
    if len(stored) > len(source):
        raise ParseError("the parse holds words that are not in the source")
