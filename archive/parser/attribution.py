"""Attribution: who speaks each segment (a person the header names, a role of this event, a
journalist the moderator introduced), what kind of turn it is, and which question an answer
answers."""

import dataclasses
import datetime as dt
from dataclasses import dataclass

from archive.parser.dialogue import LowerCaseWords, is_line_check, is_moderation, is_phatic, journalist_named, speech
from archive.parser.labels import (
    label_core,
    label_key,
    label_notes,
    moderates,
    name_and_role,
    outlet_of,
)
from archive.parser.names import (
    Person,
    distinct_names,
    interviewer,
    introduced_names,
    looks_like_person,
    match_person,
    names_in,
    self_introduction,
    surname_tokens,
    title_people,
)
from archive.parser.registry import EMPTY, Registry
from archive.parser.segments import LANGUAGE_NOTE_RE, language_note
from archive.parser.shapes import ParsedTurn, Participant, SpeakerRef
from archive.parser.text import title_case, tokens
from archive.parser.vocabulary import (
    AUDIENCE_LABELS,
    AUDIENCE_WORDS,
    EVENT_ROLE_WORDS,
    HONORIFICS,
    JOURNALIST_LABELS,
    JOURNALIST_WORDS,
    MODERATOR_LABELS,
    MODERATOR_WORDS,
)

# The event-local speaker of questions whose journalist the transcript does not name.
UNIDENTIFIED_JOURNALIST = "Journalist (unidentified)"

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
        return dataclasses.replace(person, name=known.name, person_id=known.id, label_only=False)
    if person.label_only and (ref := through_registry(person.name, context)):
        return dataclasses.replace(person, name=ref.name, person_id=ref.person_id, label_only=False)
    return person


def people(header, metadata, context=Context()):
    """People the header and title name: principals, and counterparts named in the title."""
    found = [Person(name, role, "principal") for name, role in header.people]
    for name, role, counterpart, complete in title_people(header.title):
        existing = match_person(name, found)
        if existing:
            if counterpart and existing.role == "principal" and len(found) > 1:
                found[found.index(existing)] = dataclasses.replace(existing, role="counterpart")
            continue
        part = "counterpart" if counterpart and found else "principal"
        found.append(Person(name, role, part, label_only=not complete))
    if not found and metadata.get("creator"):
        name, _, role = metadata["creator"].partition(",")
        if looks_like_person(name):
            found.append(Person(name.strip(), role.strip(), "principal"))
    return [_identified(person, context) for person in found]


def person_ref(person, organisation="", label=None):
    """The SpeakerRef of a person the file names. One it names only by role and surname is
    label-only, under the label as printed when a label matched them."""
    name = title_case(label_core(label)) if person.label_only and label else person.name
    return SpeakerRef(
        name, "person", title=person.title, organisation=organisation, person_id=person.person_id,
        label_only=person.label_only,
    )  # fmt: skip


@dataclass(frozen=True)
class Stated:
    """What the file says about who is who beyond its header's people: names in its header lines
    and in introductions (`mentioned`), the name each label gives itself ("I'm Dan Kurtz-Phelan"),
    and the interviewer its title names."""

    mentioned: tuple = ()
    own: dict = dataclasses.field(default_factory=dict)  # label -> Person
    interviewer: tuple | None = None  # (name, outlet)


def stated(header_lines, title, segments, context):
    names = [name for line in header_lines for name in names_in(line)]
    names += [name for segment in segments if segment.label for name in introduced_names(segment.text)]
    mentioned = tuple(_identified(Person(name, "", "participant"), context) for name in distinct_names(names))
    own = {}
    for segment in segments:
        name = segment.label and segment.label not in own and self_introduction(segment.text)
        if name and match_person(segment.label, [Person(name, "", "participant")]):
            own[segment.label] = _identified(Person(name, "", "participant"), context)
    return Stated(mentioned, own, interviewer(title))


def _mentioned(label, mentioned):
    """A person the file mentions whose name ends with the label's surname and has a given name
    before it (a mention that is only the surname again names no one more)."""
    person = match_person(label, mentioned)
    if person and len(surname_tokens(person.name)) > len(surname_tokens(label)):
        return person
    return None


def resolve_label(label, people, context=Context(), file=Stated()):
    """A SpeakerRef for a printed label: a person the header or title names, else one the file
    introduces, else (on a dated event) the registry, else a role of this event, else the label
    itself, marked label-only."""
    key = label_key(label)
    core = label_core(label)
    label_words = set(key.split())
    if named := name_and_role(label):  # `Peter Stano, Moderator`: the name the label prints
        name, role = named
        person = match_person(name, people) or _identified(Person(name, role, "participant"), context)
        return dataclasses.replace(person_ref(person), title=role)
    if outlet := outlet_of(label):  # `Politico:`: a question from that outlet
        return SpeakerRef(f"Journalist ({outlet})", "journalist", organisation=outlet, scope="event")
    if key in JOURNALIST_LABELS or label_words & JOURNALIST_WORDS:
        if file.interviewer and key in JOURNALIST_LABELS:
            return SpeakerRef(file.interviewer[0], "journalist", organisation=file.interviewer[1])
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
            return person_ref(principals[0])
        return SpeakerRef("Answer", "role", scope="event", resolved=False)
    person = match_person(label, people)
    if person is None or person.label_only:  # the title gave only a surname: the file may say more
        if file.interviewer and match_person(label, [Person(file.interviewer[0], "", "")]):
            return SpeakerRef(file.interviewer[0], "journalist", organisation=file.interviewer[1])
        person = file.own.get(label) or _mentioned(label, file.mentioned) or person
    if person:
        return person_ref(person, organisation_hint, label)
    surname = surname_tokens(label)
    lowered = key.lower().split()
    if "official" in lowered or "officials" in lowered or not surname:
        if lowered[:1] == ["the"] and len(lowered) >= 2:
            # `THE PRESIDENT`: one person only if the header or title names exactly one such
            # (with that very role: the Vice President is not `THE PRESIDENT`).
            role = " ".join(lowered[1:])
            holders = {p.name for p in people if " ".join(tokens(p.title)) == role}
            if len(holders) == 1:
                return person_ref(next(p for p in people if p.name in holders))
            return through_registry(label, context) or SpeakerRef(
                title_case(core), "role", scope="event", resolved=False
            )
        return SpeakerRef(title_case(core), "role", scope="event")
    if found := through_registry(label, context):
        return dataclasses.replace(found, organisation=organisation_hint)
    if any(word in EVENT_ROLE_WORDS for word in lowered):
        return SpeakerRef(title_case(core), "role", scope="event")
    return SpeakerRef(title_case(core), "person", organisation=organisation_hint, label_only=True)


def _journalist(name, outlet=""):
    """A reporter the moderator named: archive-wide by full name; a first name alone ("Ed") names
    someone of this event only."""
    scope = "archive" if len(name.split()) > 1 else "event"
    return SpeakerRef(name, "journalist", organisation=outlet, scope=scope)


def _reporters_by_name(resolved, segments):
    """Reporters a briefing labels by name (`MS. STOLBERG:`): a label the file and the registry
    leave label-only, whose turns are (nearly) all questions, is a journalist's."""
    texts = {}
    for segment in segments:
        if segment.label and not segment.stage:
            texts.setdefault(segment.label, []).append(speech(segment.text))
    for label, ref in resolved.items():
        if ref.kind != "person" or not ref.label_only or ref.person_id:
            continue
        words = label_key(label).lower().split()
        if len(words) != 2 or words[0] not in HONORIFICS:
            continue  # `PRESIDENT BIDEN` asking questions at a roundtable is no reporter
        asks = sum(text.rstrip(" ”’\"')—–-").endswith("?") for text in texts.get(label, ()))
        if asks and asks >= 0.75 * len(texts[label]):
            resolved[label] = dataclasses.replace(ref, kind="journalist")
    return resolved


def attribute(segments, people, default_speaker, context=Context(), file=Stated()):
    """ParsedTurns: speakers resolved, kinds given, answers linked to their questions, and a
    question attributed to the reporter the turn before called on or introduced.

    A journalist's greeting or thanks is a statement, not a question; an official's turn that
    only gives the floor ("Go ahead, Ed.") is moderation, not an answer."""
    turns = []
    last_speaker = None
    open_question = None
    called = None  # (name, outlet) of the reporter named for the next question
    asking = None  # the named reporter who asked the last question
    # the whole text: a call-on "Maybe." names no reporter when the text also prints "maybe"
    common = LowerCaseWords("\n".join(segment.text for segment in segments))
    labels = dict.fromkeys(segment.label for segment in segments if segment.label)
    resolved = _reporters_by_name({label: resolve_label(label, people, context, file) for label in labels}, segments)
    for segment in segments:
        label = segment.label
        text = segment.text
        if segment.stage:
            kind, speaker = "stage_direction", None
        else:
            if label is not None:
                speaker = resolved[label]
            elif segment.continues and last_speaker is not None:
                speaker = last_speaker
            else:
                speaker = default_speaker
            if speaker and speaker.kind == "journalist":
                checking = is_line_check(text)
                kind = "statement" if is_phatic(text) or checking else "question"
                if called and speaker.name == UNIDENTIFIED_JOURNALIST:
                    speaker = _journalist(*called)  # the reporter called on, sound checks included
                # after "Sure." the same reporter goes on: the call stays with them
                asking = called if kind == "question" else None
            else:
                after_question = bool(turns) and turns[-1].kind == "question"
                moderating = label is not None and (moderates(label) or is_moderation(text, after_question))
                if moderating or (speaker and speaker.kind == "moderator"):
                    kind = "moderator"
                else:
                    kind = "answer" if open_question is not None else "statement"
                # the call stays while the reporter's line is opened ("Your line is open.") or the
                # official only acknowledges them ("Sure.")
                held = called or asking
                called = journalist_named(text, after_question, common) or (held if is_line_check(text) else None)
                asking = None
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
            found.append(Participant(person_ref(person), person.role))
    if un_speaker:
        found.append(Participant(un_speaker, "principal"))
    for turn in turns:
        speaker = turn.speaker
        if speaker is None or speaker.name in seen:
            continue
        if speaker.kind == "moderator":
            seen.add(speaker.name)
            found.append(Participant(speaker, "moderator"))
        elif speaker.kind == "person" and speaker.resolved and not speaker.label_only:
            seen.add(speaker.name)  # someone the file introduced, or the registry named
            found.append(Participant(speaker, "participant"))
    return found
