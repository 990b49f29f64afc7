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
]
TIME_RE = re.compile(
    r"\b\d{1,2}(?::\d{2})?\s*(?:[ap]\.\s?m\.|[ap]m\b)(?:\s+[A-Z]{2,5}\b)?|\bnoon\b(?:\s+[A-Z]{2,5}\b)?", re.I
)
TIME_LINE_RE = re.compile(r"^(?:" + TIME_RE.pattern + r")\.?$", re.I)
# Eight words in a row: what a speech has and a list of data does not.
PROSE_RE = re.compile(r"(?:[^\W\d_][\w’'-]*[,;]?\s+){7}[^\W\d_]")


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
    """`MR NEUMARKER` -> `Mr Neumarker`, keeping words printed in mixed case (`McDONOUGH`)."""

    def fix(word):
        if word.isupper() or word.islower():
            return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), word)
        return word

    return " ".join(fix(word) for word in label.split())


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
        try:
            return dt.date(int(groups["year"]), month, int(groups["day"]))
        except ValueError:
            continue
    return None
