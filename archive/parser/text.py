"""Small text helpers every stage uses: words, folding for comparison, dates and times."""

import datetime as dt
import re
import unicodedata

from archive.parser.vocabulary import MONTHS

WORD_RE = re.compile(r"\w+")

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
MONTH_RE = re.compile(_MONTH, re.I)
DATE_PATTERNS = [
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<monthnum>\d\d)-(?P<day>\d\d)\b"),
    # US releases print dates in titles as month/day/year: `12/13/2011`, `2/5/09`
    re.compile(r"(?<![\d/])(?P<monthnum>\d{1,2})/(?P<day>\d{1,2})/(?P<year>(?:19|20)?\d\d)(?![\d/])"),
]
_ZONE = r"(?:\s+[A-Z]{2,5}\b|\s*\((?:local(?: time)?|[A-Z]{2,5})\))?"  # `EST`, `(Local)`
TIME_RE = re.compile(r"\b\d{1,2}(?::\d{2})?\s*(?:[ap]\.\s?m\.|[ap]m\b)" + _ZONE + r"|\bnoon\b" + _ZONE, re.I)
TIME_LINE_RE = re.compile(r"^(?:" + TIME_RE.pattern + r")\.?$", re.I)
# Eight words in a row on one line: what a speech has and a list of data (or a header) does not.
PROSE_RE = re.compile(r"(?:[^\W\d_][\w’'-]*[,;]?[^\S\n]+){7}[^\W\d_]")
# An editor's note ("NOTE: The President referred to ..."): never anyone's speech.
NOTE_RE = re.compile(r"^(?:editor[’']?s?[’']?\s+)?note\s*:", re.I)


def words(text):
    return WORD_RE.findall(text)


def fold(text):
    """Case-folded, without accents, spaces collapsed: how names and places are compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def fold_word(token):
    return fold(token).strip(".")


def tokens(name):
    return fold(name).replace(".", " ").split()


def is_blank(line):
    return not line.strip()


def title_case(label):
    """`MR NEUMARKER` -> `Mr Neumarker`; a surname printed with an inner capital keeps it:
    `McDONOUGH` -> `McDonough`, `LaBOLT` -> `LaBolt`."""

    def fix(word):
        if word.isupper() or word.islower():
            return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), word)
        inner = re.fullmatch(r"([A-Z][a-z]{1,2}|O[’'])([A-Z]{2,}[\w’'-]*)", word)
        return inner.group(1) + inner.group(2).capitalize() if inner else word

    words = [fix(word) for word in label.split()]
    # small words inside a role printed in capitals: "Under Secretary for International Affairs"
    small = {"of", "for", "the", "and", "at", "in", "on", "to"}
    return " ".join(w.lower() if i and w.lower() in small and w.isalpha() else w for i, w in enumerate(words))


def sentences(text):
    return re.split(r"(?<=[.!?])\s+", text.strip())


def parse_date(text):
    """The first calendar date written in the text, or None."""
    for pattern in DATE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        groups = match.groupdict()
        month = int(groups["monthnum"]) if groups.get("monthnum") else MONTHS[groups["month"].lower()]
        year, day = int(groups["year"]), int(groups["day"])
        if year < 100:
            year += 2000 if year < 70 else 1900
        if groups.get("monthnum") and "/" in match.group(0) and month > 12 >= day:
            month, day = day, month  # 13/12/2011 can only be day/month/year
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return None
