"""`manage.py update_search_index`: apply the changes queued for the search index."""

import signal
import time

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
        parser.add_argument(
            "--verify",
            action="store_true",
            help="Then compare the index with the database (as check_index does) and rebuild it if they differ.",
        )

    def handle(self, *args, **options):
        # bin/serve runs this in the background, where the shell ignores Ctrl-C: take it back, so
        # that stopping the server stops this too (the changes stay queued for the next run).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            self.update(options["timeout"], options["verify"])
        except KeyboardInterrupt:
            self.stderr.write("Search index: stopped; what it had not applied stays queued.")
        except search.IndexBusy as error:
            raise CommandError(f"{error}; the changes stay queued (the old index is still live)") from None

    def update(self, timeout, verify):
        start = time.perf_counter()
        applied = search.drain(timeout=timeout)
        self.stdout.write(f"Search index: applied {applied} queued change(s) in {time.perf_counter() - start:.0f} s.")
        if not verify:
            return
        drift = search.check()
        if not drift.total:
            self.stdout.write("Search index: up to date (it matches the database).")
            return
        self.stdout.write(f"Search index: {drift.total} document(s) differ from the database; rebuilding it …")
        count = search.rebuild(swap_timeout=timeout)
        self.stdout.write(f"Search index: rebuilt, {count} documents, in {time.perf_counter() - start:.0f} s.")
