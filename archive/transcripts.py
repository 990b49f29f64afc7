"""Stored events back as documents: the plain-text and JSON downloads of an event page."""


def transcript_text(event, turns):
    """The transcript as text: the header and trailer as printed, each turn as its label, a
    colon and its words (the source's own spacing after labels is not kept)."""
    parts = [event.header_text] if event.header_text else []
    for turn in turns:
        parts.append(f"{turn.label}: {turn.text}" if turn.label else turn.text)
    if event.trailer_text:
        parts.append(event.trailer_text)
    return "\n\n".join(parts) + "\n"


def transcript_json(event, turns, absolute_url):
    """The event and its turns, with permalinks (the shape of `manage.py parse_transcript --json`)."""
    return {
        "title": event.title,
        "url": absolute_url(event.get_absolute_url()),
        "kind": event.kind,
        "date": event.date.isoformat() if event.date else None,
        "year": event.year,
        "time": event.time,
        "place": event.place,
        "venue": event.venue,
        "collection": event.collection,
        "source_url": event.source_url,
        "source_ref": event.source_ref,
        "header_text": event.header_text,
        "trailer_text": event.trailer_text,
        "participants": [
            {"name": p.speaker.name, "role": p.role, "title": p.title, "kind": p.speaker.kind}
            for p in event.participations.select_related("speaker")
        ],
        "turns": [
            {
                "sequence": turn.sequence,
                "id": turn.public_id,
                "permalink": absolute_url(turn.get_absolute_url()),
                "label": turn.label or None,
                "speaker": turn.speaker.name if turn.speaker else None,
                "speaker_kind": turn.speaker.kind if turn.speaker else None,
                "kind": turn.kind,
                "in_reply_to": turn.in_reply_to.sequence if turn.in_reply_to else None,
                "language_note": turn.language_note or None,
                "text": turn.text,
            }
            for turn in turns
        ],
    }
