"""Importing Akoma Ntoso debate documents as events, through ingest's one write path.

`import_files` reads each file (the same size limit as transcripts), reads it as a debate
(`archive.akoma_ntoso.from_akn`), and stores it with `archive.ingest.ingest_transcript`: the
same atomic, idempotent write, speaker resolution and index queue as an ingested text file. A
file that fails is reported and skipped; the rest is still imported.
"""

import dataclasses
import hashlib
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError

from archive import search
from archive.akoma_ntoso import from_akn
from archive.ingest import Failure, Report, ingest_transcript
from archive.models import Event, Speaker
from archive.parser import ParseError


def _known_kinds(transcript):
    """Kinds outside the archive's vocabulary (a document from elsewhere) become `other` for the
    event and `role` for a speaker: never a person the document did not say was one."""

    def speaker(ref):
        if ref is None or ref.kind in Speaker.Kind.values:
            return ref
        return dataclasses.replace(ref, kind=Speaker.Kind.ROLE)

    return dataclasses.replace(
        transcript,
        kind=transcript.kind if transcript.kind in Event.Kind.values else Event.Kind.OTHER,
        turns=tuple(dataclasses.replace(turn, speaker=speaker(turn.speaker)) for turn in transcript.turns),
        participants=tuple(dataclasses.replace(p, speaker=speaker(p.speaker)) for p in transcript.participants),
    )


def find_documents(paths):
    """XML files under the given files and folders (folders: *.xml, recursively), sorted."""
    found = []
    for path in map(Path, paths):
        found.extend(sorted(path.rglob("*.xml")) if path.is_dir() else [path])
    return list(dict.fromkeys(found))


def import_files(paths, *, force=False, max_bytes=None, update_index=True):
    max_bytes = max_bytes or settings.ARCHIVE_MAX_FILE_BYTES
    report = Report()
    for path in find_documents(paths):
        try:
            if path.stat().st_size > max_bytes:
                raise ParseError(f"file is over the limit of {max_bytes:,} bytes (ARCHIVE_MAX_FILE_BYTES)")
            data = path.read_bytes()
            debate = from_akn(data)
        except OSError as error:
            report.failures.append(Failure(path, f"cannot read: {error.strerror}"))
            continue
        except ParseError as error:
            report.failures.append(Failure(path, error.message, error.line))
            continue
        try:
            outcome = ingest_transcript(
                _known_kinds(debate.transcript),
                source_key=debate.source_key or f"akn-file:{path.name}",
                source_file=path.name,
                checksum=hashlib.sha256(data).hexdigest(),
                force=force,
            )
        except DatabaseError as error:
            report.failures.append(Failure(path, f"database error: {error}"))
            continue
        report.outcomes.append((path, outcome))
    if update_index:
        try:
            search.drain(timeout=60.0)
        except search.IndexBusy as error:
            report.index_error = str(error)
    return report
