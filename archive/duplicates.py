"""Possible duplicates: pairs of speakers that may be one person, proposed to archivists, who
merge them (or not) with the admin's merge.

Proposed: a label-only speaker and a full name with that surname ("Press Secretary Gibbs" and
"Robert Gibbs", "Foreign Minister Park" and "Park Jin"); spelling variants and typos of a surname
("President Zelenskky", "Foreign Minister De Maio" beside "Luigi Di Maio"); full names that differ
only by spelling or a shortened first name ("Jen Psaki", "Jennifer Psaki"). Never proposed: two
speakers the registry ties to two different people. Similarity is rapidfuzz's; human names are
split by nameparser.
"""

import itertools
from dataclasses import dataclass

from nameparser import HumanName
from rapidfuzz import fuzz, process

from archive.models import Speaker
from archive.parser import label_key
from archive.parser.vocabulary import ROLE_WORDS

SPELLING = 85  # a surname printed with one or two letters wrong: "Zelenskky", "De Maio"
FULL_NAME = 90  # two full names that read alike


@dataclass(frozen=True)
class PossibleDuplicate:
    keep: Speaker  # the one a merge keeps by default: a full name, tied to the registry, with more turns
    other: Speaker
    score: int  # 0-100
    reason: str


@dataclass(frozen=True)
class _Name:
    speaker: Speaker
    words: tuple  # the name as label words, lower case, without its role words
    is_label: bool  # only a role or honorific and a surname: "Ms. Psaki"
    last: str  # the surname of a full name, as nameparser reads it


def _name(speaker):
    words = label_key(speaker.name).lower().split()
    core = words
    while core and core[0] in ROLE_WORDS | {"the"}:
        core = core[1:]
    is_label = len(core) < len(words) or len(core) == 1
    last = label_key(HumanName(" ".join(core)).last).lower() if core else ""
    return _Name(speaker, tuple(core), is_label, last)


def _runs(words, size):
    return [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]


def _pair(a, b, score, reason):
    def strength(name):
        s = name.speaker
        return (s.person_id is not None, not name.is_label, getattr(s, "turn_count", 0), -s.pk)

    keep, other = sorted([a, b], key=strength, reverse=True)
    return PossibleDuplicate(keep.speaker, other.speaker, int(round(score)), reason)


def _label_and_full(label, full):
    surname = " ".join(label.words)
    runs = _runs(full.words, len(label.words))
    if surname in runs:
        return 100, "same surname; one is only a label"
    best = max((fuzz.ratio(surname, run) for run in runs), default=0)
    if best >= SPELLING:
        return best, "surname spelt differently; one is only a label"
    return None


def _two_labels(a, b):
    first, second = " ".join(a.words), " ".join(b.words)
    if first == second:
        return 100, "one surname under different titles"
    score = fuzz.ratio(first, second)
    return (score, "surname spelt differently") if score >= SPELLING else None


def _two_full_names(a, b):
    if a.last and a.last == b.last:
        first_a, first_b = a.words[0], b.words[0]
        if first_a.startswith(first_b) or first_b.startswith(first_a):
            return 95, "same surname, first name shortened"
    score = fuzz.token_sort_ratio(" ".join(a.words), " ".join(b.words))
    if score >= FULL_NAME and fuzz.ratio(a.last, b.last) >= SPELLING:
        return score, "names spelt differently"
    return None


def _groups(keys):
    """Index lists of equal keys: [[0, 3], [1]] for ["a", "b", "c", "a"]."""
    groups = {}
    for index, key in enumerate(keys):
        groups.setdefault(key, []).append(index)
    return [group for key, group in groups.items() if key and len(group) > 1]


def possible_duplicates(speakers=None):
    """[PossibleDuplicate], most likely first, among archive-wide named speakers."""
    if speakers is None:
        speakers = Speaker.objects.archive_wide().of_kind(Speaker.Kind.PERSON).with_counts()
    names = [name for name in map(_name, speakers) if name.words]
    labels = [name for name in names if name.is_label]
    fulls = [name for name in names if not name.is_label]
    found = []

    def consider(a, b, judged):
        if judged and not (a.speaker.person_id and b.speaker.person_id and a.speaker.person_id != b.speaker.person_id):
            found.append(_pair(a, b, *judged))

    # Full names sharing a word with a label's surname, or spelt close to it: rapidfuzz narrows the field.
    by_word = {}
    for full in fulls:
        for word in set(full.words):
            by_word.setdefault(word, []).append(full)
    vocabulary = list(by_word)
    for label in labels:
        near = process.extract(label.words[-1], vocabulary, scorer=fuzz.ratio, score_cutoff=SPELLING - 10, limit=None)
        candidates = {id(full): full for word, _, _ in near for full in by_word[word]}
        for full in candidates.values():
            consider(label, full, _label_and_full(label, full))
    for a, b in itertools.combinations(labels, 2):
        if abs(len(a.words) - len(b.words)) <= 1:
            consider(a, b, _two_labels(a, b))
    texts = [" ".join(full.words) for full in fulls]
    pairs = set()
    for group in _groups(full.last for full in fulls):
        pairs |= set(itertools.combinations(group, 2))
    for i, text in enumerate(texts):
        near = process.extract(text, texts, scorer=fuzz.token_sort_ratio, score_cutoff=FULL_NAME, limit=None)
        pairs |= {(i, j) for _, _, j in near if i < j}
    for i, j in sorted(pairs):
        consider(fulls[i], fulls[j], _two_full_names(fulls[i], fulls[j]))
    found.sort(key=lambda pair: (-pair.score, pair.keep.name, pair.other.name))
    return found
