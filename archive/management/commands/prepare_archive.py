"""`manage.py prepare_archive`: everything bin/serve does before it serves, in one process.

Migrates the database, resets the Archivists group, loads the people registry, ingests the transcripts folder (progress
bars on a terminal; an unchanged folder costs a checksum per file) and collects static files.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from archive import search
from archive.models import IndexTask
from archive.roles import sync_archivists_group


class Command(BaseCommand):
    help = (
        "Prepare the archive to be served: migrate, the Archivists group, the people registry, ingest the "
        "transcripts folder (ARCHIVE_TRANSCRIPTS_DIR, default transcripts/), collect static files. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--index-later",
            action="store_true",
            help="Leave the search index changes queued for `manage.py update_search_index` (bin/serve "
            "applies them beside the running server) instead of applying them now.",
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending and verbosity:
            self.stdout.write(f"Database: applying {len(pending)} migration(s) …")
        call_command("migrate", interactive=False, verbosity=0)
        sync_archivists_group()
        # The registry first: it decides who a role label names in the transcripts ingested next.
        try:
            call_command("load_registry", verbosity=0, stdout=self.stdout, stderr=self.stderr)
        except CommandError as error:
            self.stderr.write(f"The people registry could not be loaded ({error}); ingesting without it.")
        if verbosity:
            self.stdout.write(f"Transcripts: {settings.TRANSCRIPTS_DIR}")
        try:
            call_command(
                "ingest",
                str(settings.TRANSCRIPTS_DIR),
                no_index=options["index_later"],
                verbosity=verbosity,
                stdout=self.stdout,
                stderr=self.stderr,
            )
        except CommandError as error:
            self.stderr.write(f"Some transcripts could not be ingested ({error}); the archive has the others.")
        call_command("collectstatic", interactive=False, verbosity=0)
        if options["index_later"]:
            queued = IndexTask.objects.count()
            if queued and verbosity:
                self.stdout.write(f"Search index: {queued} change(s) queued, to be applied beside the server.")
        else:
            search.drain(timeout=60.0)
