"""Attribution: who speaks each segment (a person the header names, a role of this event, a
journalist the moderator introduced), what kind of turn it is, and which question an answer
answers."""

import dataclasses
import re

from archive.parser.labels import label_core, label_key, label_notes
from archive.parser.names import Person, looks_like_person, match_person, surname_tokens, title_people
from archive.parser.segments import LANGUAGE_NOTE_RE, language_note
from archive.parser.shapes import ParsedTurn, Participant, SpeakerRef
from archive.parser.text import sentences, title_case, tokens
from archive.parser.vocabulary import (
    AUDIENCE_LABELS,
    AUDIENCE_WORDS,
    EVENT_ROLE_WORDS,
    JOURNALIST_LABELS,
    JOURNALIST_WORDS,
    MODERATOR_LABELS,
    MODERATOR_WORDS,
)

# The event-local speaker of questions whose journalist the transcript does not name.
UNIDENTIFIED_JOURNALIST = "Journalist (unidentified)"

INTRO_RE = re.compile(
    r"\b(?:from|to|is|of|by)\s+(?P<name>[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'.\-]+){1,3}?)\s+"
    r"(?:from|of|with|at)\s+(?P<outlet>(?:the\s+)?[A-Z][\w’'&.\-]*(?:\s+(?:[A-Z&][\w’'&.\-]*|of|and|the)){0,5})"
)


def people(header, metadata):
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
    return found


def resolve_label(label, people, organisation_hint=""):
    """A SpeakerRef for a printed label, using the people the header and title name."""
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
    organisation_hint = organisation_hint or (notes[0] if notes else "")
    if key == "A":  # question-and-answer interviews: `Q:` / `A:`
        principals = [p for p in people if p.role == "principal"]
        if len(principals) == 1:
            return SpeakerRef(principals[0].name, "person", title=principals[0].title)
        return SpeakerRef("Answer", "role", scope="event", resolved=False)
    person = match_person(label, people)
    if person:
        return SpeakerRef(person.name, "person", title=person.title, organisation=organisation_hint)
    surname = surname_tokens(label)
    lowered = key.lower().split()
    if "official" in lowered or "officials" in lowered or not surname:
        if lowered[:1] == ["the"] and len(lowered) >= 2:
            # `THE PRESIDENT`: one person only if the header or title names exactly one such.
            role_word = lowered[-1]
            holders = {p.name for p in people if role_word in tokens(p.title)}
            if len(holders) == 1:
                holder = next(p for p in people if p.name in holders)
                return SpeakerRef(holder.name, "person", title=holder.title)
            return SpeakerRef(title_case(core), "role", scope="event", resolved=False)
        return SpeakerRef(title_case(core), "role", scope="event")
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


def attribute(segments, people, default_speaker):
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
                    resolved[label] = resolve_label(label, people)
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
            found.append(Participant(SpeakerRef(person.name, "person", title=person.title), person.role))
    if un_speaker:
        found.append(Participant(un_speaker, "principal"))
    for turn in turns:
        if turn.kind == "moderator" and turn.speaker and turn.speaker.name not in seen:
            seen.add(turn.speaker.name)
            found.append(Participant(turn.speaker, "moderator"))
    return found


def share_names(transcripts):
    """Give labels printed without a full name (`MS PORTER`) the full name that other transcripts
    of the same collection in this batch give the same label ("Jalina Porter"), when exactly one."""
    names = {}
    for transcript in transcripts:
        for turn in transcript.turns:
            ref = turn.speaker
            if turn.label and ref and ref.kind == "person" and not ref.label_only:
                names.setdefault((transcript.collection, label_key(turn.label)), {}).setdefault(ref.name, ref)
    shared = []
    for transcript in transcripts:
        turns = []
        for turn in transcript.turns:
            ref = turn.speaker
            if turn.label and ref and ref.label_only:
                known = names.get((transcript.collection, label_key(turn.label)), {})
                if len(known) == 1:
                    turn = dataclasses.replace(turn, speaker=next(iter(known.values())))
            turns.append(turn)
        shared.append(dataclasses.replace(transcript, turns=tuple(turns)))
    return shared
