"""Question and answer: which journalist turns ask nothing (greetings, thanks, reactions), which
official turns only give the floor ("Go ahead, Ed."), and which reporter a turn calls on or
introduces, so that the next question is theirs."""

import functools
import re

from archive.parser.places import country_name
from archive.parser.text import fold, sentences
from archive.parser.vocabulary import (
    CALL_ON_MARKERS,
    CALL_ON_WORDS,
    LINE_CHECK_WORDS,
    NOT_NAMES,
    ORG_WORDS,
    OUTLET_WORDS,
    OUTLETS,
    PHATIC_WORDS,
    ROLE_WORDS,
)

_WORD_RE = re.compile(r"[\w’'\-]+")
INTRO_RE = re.compile(
    r"\b(?:from|to|is|of|by|with)\s+(?P<name>[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'.\-]+){1,3}?)\s+"
    r"(?:from|of|with|at)\s+(?P<outlet>(?:the\s+)?[A-Z][\w’'&.\-]*(?:\s+(?:[A-Z&][\w’'&.\-]*|of|and|the)){0,5})"
)


_NAME = r"(?P<name>[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'.\-]+){1,3})"
# "The next question comes from the line of Juan Merlano.", "Let’s go to Said Arikat, please." (no outlet)
INTRO_NAME_RE = re.compile(r"\b(?:from|to|of|with)\s+(?:the line of\s+)?" + _NAME + r"(?:,?\s+please)?\s*[.,;!]?\s*$")
# "Nike Ching, VOA." - a reporter and an outlet, alone
NAME_OUTLET_RE = re.compile(
    r"^" + _NAME + r",\s+(?P<outlet>[A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*){0,3})\.?$"
)
# "Josh, why don’t you kick us off.", "With that, Zeke, kick us off."
KICK_OFF_RE = re.compile(
    r"(?:^|,\s*)(?P<name>[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)?),?\s+(?:[\w’' ]{0,25}\s)?kick (?:us|things|it) off"
)
SOUND_CHECK_RE = re.compile(r"\bhear me\b|^(?:hi|hello|hey)\b[^.?!]{0,40}\?$|^hello\??$", re.I)


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
    if not words or len(words) > 10 or "?" in sentence:
        return None
    if any(w.lower() in {"thank", "thanks"} or w.lower().strip(".") in ROLE_WORDS for w in words):
        return None  # thanks to someone, or an official ("Dr. Jha.")
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


# What a moderator says before naming the next reporter.
CALL_TRIGGER_RE = re.compile(
    r"\b(?:line of|go (?:over )?to|turn (?:it |things )?(?:over )?(?:now )?to|start with|conclude with|"
    r"questions? (?:will )?(?:be |come |comes |is |goes |go )?(?:from|to)|question from|hear from)\b",
    re.I,
)


class LowerCaseWords:
    """The words a transcript prints in lower case, read once and only when asked."""

    def __init__(self, text):
        self.text = text

    @functools.cached_property
    def words(self):
        return frozenset(re.findall(r"(?<![\w’'-])[a-z][\w’'-]*", self.text))

    def __contains__(self, word):
        return word in self.words


def _reporter(name, outlet="", common=frozenset()):
    """(name, outlet) when `name` can be a reporter's: capitalised words, no role, no country, no
    organisation, no acronym (an outlet printed before or after the name is moved to `outlet`). A
    single word the transcript (`common`) also prints in lower case ("Maybe.", "Three.") is no name."""
    words = name.rstrip(".").split()
    if len(words) > 1 and fold(words[-1]) in OUTLETS:
        outlet, words = outlet or words[-1], words[:-1]
    if len(words) > 1 and fold(words[0]) in OUTLETS:
        outlet, words = outlet or words[0], words[1:]
    if len(words) == 1 and words[0].lower() in common:
        return None
    if not words or len(words) > 4 or any(not _is_name(w) or w.endswith("-") for w in words):
        return None
    if any(
        fold(w) in ORG_WORDS | OUTLET_WORDS or (w.isupper() and len(w) > 2) or any(c.isdigit() for c in w)
        for w in words
    ):
        return None
    if country_name(" ".join(words)) or (len(words) == 1 and country_name(words[0])):
        return None
    return " ".join(words), outlet


def journalist_named(text, after_question=False, common=frozenset()):
    """(name, outlet) of the reporter a turn ends by calling on or introducing: "The first
    question will be from Arshad Mohammed from Reuters.", "We'll go to Juan Merlano.",
    "... Thanks, Ed.\n\nJeremy."; None when it names no one."""
    # an introduction closes the turn: its last sentences are enough
    tail = text[-600:]
    last = [part for part in sentences(speech(tail)) if part]
    if CALL_TRIGGER_RE.search(tail):
        for sentence in reversed(last[-3:]):
            if not CALL_TRIGGER_RE.search(sentence):
                continue
            match = INTRO_RE.search(sentence)
            if match:
                outlet = re.sub(r"\s+(?:of|and|the)$", "", match.group("outlet").rstrip(".,;"))
                return _reporter(match.group("name"), outlet, common)
            match = INTRO_NAME_RE.search(sentence)
            if match:
                return _reporter(match.group("name"), "", common)
    # a call-on ends the turn; after a longer answer, only in a short paragraph of its own or
    # with words that give the floor ("... that is all.  Go ahead, Ed.")
    closing = len(_WORD_RE.findall(text.rstrip().rsplit("\n\n", 1)[-1])) <= 10
    for sentence in reversed(last[-3:]):
        match = KICK_OFF_RE.search(sentence) or NAME_OUTLET_RE.match(sentence)
        if match and _is_name(match.group("name").split()[0]):
            return _reporter(match.group("name"), match.groupdict().get("outlet") or "", common)
        strict = (after_question and len(last) == 1) or (len(last) > 1 and not closing)
        name = called(sentence, strict=strict)
        if name:
            return _reporter(name, "", common)
        if name is None:
            break  # anything else said after the call-on: it is not the floor given
    return None


def is_line_check(text):
    """While a reporter's line is opened: "Can you hear me?", "Hello?", "Yes, I can hear you.",
    "Your line is open." - the call stays with that reporter."""
    if len(text) > 160:
        return False
    spoken = speech(text)
    if SOUND_CHECK_RE.search(spoken):
        return True
    words = _WORD_RE.findall(spoken)
    return 0 < len(words) <= 14 and all(w.lower() in LINE_CHECK_WORDS or _is_name(w) for w in words)
