"""`manage.py ingest`: load transcript files into the archive (a shell around archive.ingest)."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from archive.ingest import ingest_files
from archive.sources import SourceError


class Command(BaseCommand):
    help = "Ingest transcript files (or folders of *.txt, recursively) into the archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="*",
            help="Files or folders to ingest (default: the transcripts/ folder). A folder's "
            "INDEX.jsonl, if any, is read as metadata.",
        )
        parser.add_argument(
            "--metadata",
            action="append",
            default=[],
            metavar="FILE",
            help="A JSON-lines metadata index (the schema of the corpus INDEX.jsonl); may be repeated.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Parse and check every file, write nothing.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Rewrite events even when the file is unchanged or archivists have edited them.",
        )
        parser.add_argument(
            "--no-index",
            action="store_true",
            help="Leave the search index changes queued for `manage.py update_search_index` (bin/serve "
            "applies them beside the running server).",
        )
        parser.add_argument(
            "--max-bytes",
            type=int,
            default=settings.ARCHIVE_MAX_FILE_BYTES,
            help="Reject files larger than this (default: ARCHIVE_MAX_FILE_BYTES, %(default)s).",
        )

    def handle(self, *args, **options):
        paths = options["paths"] or [settings.TRANSCRIPTS_DIR]
        missing = [str(path) for path in paths if not Path(path).exists()]
        if missing:
            raise CommandError(f"no such file or folder: {', '.join(missing)}")
        show_progress = sys.stderr.isatty() and options["verbosity"] > 0

        def progress(iterable, **kwargs):
            return tqdm(iterable, disable=not show_progress, leave=False, **kwargs)

        try:
            report = ingest_files(
                paths,
                metadata_files=options["metadata"],
                force=options["force"],
                dry_run=options["dry_run"],
                max_bytes=options["max_bytes"],
                progress=progress,
                update_index=not options["no_index"],
            )
        except SourceError as error:
            raise CommandError(str(error)) from None
        for path, warning in report.warnings:
            self.stderr.write(f"warning: {path}: {warning}")
        for path, outcome in report.outcomes:
            if outcome.status == "kept":
                self.stderr.write(
                    f"kept: {path}: the event was edited by archivists since its last ingest; "
                    "re-run with --force to overwrite their edits"
                )
        for failure in report.failures:
            self.stderr.write(f"error: {failure}")
        prefix = "Dry run (nothing written): " if options["dry_run"] else ""
        self.stdout.write(prefix + report.summary())
        if report.index_error:
            self.stderr.write(
                f"warning: the search index is busy ({report.index_error}); the changes stay queued and are "
                "applied by the next `manage.py update_search_index`, ingest or edit"
            )
        undated, unresolved = report.for_review()
        if undated or unresolved:
            self.stdout.write(
                f"For archivists: {undated} undated event(s), {unresolved} turn(s) whose label names no "
                "speaker safely; see the review queue on the admin's home page."
            )
        if report.failures:
            raise CommandError(f"{len(report.failures)} file(s) failed; the others were ingested")
