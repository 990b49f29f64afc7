"""The one write path from transcripts to rows.

`ingest_transcript` writes one parsed transcript atomically and idempotently, keyed on its
source (URL, feed guid or file name). `ingest_files` reads, parses and writes a batch, and
reports every file that failed without stopping the rest; the `ingest` command is a thin
shell around it.
"""

import datetime as dt
import difflib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from archive import search
from archive.models import Event, Participation, Speaker, SpeakerAlias, Turn, new_public_id
from archive.parser import ParseError, label_key, parse_transcript
from archive.registry import current as current_registry
from archive.registry.models import Person
from archive.sources import INDEX_NAME, MetadataIndex, find_transcripts, read_source, source_key

logger = logging.getLogger(__name__)

NEW, UPDATED, UNCHANGED, KEPT = "new", "updated", "unchanged", "kept"


@dataclass
class Outcome:
    status: str  # new, updated, unchanged, kept (archivist edits kept: needs --force)
    event: Event | None = None


@dataclass
class Failure:
    path: Path
    message: str
    line: int | None = None

    def __str__(self):
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


@dataclass
class Report:
    outcomes: list = field(default_factory=list)  # (path, Outcome)
    failures: list = field(default_factory=list)  # Failure
    warnings: list = field(default_factory=list)  # (path, message)
    index_error: str = ""  # why the search index could not take the changes yet (they stay queued)

    def count(self, status):
        return sum(1 for _, outcome in self.outcomes if outcome.status == status)

    def for_review(self):
        """(undated events, turns with an unresolved label) among the events written, for archivists."""
        written = [
            outcome.event.pk for _, outcome in self.outcomes if outcome.event and outcome.status in (NEW, UPDATED)
        ]
        undated = Event.objects.filter(pk__in=written).undated().count()
        unresolved = Turn.objects.unresolved().filter(event__in=written).count()
        return undated, unresolved

    def summary(self):
        return (
            f"{self.count(NEW)} new, {self.count(UPDATED)} updated, {self.count(UNCHANGED)} unchanged, "
            f"{self.count(KEPT)} kept (edited by archivists; use --force), {len(self.failures)} failed"
        )


def unique_slug(model, text, max_length, **exclude):
    base = slugify(text)[: max_length - 8].strip("-") or "untitled"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exclude(**exclude).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


class _Speakers:
    """Turns SpeakerRefs into Speaker rows. A file's speakers depend only on that file (its
    SpeakerRefs, which the registry helped the parser make) and on archivists' confirmed aliases:
    nothing learned from another file decides who speaks here."""

    def __init__(self, event, span, shared=None):
        self.event = event
        self.span = span  # (first, last) day of the event, or None when undated
        self.local = {}
        # Archive-wide speakers found for earlier events of the same batch (the caller clears
        # it when a transaction fails, so that it never holds rows that were rolled back).
        self.shared = {} if shared is None else shared

    def get(self, ref, label=None):
        if ref is None:
            return None
        key_of_label = label_key(label) if label else None
        if ref.scope == "event" and ref.resolved:
            cache, key = self.local, (ref, key_of_label)
        else:
            dated = ref.label_only or not ref.resolved  # resolved through aliases, which have dates
            cache, key = self.shared, (ref, key_of_label, self.span if dated else None)
        if key not in cache:
            cache[key] = self._resolve(ref, label)
        return cache[key]

    def _confirmed_alias(self, label):
        """The speaker archivists mapped this label to for the event's dates, if exactly one.
        An undated event takes no alias: the label is kept and listed for review."""
        if self.span is None:
            return None
        speakers = {alias.speaker for alias in SpeakerAlias.objects.confirmed_for(label, self.span)}
        return speakers.pop() if len(speakers) == 1 else None

    @staticmethod
    def _create(ref, event=None, slug_text=None, person=None):
        return Speaker.objects.create(
            event=event,
            name=ref.name,
            kind=ref.kind,
            title=ref.title,
            organisation=ref.organisation,
            person=person,
            slug=unique_slug(Speaker, slug_text or ref.name, 200),
        )

    def _archive_wide(self, ref):
        person = Person.objects.filter(popolo_id=ref.person_id).first() if ref.person_id else None
        if person is not None:
            speaker = Speaker.objects.filter(person=person).first()
            if speaker is not None:
                return speaker
        speakers = Speaker.objects.archive_wide().filter(name__iexact=ref.name, kind=ref.kind)
        speaker = speakers.filter(person__isnull=True).first() if person else speakers.first()
        if speaker is None:
            return self._create(ref, person=person)
        # Only what the speaker lacks, saved only when something is new: each save is a history
        # entry and a later last-modified date for the speaker's page.
        updates = {"person": person} if person is not None else {}  # stored before the registry knew them
        if ref.title and not speaker.title:
            updates["title"] = ref.title
        if ref.organisation and not speaker.organisation:
            updates["organisation"] = ref.organisation
        if updates:
            for name, value in updates.items():
                setattr(speaker, name, value)
            speaker.save(update_fields=[*updates, "updated_at"])
        return speaker

    def _resolve(self, ref, label):
        if label and (not ref.resolved or ref.label_only):
            speaker = self._confirmed_alias(label)
            if speaker:
                return speaker
            if not ref.resolved:
                return None  # never invent a person from an ambiguous label
        if ref.scope == "event":
            speaker = Speaker.objects.filter(event=self.event, name=ref.name).first()
            return speaker or self._create(ref, event=self.event, slug_text=f"{ref.name} {self.event.slug}")
        speaker = self._archive_wide(ref)
        if (
            label
            and ref.kind == Speaker.Kind.PERSON
            and not SpeakerAlias.objects.filter(key=label_key(label), speaker=speaker).exists()
        ):
            # how the speaker was printed (shown on their page); unconfirmed aliases decide nothing
            SpeakerAlias.objects.create(label=label, speaker=speaker)
        return speaker


def event_span(date, year):
    """(first, last) day of an event known by its date or only its year; None when undated."""
    if date:
        return date, date
    if year:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    return None


def _keep_public_ids(old_turns, new_turns):
    """Public ids for the new turns: unchanged turns keep theirs, and so does a corrected turn
    that stands where the old one stood under the same label."""
    ids = [None] * len(new_turns)
    old_keys = [(t.label, t.text) for t in old_turns]
    new_keys = [(t.label or "", t.text) for t in new_turns]
    matcher = difflib.SequenceMatcher(a=old_keys, b=new_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ids[j1:j2] = [turn.public_id for turn in old_turns[i1:i2]]
        elif tag == "replace":
            # pair corrected turns in order, each with the next old turn under the same label
            candidates = list(range(i1, i2))
            for j in range(j1, j2):
                match = next((i for i in candidates if old_keys[i][0] == new_keys[j][0]), None)
                if match is not None:
                    ids[j] = old_turns[match].public_id
                    candidates = [i for i in candidates if i > match]
    return ids


def _reason(event):
    return f"ingest of {event.source_file or event.source_key}"[:100]


def _write_turns(event, transcript, speakers):
    old_turns = list(event.turns.order_by("sequence").only("label", "text", "public_id"))
    ids = _keep_public_ids(old_turns, transcript.turns)
    event.turns.all().delete()
    rows = [
        Turn(
            event=event,
            sequence=parsed.sequence,
            speaker=speakers.get(parsed.speaker, parsed.label),
            label=parsed.label or "",
            kind=parsed.kind,
            text=parsed.text,
            language_note=parsed.language_note,
            public_id=ids[index] or new_public_id(),
        )
        for index, parsed in enumerate(transcript.turns)
    ]
    reason = _reason(event)
    # Questions (and every other turn) first, so that answers can point at them as they are inserted.
    bulk_create_with_history(
        [row for parsed, row in zip(transcript.turns, rows, strict=True) if not parsed.in_reply_to],
        Turn,
        default_change_reason=reason,
    )
    by_sequence = {row.sequence: row for row in rows}
    replies = []
    for parsed, row in zip(transcript.turns, rows, strict=True):
        if parsed.in_reply_to:
            row.in_reply_to = by_sequence[parsed.in_reply_to]
            replies.append(row)
    bulk_create_with_history(replies, Turn, default_change_reason=reason)
    return rows


def _write_participants(event, transcript, speakers):
    event.participations.all().delete()
    seen = set()
    rows = []
    for position, participant in enumerate(transcript.participants):
        speaker = speakers.get(participant.speaker)
        if speaker is None or speaker.pk in seen:
            continue
        seen.add(speaker.pk)
        rows.append(
            Participation(
                event=event,
                speaker=speaker,
                role=participant.role,
                title=participant.speaker.title,
                position=position,
            )
        )
    bulk_create_with_history(rows, Participation, default_change_reason=_reason(event))


@transaction.atomic
def ingest_transcript(
    transcript, *, source_key, source_file="", checksum="", force=False, dry_run=False, notes=(), speaker_cache=None
):
    """Write one transcript: create its event, or update it in place when the source changed.

    An unchanged source writes nothing; an event edited by archivists since its last ingest is
    kept unless force is given."""
    event = Event.objects.select_for_update().filter(source_key=source_key).first()
    if event is not None and not force:
        if event.checksum == checksum:
            return Outcome(UNCHANGED, event)
        if event.edited_since_ingest:
            return Outcome(KEPT, event)
    status = UPDATED if event else NEW
    if dry_run:
        return Outcome(status, event)
    if event is None:
        event = Event(source_key=source_key)
        dated = (
            transcript.date.isoformat() if transcript.date else (str(transcript.year) if transcript.year else "undated")
        )
        event.slug = unique_slug(Event, f"{dated} {transcript.title}", 110)
    event.title = transcript.title[:500]
    event.kind = transcript.kind
    event.date = transcript.date
    event.year = transcript.year
    event.time = transcript.time[:50]
    event.city = transcript.city[:120]
    event.country = transcript.country[:120]
    event.venue = transcript.venue[:300]
    event.collection = transcript.collection[:200]
    event.source_url = transcript.source_url[:500]
    event.source_ref = transcript.source_ref[:100]
    event.source_file = source_file[:500]
    event.checksum = checksum
    event.header_text = transcript.header_text
    event.trailer_text = transcript.trailer_text
    event.ingest_notes = "\n".join(notes)
    event.ingested_at = timezone.now()
    event.edited_since_ingest = False
    event._change_reason = _reason(event)
    event.save()
    speakers = _Speakers(event, event_span(transcript.date, transcript.year), speaker_cache)
    _write_turns(event, transcript, speakers)
    _write_participants(event, transcript, speakers)
    # Speakers of this event only that the new text no longer has.
    Speaker.objects.filter(event=event, turns__isnull=True, participations__isnull=True).delete()
    search.enqueue_event(event.pk)
    return Outcome(status, event)


def _stored_checksums(files, index):
    """{source key: the event stored from it} for the files' sources already in the archive."""
    keys = [source_key(path, index.for_file(path)) for path in files]
    events = Event.objects.filter(source_key__in=keys).only("source_key", "checksum", "slug")
    return {event.source_key: event for event in events}


def _no_progress(iterable, **kwargs):
    return iterable


def ingest_files(
    paths,
    *,
    metadata_files=(),
    force=False,
    dry_run=False,
    max_bytes=None,
    progress=_no_progress,
    update_index=True,
    index_timeout=60.0,
    registry=None,
):
    """Read, parse and write every transcript under paths. A file that fails is reported in the
    returned Report and skipped; the rest is still ingested. Labels are identified with the
    database's people registry (or the `registry` given)."""
    max_bytes = max_bytes or settings.ARCHIVE_MAX_FILE_BYTES
    report = Report()
    index = MetadataIndex()
    for metadata_file in metadata_files:
        index.load(metadata_file)  # a bad index is the caller's error, not one file's
    for path in map(Path, paths):
        if path.is_dir() and (path / INDEX_NAME).is_file():
            index.load(path / INDEX_NAME)

    registry = current_registry() if registry is None else registry
    files = find_transcripts(paths)
    # A file's speakers depend only on that file, its metadata and the registry, so a file exactly
    # as last ingested (all of transcripts/ on every start of bin/serve) costs a read and a checksum.
    stored = {} if force or dry_run else _stored_checksums(files, index)
    parsed = []  # (path, SourceFile, metadata, Transcript)
    for path in progress(files, desc="Parsing", unit="file"):
        try:
            source = read_source(path, max_bytes=max_bytes)
            metadata = index.for_file(path)
            event = stored.get(source_key(path, metadata))
            if event is not None and event.checksum == source.checksum:
                report.outcomes.append((path, Outcome(UNCHANGED, event)))
                continue
            transcript = parse_transcript(source.text, metadata=metadata, filename=path.name, registry=registry)
        except ParseError as error:  # SourceError too
            report.failures.append(Failure(path, error.message, error.line))
            continue
        parsed.append((path, source, metadata, transcript))
    speaker_cache = {}

    for path, source, metadata, transcript in progress(parsed, desc="Writing", unit="file"):
        notes = list(source.warnings) + list(transcript.warnings)
        for note in notes:
            report.warnings.append((path, note))
        try:
            outcome = ingest_transcript(
                transcript,
                source_key=source_key(path, metadata),
                source_file=path.name,
                checksum=source.checksum,
                force=force,
                dry_run=dry_run,
                notes=notes,
                speaker_cache=speaker_cache,
            )
        except DatabaseError as error:
            speaker_cache.clear()
            logger.exception("could not store %s", path)
            report.failures.append(Failure(path, f"database error: {error}"))
            continue
        report.outcomes.append((path, outcome))
    if update_index and not dry_run:  # else the changes stay queued for update_search_index
        try:
            search.drain(timeout=index_timeout)
        except search.IndexBusy as error:
            report.index_error = str(error)
    return report
