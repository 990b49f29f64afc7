"""What both search engines share."""

TURN_CT = "archive.turn"
EVENT_CT = "archive.event"


class IndexBusy(Exception):
    """The index cannot take writes right now (another writer holds it, or the engine is down);
    the work stays queued and is retried."""


def turn_doc_id(pk):
    return f"{TURN_CT}.{pk}"


def event_doc_id(pk):
    return f"{EVENT_CT}.{pk}"
