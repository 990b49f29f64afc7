"""People's names: in header lines (`Name, Role`), in titles after a role ("Remarks With Russian
Foreign Minister Sergey Lavrov"), and matching a label's surname to one of them."""

import re
from dataclasses import dataclass

from archive.parser.labels import label_key
from archive.parser.places import country_name
from archive.parser.text import fold_word, title_case, tokens
from archive.parser.vocabulary import (
    HONORIFICS,
    NAME_PARTICLES,
    ORG_WORDS,
    QUALIFIER_ROLE_WORDS,
    ROLE_WORDS,
    TITLE_STOPWORDS,
    VENUE_WORDS,
)

NAME_TOKEN = r"(?:[A-Z][\w’'\-]*\.?|[A-Z]\.|(?:de|da|van|von|der|al|el|bin|la|le|do|dos|du)(?=\s))"
PERSON_NAME_RE = re.compile(rf"^{NAME_TOKEN}(?:\s+{NAME_TOKEN}){{1,5}}$")


@dataclass(frozen=True)
class Person:
    """Someone the header or title names."""

    name: str
    title: str
    role: str  # principal or counterpart
    person_id: str = ""  # the registry's id, when it knows them
    label_only: bool = False  # only a role and a surname ("President Obama"): no full name known


def is_role_text(text):
    return any(token.strip(".,") in ROLE_WORDS - HONORIFICS for token in tokens(text)) or bool(
        re.search(r"\b(?:spokesperson|official|representative|minister|secretary)\b", text, re.I)
    )


def looks_like_person(text):
    text = text.strip()
    if not PERSON_NAME_RE.match(text):
        return False
    words = {t.strip(".").lower() for t in text.split() if len(t.strip(".")) > 1}
    return not (words & (VENUE_WORDS | TITLE_STOPWORDS)) and not is_role_text(text)


def split_leading_roles(name):
    """`Ambassador Bonnie Denise Jenkins` -> ("Ambassador", "Bonnie Denise Jenkins")."""
    parts = name.split()
    leading = 0
    while leading < len(parts) - 1 and fold_word(parts[leading]) in ROLE_WORDS:
        leading += 1
    return " ".join(parts[:leading]), " ".join(parts[leading:])


def _is_role_trigger(token):
    word = fold_word(token)
    return word in ROLE_WORDS and word not in QUALIFIER_ROLE_WORDS


def title_people(title):
    """People named in a title after a role: [(name, role, is_counterpart, is_full_name)].

    `Remarks With Russian Foreign Minister Sergey Lavrov` -> Sergey Lavrov, a counterpart: named
    after "with", or with a nationality before the role, or "of <Country>" after the name.
    """
    tokens_ = re.findall(r"[\w’'.\-]+|[,|–—:;()]", title)
    people = []
    index = 0
    while index < len(tokens_):
        if not _is_role_trigger(tokens_[index]):
            index += 1
            continue
        start = index
        while start > 0 and fold_word(tokens_[start - 1]) in ROLE_WORDS:
            start -= 1
        adjective = ""
        if start > 0 and tokens_[start - 1][:1].isupper():
            word = fold_word(tokens_[start - 1])
            demonym = re.search(r"(?:an|ian|ese|ish|i|ic|ch|sh)$", word) and not tokens_[start - 1].isupper()
            if word not in TITLE_STOPWORDS | ROLE_WORDS | ORG_WORDS and (demonym or country_name(tokens_[start - 1])):
                adjective = tokens_[start - 1]
        run = []
        end = index
        possessive = False
        while end < len(tokens_):
            token = tokens_[end]
            word = fold_word(token)
            if token[:1].isupper() and word not in TITLE_STOPWORDS:
                run.append(token)
                if re.search(r"[’']s$", token):
                    possessive = True  # "President Biden’s Executive Order": a mention, not a speaker
                    break
            elif word in NAME_PARTICLES and end + 1 < len(tokens_) and tokens_[end + 1][:1].isupper():
                run.append(token)
            else:
                break
            end += 1
        # "President López Obrador of Mexico": the country is not part of the name
        of_country = False
        for cut, token in enumerate(run):
            if fold_word(token) == "of" and cut > 0:
                remainder = [t for t in run[cut + 1 :] if fold_word(t) != "the"]
                if remainder and country_name(" ".join(remainder)):
                    run, of_country = run[:cut], True
                    break
        leading = 0
        while leading < len(run) and fold_word(run[leading]) in ROLE_WORDS:
            leading += 1
        rest = run[leading:]
        name = []
        if any(fold_word(token) in {"of", "the", "for"} for token in rest):
            # a long role phrase ("Chair of the Council of Economic Advisers Jared Bernstein"):
            # the name trails it, after a role or organisation word, never right after "of"/"for"
            for token in reversed(rest):
                word = fold_word(token)
                if word in {"of", "the", "for"}:
                    name = []
                    break
                if word in ROLE_WORDS or word in ORG_WORDS:
                    break
                name.insert(0, token)
            keep = 3 if len(name) >= 3 and re.fullmatch(r"[A-Z]\.", name[-2]) else 2
            name = name[-keep:]
        else:
            for token in rest[:5]:
                if fold_word(token) in ORG_WORDS | ROLE_WORDS:
                    break
                name.append(token)
        index = max(end, index + 1)
        if not name or possessive:
            continue
        role_words = [t for t in tokens_[start:index] if fold_word(t) in ROLE_WORDS]
        role = " ".join(role_words)
        after = " ".join(tokens_[end : end + 3])
        before = " ".join(tokens_[max(0, start - 3) : start]).lower()
        counterpart = bool(
            adjective or of_country or re.match(r"^of (?:the )?[A-Z]", after) or re.search(r"\bwith\b", before)
        )
        complete = len(name) > 1
        if not complete:
            # a surname alone is no name: it stands with its role as printed, as a label would
            surname_at = max(i for i in range(start, end) if tokens_[i] == name[-1])
            name = [t for t in tokens_[start : surname_at + 1] if t not in {",", "|", "–", "—", ":", ";"}]
        name, role = " ".join(name), (adjective + " " + role).strip()
        if name.isupper():
            name, role = title_case(name), title_case(role)  # older releases print titles in capitals
        people.append((name, role, counterpart, complete))
    return people


def surname_tokens(label):
    """The words of a label or name after its role words: `SECRETARY BLINKEN` -> ["blinken"]."""
    words = label_key(label).lower().split()
    while words and words[0] in ROLE_WORDS | {"the"}:
        words = words[1:]
    return words


def same_name(wanted, full):
    """Whether label or name tokens `wanted` denote the full name `full` (surname, or first and last)."""
    if not wanted or not full or wanted[-1] != full[-1]:
        if len(wanted) == 1 and wanted[0] in full[1:]:
            return True  # a compound surname printed in part: `LÓPEZ` for López Obrador
        return full[-len(wanted) :] == wanted if wanted and len(wanted) <= len(full) else False
    if len(wanted) == 1 or len(full) == 1:
        return True
    return (
        wanted[0] == full[0]
        or full[-len(wanted) :] == wanted
        or wanted[0][:1] == full[0][:1]
        and len(wanted[0]) == 1
    )


def match_person(label, people):
    """The header or title person whose name ends with the label's surname, if exactly one."""
    wanted = [t.replace("’", "'") for t in surname_tokens(label)]
    if not wanted:
        return None
    found = [p for p in people if same_name(wanted, [t.replace("’", "'") for t in surname_tokens(p.name)])]
    names = {person.name for person in found}
    return found[0] if len(names) == 1 else None



# --- names stated elsewhere: lists of officials, introductions --------------------------------

_TOKEN_RE = re.compile(r"[\w’'.\-]+")
INITIAL_RE = re.compile(r"^[A-Z]\.(?:[A-Z]\.)?$")
_PARTICLES_IN_NAMES = NAME_PARTICLES - {"of", "the", "for"}
# What a moderator says before naming the officials on a call ("we are joined today by ...").
INTRODUCTION_RE = re.compile(
    r"\b(?:joined (?:today |here |now |this \w+ )?by|joining us (?:today |now )?(?:is|are)?|with us (?:today |now )?"
    r"(?:is|are)?|turn (?:it |things )?(?:over )?to|hand (?:it )?(?:over )?to|pass (?:it )?(?:over )?to|"
    r"introduce|welcome|hear (?:first )?from|(?:first|next) (?:speaker|briefer)s? (?:is|are|will be))\s+",
    re.I,
)
INTRODUCTION_WORDS = ("join", "with us", "over to", "introduc", "welcome", "hear ", "speaker", "briefer")
SELF_INTRODUCTION_RE = re.compile(
    r"\b(?:I[’']m|I am|[Mm]y name is|[Tt]his is)\s+(?P<name>[A-Z][\w’'\-]*(?:\s+(?:[A-Z]\.|[A-Z][\w’'\-]*)){1,3})"
)
# A sentence ends at . ! ? that does not close an initial ("Daniel J. Kritenbrink").
SENTENCE_END_RE = re.compile(r"(?<!\b[A-Z])[.!?](?=\s|$)")


def _is_name_word(token, upper):
    word = fold_word(token)
    if not token[:1].isupper() or word in ROLE_WORDS | ORG_WORDS | TITLE_STOPWORDS:
        return False
    if INITIAL_RE.match(token):
        return True
    # an acronym (ISIS, USAID, NSC) in mixed-case text is an organisation, not a name
    return upper or not (token.isupper() and len(token) > 1) and not re.search(r"[’']s$", token)


def names_in(text):
    """Full names in a list of officials or an introduction: each run of capitalised words in a
    part (between commas, semicolons and "and") read from its end, so that the role before a
    name is not part of it: "Acting Director of the Office ... ISIS Patrick Worman" -> Patrick
    Worman. Two words, or three with a middle initial or a particle ("Luigi Di Maio")."""
    found = []
    upper = text.isupper()
    for part in re.split(r"[,;:()]|\s(?:and|AND|And|&)\s", text):
        tokens = _TOKEN_RE.findall(part.strip().rstrip("."))
        runs, run = [], []
        for token in tokens:
            if _is_name_word(token, upper) or (run and fold_word(token) in _PARTICLES_IN_NAMES):
                run.append(token.rstrip(".") if not INITIAL_RE.match(token) else token)
            else:
                runs.append(run)
                run = []
        runs.append(run)
        for run in runs:
            while run and fold_word(run[-1]) in _PARTICLES_IN_NAMES:
                run = run[:-1]
            keep = 2
            while keep < len(run) and (INITIAL_RE.match(run[-keep]) or fold_word(run[-keep]) in _PARTICLES_IN_NAMES):
                keep += 1
            name = run[-keep:]
            if len(name) >= 2 and not INITIAL_RE.match(name[0]) and fold_word(name[0]) not in _PARTICLES_IN_NAMES:
                found.append(title_case(" ".join(name)) if upper else " ".join(name))
    return found


def introduced_names(text):
    """Names a turn introduces: "we are joined today by Assistant Secretary ... Anne Witkowsky;
    ... Robert Jenkins", "I'd like to turn it over to ..."."""
    found = []
    lowered = text.lower()
    if not any(word in lowered for word in INTRODUCTION_WORDS):
        return found  # most turns introduce no one: spare them the expression
    for match in INTRODUCTION_RE.finditer(text):
        rest = text[match.end() : match.end() + 600]
        end = SENTENCE_END_RE.search(rest)
        found += names_in(rest[: end.start()] if end else rest)
    return list(dict.fromkeys(found))


def self_introduction(text):
    """The name a speaker gives themselves at the start of a turn ("I'm Dan Kurtz-Phelan."), or None."""
    match = SELF_INTRODUCTION_RE.search(text[:400])
    if not match:
        return None
    names = names_in(match.group("name"))
    return names[0] if names else None


INTERVIEWER_RE = re.compile(
    r"\b[Ww]ith\s+(?P<name>[A-Z][\w’'\-]+(?:\s+(?:[A-Z]\.|[A-Z][\w’'\-]+)){1,3}?)\s+(?:of|on|from)\s+"
    r"(?P<outlet>(?:the\s+)?[A-Z][\w’'&.\-]*(?:\s+(?:[A-Z&][\w’'&.\-]*|of|and|the)){0,6})"
)


def interviewer(title):
    """(name, outlet) of the journalist a title says the interview is with: "Secretary Antony J.
    Blinken With David Muir of ABC World News Tonight"; None when the title names no one such or
    the name starts with a role ("with Foreign Minister Lavrov of Russia")."""
    match = INTERVIEWER_RE.search(title)
    if not match or fold_word(match.group("name").split()[0]) in ROLE_WORDS:
        return None
    outlet = re.sub(r"\s+(?:of|and|the)$", "", match.group("outlet").strip(" .,;"))
    return match.group("name"), re.sub(r"[’']s$", "", outlet)


def distinct_names(names):
    """Names without repeats, a shortened first name giving way to the full one ("Rob Jenkins",
    "Robert Jenkins" -> "Robert Jenkins")."""
    kept = []
    for name in names:
        words = name_words(name)
        same = next((k for k in kept if _shortened(name_words(k), words) or _shortened(words, name_words(k))), None)
        if same is None:
            kept.append(name)
        elif len(name) > len(same):
            kept[kept.index(same)] = name
    return kept


def name_words(name):
    return [t.replace("’", "'") for t in label_key(name).lower().split()]


def _shortened(short, long):
    return len(short) == len(long) and short[1:] == long[1:] and long[0].startswith(short[0])
