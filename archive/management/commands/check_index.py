"""`manage.py check_index`: compare the search index with the database and report drift."""

from django.core.management.base import BaseCommand, CommandError

from archive import search


class Command(BaseCommand):
    help = (
        "Check that every published turn is in the search index with its current text and fields, "
        "and that nothing else is. Exits 1 on drift."
    )

    def add_arguments(self, parser):
        parser.add_argument("--show", type=int, default=10, help="How many drifting items to list (default 10).")

    def handle(self, *args, **options):
        drift = search.check()
        show = options["show"]
        for name in ("missing", "stale", "extra"):
            items = getattr(drift, name)
            if items:
                listed = ", ".join(map(str, items[:show])) + (" …" if len(items) > show else "")
                self.stdout.write(f"{name}: {len(items)} ({listed})")
        self.stdout.write(
            f"Drift: {drift.total} ({len(drift.missing)} missing, {len(drift.stale)} stale, "
            f"{len(drift.extra)} extra); {drift.queued} change(s) queued."
        )
        if drift.outdated:
            self.stdout.write("outdated: the index was written by an older version of the search engine")
            raise CommandError("the search index is outdated; run `manage.py build_search_index`")
        if drift.total:
            raise CommandError("the search index differs from the database; run `manage.py update_search_index`")
