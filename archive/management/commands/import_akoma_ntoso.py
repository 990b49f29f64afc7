"""manage.py import_akoma_ntoso: Akoma Ntoso debate documents in, as events."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.akn_import import import_files


class Command(BaseCommand):
    help = (
        "Import Akoma Ntoso 3.0 debate documents (as exported from an event page, or by SayIt) as events, "
        "through the same write path as ingest."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="XML files, or folders searched recursively for *.xml.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Rewrite events even when the document is unchanged or archivists have edited them.",
        )
        parser.add_argument(
            "--no-index",
            action="store_true",
            help="Leave the search index changes queued for `manage.py update_search_index`.",
        )

    def handle(self, *args, **options):
        missing = [path for path in options["paths"] if not Path(path).exists()]
        if missing:
            raise CommandError(f"no such file or folder: {', '.join(missing)}")
        report = import_files(options["paths"], force=options["force"], update_index=not options["no_index"])
        for failure in report.failures:
            self.stderr.write(f"error: {failure}")
        for path, outcome in report.outcomes:
            if outcome.status == "kept":
                self.stderr.write(f"kept: {path}: edited by archivists since; re-run with --force to overwrite")
        self.stdout.write(report.summary())
        if report.index_error:
            self.stderr.write(f"warning: the search index is busy ({report.index_error}); the changes stay queued")
        if report.failures:
            raise CommandError(f"{len(report.failures)} document(s) could not be imported")
