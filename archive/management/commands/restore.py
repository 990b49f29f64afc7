"""`manage.py restore FILE`: load a `backup` dump into an empty database and rebuild the index."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from archive import search
from archive.models import Event, Speaker, Turn


class Command(BaseCommand):
    help = (
        "Load a dump written by `manage.py backup` into this (migrated, empty) database, then "
        "rebuild the search index from it. Refuses a database that already holds events."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A dump written by `manage.py backup`.")
        parser.add_argument("--no-index", action="store_true", help="Do not rebuild the search index afterwards.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        if Event.objects.exists() or Speaker.objects.exists():
            raise CommandError("the database is not empty: restore into a freshly migrated database")
        with transaction.atomic():
            call_command("loaddata", str(path), verbosity=0)
        if options["verbosity"]:
            self.stdout.write(
                f"Restored {Event.objects.count()} events, {Turn.objects.count()} turns, "
                f"{Speaker.objects.count()} speakers."
            )
        if not options["no_index"]:
            documents = search.rebuild()
            if options["verbosity"]:
                self.stdout.write(f"Search index rebuilt: {documents} documents.")
