"""Attribution: who speaks each segment (a person the header names, a role of this event, a
journalist the moderator introduced), what kind of turn it is, and which question an answer
answers."""

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from archive.parser.labels import label_core, label_key, label_notes
from archive.parser.names import Person, looks_like_person, match_person, surname_tokens, title_people
from archive.parser.registry import EMPTY, Registry
from archive.parser.segments import LANGUAGE_NOTE_RE, language_note
from archive.parser.shapes import ParsedTurn, Participant, SpeakerRef
from archive.parser.text import sentences, title_case, tokens
from archive.parser.vocabulary import (
    AUDIENCE_LABELS,
    AUDIENCE_WORDS,
    EVENT_ROLE_WORDS,
    HONORIFICS,
    JOURNALIST_LABELS,
    JOURNALIST_WORDS,
    MODERATOR_LABELS,
    MODERATOR_WORDS,
    ROLE_WORDS,
)

# The event-local speaker of questions whose journalist the transcript does not name.
UNIDENTIFIED_JOURNALIST = "Journalist (unidentified)"

INTRO_RE = re.compile(
    r"\b(?:from|to|is|of|by)\s+(?P<name>[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'.\-]+){1,3}?)\s+"
    r"(?:from|of|with|at)\s+(?P<outlet>(?:the\s+)?[A-Z][\w’'&.\-]*(?:\s+(?:[A-Z&][\w’'&.\-]*|of|and|the)){0,5})"
)


@dataclass(frozen=True)
class Context:
    """What attribution may consult beyond the text: the registry, the days of the event (None
    when undated: then nothing resolves through the registry), and its publisher's organisations
    (`home`, with their departments) and those above them (`around`)."""

    registry: Registry = EMPTY
    span: tuple | None = None
    home: frozenset = frozenset()
    around: frozenset = frozenset()

    @classmethod
    def of(cls, registry, date, year, collection):
        if not registry:
            return cls()
        span = (date, date) if date else (dt.date(year, 1, 1), dt.date(year, 12, 31)) if year else None
        home = registry.with_descendants(registry.organizations_named(collection)) if collection else frozenset()
        return cls(registry, span, home, registry.with_ancestors(home))


def through_registry(label, context):
    """A person for a label from the registry, on the event's dates: a bare role (`THE PRESIDENT`)
    among the posts of the publisher and those above it, a role and a surname (`FOREIGN MINISTER
    PARK`) anywhere, a surname alone (`MR PRICE`) among the publisher's own posts; only when
    exactly one person fits."""
    if context.span is None:
        return None
    words = label_key(label).lower().split()
    surname = surname_tokens(label)
    role = " ".join(w for w in words[: len(words) - len(surname)] if w not in HONORIFICS and w != "the") or None
    if not surname:
        if role is None:
            return None
        found = context.registry.holders(context.span, role=role, organizations=context.around)
    elif role:
        found = context.registry.holders(context.span, surname=surname, role=role)
    else:
        found = context.registry.holders(context.span, surname=surname, organizations=context.home)
    if len(found) != 1:
        return None
    ((person_id, membership),) = found.items()
    person = context.registry.persons[person_id]
    return SpeakerRef(person.name, "person", title=membership.label, person_id=person_id)


def _identified(person, context):
    """A person the header or title names, as the registry knows them: by full name, or (a title
    that prints only a role and a surname, "President Obama") by role on the event's dates."""
    if not context.registry:
        return person
    known = context.registry.by_name(person.name)
    if known:
        return dataclasses.replace(person, name=known.name, person_id=known.id)
    if person.name.split()[0].lower().strip(".") in ROLE_WORDS and (ref := through_registry(person.name, context)):
        return dataclasses.replace(person, name=ref.name, person_id=ref.person_id)
    return person


def people(header, metadata, context=Context()):
    """People the header and title name: principals, and counterparts named in the title."""
    found = [Person(name, role, "principal") for name, role in header.people]
    for name, role, counterpart in title_people(header.title):
        existing = match_person(name, found)
        if existing:
            if counterpart and existing.role == "principal" and len(found) > 1:
                found[found.index(existing)] = dataclasses.replace(existing, role="counterpart")
            continue
        found.append(Person(name, role, "counterpart" if counterpart and found else "principal"))
    if not found and metadata.get("creator"):
        name, _, role = metadata["creator"].partition(",")
        if looks_like_person(name):
            found.append(Person(name.strip(), role.strip(), "principal"))
    return [_identified(person, context) for person in found]


def _ref(person, organisation=""):
    return SpeakerRef(person.name, "person", title=person.title, organisation=organisation, person_id=person.person_id)


def resolve_label(label, people, context=Context()):
    """A SpeakerRef for a printed label: a person the header or title names, else (on a dated
    event) the registry, else a role of this event, else the label itself, marked label-only."""
    key = label_key(label)
    core = label_core(label)
    label_words = set(key.split())
    if key in JOURNALIST_LABELS or label_words & JOURNALIST_WORDS:
        return SpeakerRef(UNIDENTIFIED_JOURNALIST, "journalist", scope="event")
    if key in MODERATOR_LABELS or label_words & MODERATOR_WORDS:
        return SpeakerRef(title_case(core), "moderator", scope="event")
    if key in AUDIENCE_LABELS or label_words & AUDIENCE_WORDS:
        return SpeakerRef(title_case(core), "audience", scope="event")
    if core.startswith("["):
        return SpeakerRef(core.strip("[]").strip().capitalize() or core, "role", scope="event")
    notes = [note for note in label_notes(label) if not LANGUAGE_NOTE_RE.match(f"({note})")]
    organisation_hint = notes[0] if notes else ""
    if key == "A":  # question-and-answer interviews: `Q:` / `A:`
        principals = [p for p in people if p.role == "principal"]
        if len(principals) == 1:
            return _ref(principals[0])
        return SpeakerRef("Answer", "role", scope="event", resolved=False)
    person = match_person(label, people)
    if person:
        return _ref(person, organisation_hint)
    surname = surname_tokens(label)
    lowered = key.lower().split()
    if "official" in lowered or "officials" in lowered or not surname:
        if lowered[:1] == ["the"] and len(lowered) >= 2:
            # `THE PRESIDENT`: one person only if the header or title names exactly one such.
            role_word = lowered[-1]
            holders = {p.name for p in people if role_word in tokens(p.title)}
            if len(holders) == 1:
                return _ref(next(p for p in people if p.name in holders))
            return through_registry(label, context) or SpeakerRef(
                title_case(core), "role", scope="event", resolved=False
            )
        return SpeakerRef(title_case(core), "role", scope="event")
    if found := through_registry(label, context):
        return dataclasses.replace(found, organisation=organisation_hint)
    if any(word in EVENT_ROLE_WORDS for word in lowered):
        return SpeakerRef(title_case(core), "role", scope="event")
    return SpeakerRef(title_case(core), "person", organisation=organisation_hint, label_only=True)


def _introduced_journalist(text):
    """`The first question will be from Arshad Mohammed from Reuters.` -> (name, outlet)."""
    # an introduction closes the turn: its last sentences are enough
    for sentence in reversed(sentences(text[-600:])[-3:]):
        if not re.search(r"\bquestion|\bline of\b|\bgo to\b|\bturn to\b", sentence, re.I):
            continue
        match = INTRO_RE.search(sentence)
        if match:
            outlet = re.sub(r"\s+(?:of|and|the)$", "", match.group("outlet").rstrip(".,;"))
            return match.group("name"), outlet
    return None


def attribute(segments, people, default_speaker, context=Context()):
    """ParsedTurns: speakers resolved, kinds given, answers linked to their questions, and a
    question attributed to the journalist the turn before introduced."""
    turns = []
    last_speaker = None
    open_question = None
    introduced = None  # (name, outlet, key of the introducer's label)
    resolved = {}
    for segment in segments:
        label = segment.label
        text = segment.text
        if segment.stage:
            kind, speaker = "stage_direction", None
        else:
            if label is not None:
                if label not in resolved:
                    resolved[label] = resolve_label(label, people, context)
                speaker = resolved[label]
            elif segment.continues and last_speaker is not None:
                speaker = last_speaker
            else:
                speaker = default_speaker
            kind = "statement"
            if speaker and speaker.kind == "journalist":
                kind = "question"
                if introduced:
                    # Only the question right after the introduction is surely theirs.
                    speaker = SpeakerRef(introduced[0], "journalist", organisation=introduced[1])
                    introduced = None
            elif speaker and speaker.kind == "moderator":
                kind = "moderator"
            elif open_question is not None:
                kind = "answer"
            if kind == "moderator" or (introduced and label is not None and label_key(label) == introduced[2]):
                introduced = None
            if kind != "question" and (found := _introduced_journalist(text)):
                introduced = (found[0], found[1], label_key(label or ""))
            last_speaker = speaker
        sequence = len(turns) + 1
        turns.append(
            ParsedTurn(
                sequence=sequence,
                label=label,
                speaker=speaker,
                kind=kind,
                text=text,
                line=segment.line,
                language_note=language_note(text, label),
                in_reply_to=open_question if kind == "answer" else None,
            )
        )
        if kind == "question":
            open_question = sequence
        elif kind == "moderator":
            open_question = None
    return turns


def participants(people, un_speaker, turns):
    found = []
    seen = set()
    for person in people:
        if person.name not in seen:
            seen.add(person.name)
            found.append(Participant(_ref(person), person.role))
    if un_speaker:
        found.append(Participant(un_speaker, "principal"))
    for turn in turns:
        if turn.kind == "moderator" and turn.speaker and turn.speaker.name not in seen:
            seen.add(turn.speaker.name)
            found.append(Participant(turn.speaker, "moderator"))
    return found
