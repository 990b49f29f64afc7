"""`manage.py parse_transcript`: preview how files parse, as JSON lines, writing nothing (labels
resolve through the database's people registry, or the Popolo files given with --registry)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from archive.parser import ParseError, parse_transcript
from archive.parser.registry import Registry
from archive.registry import current
from archive.registry.popolo import RegistryError, read_documents
from archive.sources import MetadataIndex, SourceError, read_source


def transcript_json(path, transcript):
    """The documented JSON shape of one parse (see README)."""
    return {
        "file": str(path),
        "title": transcript.title,
        "kind": transcript.kind,
        "date": transcript.date.isoformat() if transcript.date else None,
        "year": transcript.year,
        "time": transcript.time,
        "place": transcript.place,
        "venue": transcript.venue,
        "collection": transcript.collection,
        "source_ref": transcript.source_ref,
        "header_text": transcript.header_text,
        "trailer_text": transcript.trailer_text,
        "participants": [
            {"name": p.speaker.name, "role": p.role, "title": p.speaker.title, "kind": p.speaker.kind}
            for p in transcript.participants
        ],
        "turns": [
            {
                "sequence": turn.sequence,
                "label": turn.label,
                "speaker": turn.speaker.name if turn.speaker and turn.speaker.resolved else None,
                "speaker_kind": turn.speaker.kind if turn.speaker else None,
                "person_id": turn.speaker.person_id or None if turn.speaker else None,
                "kind": turn.kind,
                "in_reply_to": turn.in_reply_to,
                "language_note": turn.language_note or None,
                "text": turn.text,
            }
            for turn in transcript.turns
        ],
        "warnings": list(transcript.warnings),
    }


class Command(BaseCommand):
    help = "Parse transcript files and print the result, one JSON object per line, writing nothing."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="Transcript files to parse.")
        parser.add_argument(
            "--metadata", action="append", default=[], metavar="FILE", help="A JSON-lines metadata index."
        )
        parser.add_argument("--json", action="store_true", help="Print JSON lines (the default and only format).")
        parser.add_argument(
            "--registry",
            action="append",
            default=[],
            metavar="PATH",
            help="Popolo registry files or folders to resolve labels with (default: the database's registry).",
        )

    def handle(self, *args, **options):
        index = MetadataIndex()
        try:
            for metadata_file in options["metadata"]:
                index.load(metadata_file)
        except SourceError as error:
            raise CommandError(str(error)) from None
        try:
            registry = (
                Registry.from_popolo(*(document for _, document in read_documents(options["registry"])))
                if options["registry"]
                else current()
            )
        except RegistryError as error:
            raise CommandError(str(error)) from None
        failed = 0
        for name in options["files"]:
            path = Path(name)
            try:
                source = read_source(path, max_bytes=settings.ARCHIVE_MAX_FILE_BYTES)
                transcript = parse_transcript(
                    source.text, metadata=index.for_file(path), filename=path.name, registry=registry
                )
            except ParseError as error:  # SourceError too
                failed += 1
                line = {"file": str(path), "error": str(error)}
            else:
                line = transcript_json(path, transcript)
                line["warnings"] = list(source.warnings) + line["warnings"]
            self.stdout.write(json.dumps(line, ensure_ascii=False))
        if failed:
            raise CommandError(f"{failed} file(s) could not be parsed")
