"""The table of contents of a transcript: who speaks and how often, and the questions grouped by
who asked them, each with the anchor of its turn. Built from the turns the event page has already
loaded (speakers and replies selected with them), so it costs no query."""

from dataclasses import dataclass, field

from archive.models import Speaker, Turn

UNNAMED = "Not named in the transcript"
QUESTION_WORDS = 14


@dataclass
class SpeakerEntry:
    name: str
    anchor: str  # of their first turn
    slug: str = ""  # for “only this speaker”; empty for a label that names no speaker
    turns: int = 0
    role: str = ""  # e.g. “Department Spokesperson”, “moderator”


@dataclass(frozen=True)
class QuestionEntry:
    sequence: int
    anchor: str
    opening: str  # its first words


@dataclass
class AskerEntry:
    name: str
    outlet: str = ""
    questions: list = field(default_factory=list)  # QuestionEntry


@dataclass
class Contents:
    speakers: list
    askers: list
    question_count: int

    @property
    def useful(self):
        """Worth showing: more than one speaker, or any question."""
        return len(self.speakers) > 1 or self.question_count > 0


def _speaker_entry(turn):
    speaker = turn.speaker
    if speaker is None:
        return ("label", turn.label), SpeakerEntry(turn.label, turn.anchor)
    role = speaker.title if not speaker.event_id else speaker.get_kind_display().lower()
    if speaker.event_id and speaker.kind == Speaker.Kind.JOURNALIST:
        role = ""
    return ("speaker", speaker.pk), SpeakerEntry(speaker.name, turn.anchor, slug=speaker.slug, role=role)


def _asker(turn):
    speaker = turn.speaker
    if speaker is not None and not speaker.event_id:
        return (speaker.name, speaker.organisation)
    return (UNNAMED, "")


def _question(turn):
    words = turn.text.split(maxsplit=QUESTION_WORDS)
    opening = " ".join(words[:QUESTION_WORDS]) + (" …" if len(words) > QUESTION_WORDS else "")
    return QuestionEntry(turn.sequence, turn.anchor, opening)


def table_of_contents(turns):
    """Contents of an event from its turns in order."""
    speakers, askers = {}, {}
    question_count = 0
    for turn in turns:
        if turn.kind == Turn.Kind.STAGE_DIRECTION or not (turn.speaker_id or turn.label):
            continue
        key, entry = _speaker_entry(turn)
        entry = speakers.setdefault(key, entry)
        entry.turns += 1
        if turn.kind == Turn.Kind.QUESTION:
            question_count += 1
            name, outlet = _asker(turn)
            askers.setdefault((name, outlet), AskerEntry(name, outlet)).questions.append(_question(turn))
    # Named journalists in the order they first asked; the unnamed together at the end.
    ordered = sorted(askers.values(), key=lambda asker: asker.name == UNNAMED)
    return Contents(list(speakers.values()), ordered, question_count)
