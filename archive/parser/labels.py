"""Speaker labels: which line opens a turn (`MR PRICE:`, `Q`, `Mr. Gonzalez:`), and the one key
by which printed labels are compared everywhere (`label_key`, also used by the models)."""

import functools
import re
import unicodedata

from archive.parser.text import fold
from archive.parser.vocabulary import (
    AUDIENCE_LABELS,
    EVENT_ROLE_WORDS,
    HONORIFICS,
    JOURNALIST_LABELS,
    JOURNALIST_WORDS,
    MODERATOR_LABELS,
    MODERATOR_WORDS,
    NOT_SPEAKER_LABELS,
    OUTLET_WORDS,
    OUTLETS,
    ROLE_WORDS,
)

# `Peter Stano, Moderator:` - a name, then the role it speaks in.
NAME_ROLE_RE = re.compile(
    r"^(?P<name>[A-Z][\w’'\-]+(?:\s+(?:[A-Z][\w’'.\-]*|de|di|da|van|von|der|la|le)){1,3}),\s+(?P<role>.+)$"
)

# A label starts a line: optional list number (a source that wrapped a turn in <ol><li>),
# then the label and a colon; journalists' `Q` needs no colon in White House transcripts.
LABEL_RE = re.compile(
    r"^(?P<label>(?:\d{1,3}\.\s*)?(?:\[[^\]\n]{2,60}\]|[^\W\d_][^:\n()]{0,70}?(?:\s*\([^()\n]{1,60}\)){0,2}))"
    r"\s*:(?=\s|\(|$)(?P<rest>.*)$"
)
Q_RE = re.compile(r"^(?P<label>Q)(?:[.:]|(?=\s))(?P<rest>(?:\s.*)?)$")
_NOTES_RE = re.compile(r"(?:\s*\([^()]*\))+$")


def label_core(label):
    """The label without a leading list number or trailing notes: `1. SAUERBREY` -> `SAUERBREY`,
    `Mr. Nebenzia (Russian Federation) (spoke in Russian)` -> `Mr. Nebenzia`."""
    return _NOTES_RE.sub("", re.sub(r"^\d{1,3}\.\s*", "", label.strip())).strip()


def label_notes(label):
    """The parenthesised notes after a label: a country or organisation, or a language note."""
    return re.findall(r"\(([^()]*)\)", label[len(_NOTES_RE.sub("", label)) :])


@functools.lru_cache(maxsize=4096)
def label_key(label):
    """The form in which printed labels are compared: `Mr. Price`, `MR PRICE` and `MR. PRICE`
    agree, and so do `O’Brien` and `O'Brien`; upper case, no accents, punctuation as spaces."""
    folded = unicodedata.normalize("NFKD", label_core(label))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s-]", " ", folded.upper()).split())


def name_and_role(label):
    """(name, role) of a `Name, Role` label (`Peter Stano, Moderator`), or None."""
    match = NAME_ROLE_RE.match(label_core(label))
    if not match:
        return None
    role_words = fold(match.group("role")).replace(".", "").split()
    known = ROLE_WORDS | {w.lower() for w in MODERATOR_WORDS | JOURNALIST_WORDS} | EVENT_ROLE_WORDS
    if not role_words or role_words[0] not in known or len(role_words) > 6:
        return None
    return match.group("name"), match.group("role")


def moderates(label):
    """Whether a `Name, Role` label speaks as the moderator (`Peter Stano, Moderator`)."""
    found = name_and_role(label)
    return bool(found) and bool(set(found[1].upper().split()) & MODERATOR_WORDS)


def outlet_of(label):
    """The news outlet a label names (`Politico`, `Agence Europe`, `ERT`): a question from it."""
    core = label_core(label)
    folded = fold(core)
    if folded in OUTLETS or any(word in OUTLET_WORDS for word in folded.split()):
        return core
    return None


@functools.lru_cache(maxsize=4096)
def _looks_like_label(label):
    core = label_core(label)
    if not core or len(core) > 70:
        return False
    if core.startswith("[") and core.endswith("]"):
        return True
    capitalised = all(word[:1].isupper() or word in {"de", "of", "the", "du", "la"} for word in core.split())
    if name_and_role(core) or (len(core.split()) <= 4 and capitalised and outlet_of(core)):
        return True
    key = label_key(core)
    if not key or key in NOT_SPEAKER_LABELS or any(ch.isdigit() for ch in key):
        return False
    parts = core.split()
    if len(parts) > 7:
        return False
    letters = [c for c in core if c.isalpha()]
    if not letters:
        return False
    if not re.fullmatch(r"[^\W\d_][\w.’'\- ]*", core):
        return False
    lower_words = [p for p in parts if p[0].islower()]
    if all(c.isupper() for c in letters if c.upper() != c.lower() or c.isupper()):
        return True
    # Surnames with inner capitals (`McDONOUGH`) in an otherwise upper-case label.
    if all(p.isupper() or re.fullmatch(r"(?:Mc|Mac|De|Le|La|O’|O')[A-Z\-’']+", p) for p in parts):
        return True
    # Mixed case: `Moderator:`, `Mr. Gonzalez:`, `Assistant Secretary Nichols:`.
    if lower_words:
        return False
    first = fold(parts[0]).rstrip(".")
    if len(parts) == 1:
        return key in JOURNALIST_LABELS | MODERATOR_LABELS | AUDIENCE_LABELS | JOURNALIST_WORDS | MODERATOR_WORDS
    if first == "the":  # `The President:` in UN verbatim records
        return fold(parts[1]).rstrip(".") in ROLE_WORDS
    return first in HONORIFICS or first in ROLE_WORDS


def match_label(line):
    """(label, rest of the line) when the line opens a speaker's turn, else None."""
    stripped = line.strip()
    if not stripped or (stripped[0] != "Q" and ":" not in stripped[:90]):
        return None
    match = Q_RE.match(stripped)
    if match:
        return match.group("label"), match.group("rest")
    match = LABEL_RE.match(stripped)
    if match and _looks_like_label(match.group("label")):
        return match.group("label").strip(), match.group("rest")
    return None
