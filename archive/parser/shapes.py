"""What a parse gives: frozen dataclasses, and the ParseError that names the line."""

import datetime as dt
from dataclasses import dataclass, field


class ParseError(ValueError):
    """The text cannot be stored faithfully. `line` is 1-based, or None for the whole file.
    (`archive.sources.SourceError`, for files that cannot even be read, is one too.)"""

    def __init__(self, message, line=None):
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self):
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass(frozen=True)
class SpeakerRef:
    """Who a label denotes, as far as the text alone tells.

    scope is "archive" for speakers recognisable across events (people, a country's
    representative) and "event" for those that exist only in this transcript (a moderator,
    "Senior State Department Official One", an unidentified journalist). resolved is False
    for labels that name no one safely (`THE PRESIDENT` with no president in the header).
    """

    name: str
    kind: str  # person, role, journalist, moderator, audience
    title: str = ""
    organisation: str = ""
    scope: str = "archive"
    resolved: bool = True
    label_only: bool = False  # the name is only the printed label (`Ms Porter`), no full name known
    person_id: str = ""  # the registry's id for this person, when the registry identified them


@dataclass(frozen=True)
class Participant:
    speaker: SpeakerRef
    role: str  # principal, counterpart, moderator


@dataclass(frozen=True)
class ParsedTurn:
    sequence: int
    label: str | None
    speaker: SpeakerRef | None
    kind: str  # statement, question, answer, moderator, stage_direction
    text: str
    line: int
    language_note: str = ""
    in_reply_to: int | None = None


@dataclass(frozen=True)
class Transcript:
    title: str
    kind: str
    date: dt.date | None
    year: int | None
    time: str
    city: str
    country: str
    venue: str
    collection: str
    source_url: str
    source_ref: str
    header_text: str
    trailer_text: str
    participants: tuple[Participant, ...]
    turns: tuple[ParsedTurn, ...]
    warnings: tuple[str, ...] = field(default=())

    @property
    def place(self):
        return ", ".join(part for part in (self.city, self.country) if part)

    def stored_text(self):
        """Everything that is stored verbatim, in source order (what the word check reads)."""
        pieces = [self.header_text]
        for turn in self.turns:
            pieces.append(turn.label or "")
            pieces.append(turn.text)
        pieces.append(self.trailer_text)
        return "\n".join(pieces)
