"""Question and answer: which journalist turns ask nothing (greetings, thanks, reactions), which
official turns only give the floor ("Go ahead, Ed."), and which reporter a turn calls on or
introduces, so that the next question is theirs."""

import re

from archive.parser.text import sentences
from archive.parser.vocabulary import CALL_ON_MARKERS, CALL_ON_WORDS, NOT_NAMES, PHATIC_WORDS, ROLE_WORDS

_WORD_RE = re.compile(r"[\w’'\-]+")
INTRO_RE = re.compile(
    r"\b(?:from|to|is|of|by)\s+(?P<name>[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'.\-]+){1,3}?)\s+"
    r"(?:from|of|with|at)\s+(?P<outlet>(?:the\s+)?[A-Z][\w’'&.\-]*(?:\s+(?:[A-Z&][\w’'&.\-]*|of|and|the)){0,5})"
)


# "The next question comes from the line of Juan Merlano." (no outlet)
INTRO_NAME_RE = re.compile(
    r"\b(?:from|to)\s+(?:the line of\s+)?(?P<name>[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'.\-]+){1,3})\s*[.,;]?\s*$"
)


def speech(text):
    """The text without stage directions in parentheses: `Oooh.  (Laughter.)` -> `Oooh.`"""
    return re.sub(r"\([^()]*\)", " ", text).strip()


def _is_name(word):
    """A word that can be a reporter's name: capitalised, no contraction (`That’s`, `I’ll`), not a
    common sentence opener or a role."""
    if not word[:1].isupper() or re.search(r"[’'](?:s|ll|re|ve|m|d|t)$", word, re.I):
        return False
    return word.lower() not in ROLE_WORDS | NOT_NAMES


def is_phatic(text):
    """A turn that asks and says nothing of substance: greetings, thanks, laughter, a name."""
    spoken = speech(text)
    words = _WORD_RE.findall(spoken)
    if "?" in spoken or not words:
        return False  # "(Inaudible.)" may well be a question no one could hear
    return (
        len(words) <= 12
        and any(w.lower() in PHATIC_WORDS for w in words)
        and all(w.lower() in PHATIC_WORDS or _is_name(w) for w in words)
    )


def called(sentence, strict=False):
    """(the name called, or "") when a sentence only gives the floor ("Go ahead, Ed.", "Jeremy.",
    "Next question."); None when it says anything else, or thanks someone ("Thank you, Matt.").
    strict (right after a question, where a name alone may be the answer: "Amos Hochstein."):
    only with words that give the floor ("Go ahead", "Next")."""
    words = _WORD_RE.findall(speech(sentence))
    if not words or len(words) > 10 or "?" in sentence or any(w.lower() in {"thank", "thanks"} for w in words):
        return None
    names = [w for w in words if w.lower() not in CALL_ON_WORDS]
    if any(not _is_name(w) for w in names) or len(names) > 3:
        return None
    if (not names or strict) and not any(w.lower() in CALL_ON_MARKERS for w in words):
        return None  # "Yes." alone answers a question; it gives no floor
    return " ".join(names)


def is_moderation(text, after_question=False):
    """An official's turn that only gives the floor: every sentence a call-on."""
    if len(text) > 200:
        return False
    parts = [part for part in sentences(speech(text)) if part]
    return bool(parts) and all(called(part, strict=after_question) is not None for part in parts)


def journalist_named(text, after_question=False):
    """(name, outlet) of the reporter a turn ends by calling on or introducing: "The first
    question will be from Arshad Mohammed from Reuters.", "We'll go to Juan Merlano.",
    "... Thanks, Ed.  Jeremy."; None when it names no one."""
    # an introduction closes the turn: its last sentences are enough
    tail = text[-600:]
    last = [part for part in sentences(speech(tail)) if part]
    if re.search(r"question|line of|go to|turn to", tail, re.I):
        for sentence in reversed(last[-3:]):
            if not re.search(r"\bquestion|\bline of\b|\bgo to\b|\bturn to\b", sentence, re.I):
                continue
            match = INTRO_RE.search(sentence)
            if match:
                outlet = re.sub(r"\s+(?:of|and|the)$", "", match.group("outlet").rstrip(".,;"))
                return match.group("name"), outlet
            match = INTRO_NAME_RE.search(sentence)
            if match:
                return match.group("name").rstrip("."), ""
    if last and (name := called(last[-1], strict=after_question and len(last) == 1)):
        return name, ""
    return None
