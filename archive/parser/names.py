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
    """People named in a title after a role: [(name, role, is_counterpart)].

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
        if len(name) == 1:
            name = role_words[-2:] + name if role_words else name
        name, role = " ".join(name), (adjective + " " + role).strip()
        if name.isupper():
            name, role = title_case(name), title_case(role)  # older releases print titles in capitals
        people.append((name, role, counterpart))
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

