"""`manage.py update_search_index`: apply the changes queued for the search index."""

from django.core.management.base import BaseCommand, CommandError

from archive import search


class Command(BaseCommand):
    help = "Apply queued changes (edits, ingests) to the search index through its single writer."

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout",
            type=float,
            default=60.0,
            help="Seconds to wait for another writer to finish (default %(default)s).",
        )

    def handle(self, *args, **options):
        try:
            applied = search.drain(timeout=options["timeout"])
        except search.IndexBusy as error:
            raise CommandError(f"{error}; the changes stay queued") from None
        self.stdout.write(f"Applied {applied} queued change(s).")
