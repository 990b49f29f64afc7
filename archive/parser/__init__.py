"""Parsing transcripts: plain text in, frozen dataclasses out. Pure Python, no Django.

The door is `parse_transcript(text, metadata=..., filename=...)`. It recognises layouts by
general rules (a header block of short lines, speaker labels at line starts, a trailer of
closing marks), never by file, and it guarantees that every word of the text is kept:
`check_complete` runs on every parse and raises `ParseError` naming the first line whose
words would be lost.

The stages, one module each, in the order they run: `layout` (lines, paragraphs, header and
trailer bounds), `header` (title, date, place, people, publisher), `labels` and `names` (who a
label or a title names), `segments` (the text of each turn) and `attribution` (speakers, kinds,
answers). Their word lists live in `vocabulary.toml`.
"""

import re

from archive.parser import attribution, header, layout
from archive.parser.attribution import UNIDENTIFIED_JOURNALIST
from archive.parser.labels import label_key, match_label
from archive.parser.layout import check_complete
from archive.parser.segments import segments as split_segments
from archive.parser.shapes import ParsedTurn, ParseError, Participant, SpeakerRef, Transcript
from archive.parser.text import PROSE_RE, words

PRN_RE = re.compile(r"^PRN:\s*(\S.*?)\s*$", re.M)

__all__ = [
    "UNIDENTIFIED_JOURNALIST",
    "ParseError",
    "ParsedTurn",
    "Participant",
    "SpeakerRef",
    "Transcript",
    "check_complete",
    "label_key",
    "match_label",
    "parse_transcript",
    "words",
]


def parse_transcript(text, *, metadata=None, filename="", registry=None):
    """Parse one transcript. Raises ParseError when it cannot be stored faithfully.

    `registry` (an `archive.parser.registry.Registry`) identifies labels the text alone does not
    (`MR PRICE` at a 2022 State Department briefing), on the event's dates only."""
    metadata = metadata or {}
    text, warnings = layout.normalise(text)
    layout.check_is_text(text)
    lines = text.split("\n")
    reflow = layout.is_hard_wrapped(lines)
    labels = {index: found for index, line in enumerate(lines) if (found := match_label(line))}
    first_label = min(labels, default=len(lines))

    trailer_start = layout.trailer_start(lines, first_label, bool(labels))
    paragraphs = layout.paragraphs(lines, 0, trailer_start, reflow)
    header_end = layout.header_end(paragraphs, first_label, bool(labels), reflow)
    fields = header.parse_header(lines[:header_end])
    if not labels and header_end and not fields.title:
        header_end, fields = 0, header.Header()
    identity = header.identity(fields, metadata, filename)
    collection = (
        header.collection(metadata, fields)
        or ("UN General Assembly, General Debate" if identity.un_file else "")
        or ("U.S. Department of State" if PRN_RE.search("\n".join(lines[trailer_start:])) else "")
    )
    context = attribution.Context.of(registry, identity.date, identity.year, collection)
    people = attribution.people(fields, metadata, context)

    segments = split_segments([p for p in paragraphs if p.first_line > header_end], labels, reflow)
    if not segments:
        raise ParseError("no recognisable transcript: nothing after the header", line=header_end or 1)
    if not labels and not any(PROSE_RE.search(part) for segment in segments for part in segment.parts):
        raise ParseError(
            "no recognisable structure: no speaker labels and no speech (not one sentence of prose)",
            line=segments[0].line,
        )

    un_speaker = None
    if identity.un_country:
        country = identity.un_country
        un_speaker = SpeakerRef(
            f"Representative of {country}", "role", title="Head of delegation", organisation=country
        )
    principal = next((p for p in people if p.role == "principal"), None)
    default_speaker = un_speaker  # who speaks an unlabelled turn: in a text without labels, its principal
    if default_speaker is None and principal is not None and not labels:
        default_speaker = attribution.person_ref(principal)
    file = attribution.stated(lines[:header_end], fields.title, segments, context)
    turns = attribution.attribute(segments, people, default_speaker, context, file)
    participants = attribution.participants(people, un_speaker, turns)

    trailer_text = "\n".join(lines[trailer_start:]).strip("\n")
    prn = PRN_RE.search(trailer_text)
    has_counterpart = any(p.role == "counterpart" for p in participants)
    has_questions = any(t.kind == "question" for t in turns)
    transcript = Transcript(
        title=identity.title.strip(),
        kind=header.event_kind(identity.title, metadata, has_counterpart, has_questions, identity.un_file),
        date=identity.date,
        year=identity.year,
        time=fields.time,
        city=fields.city,
        country=fields.country,
        venue=fields.venue,
        collection=collection,
        source_url=metadata.get("url") or "",
        source_ref=prn.group(1) if prn else "",
        header_text="\n".join(lines[:header_end]).strip("\n"),
        trailer_text=trailer_text,
        participants=tuple(participants),
        turns=tuple(turns),
        warnings=tuple(warnings),
    )
    check_complete(text, transcript)
    return transcript
