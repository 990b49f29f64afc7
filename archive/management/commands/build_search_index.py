"""`manage.py build_search_index`: write the whole search index anew and swap it in."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from archive import search


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the database into a fresh folder with one writer, then swap it in; "
        "searches keep answering from the old index meanwhile."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--swap-timeout",
            type=float,
            default=300.0,
            help="Seconds to wait for other index writers before swapping (default %(default)s).",
        )

    def handle(self, *args, **options):
        show = sys.stderr.isatty() and options["verbosity"] > 0

        def progress(iterable, **kwargs):
            return tqdm(iterable, disable=not show, **kwargs)

        start = time.perf_counter()
        try:
            count = search.rebuild(progress=progress, swap_timeout=options["swap_timeout"])
        except search.IndexBusy as error:
            raise CommandError(f"{error}; the old index is still live") from None
        self.stdout.write(f"Indexed {count} documents in {time.perf_counter() - start:.1f} s.")
