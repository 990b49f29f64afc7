"""`manage.py backup FILE`: a portable dump of the archive's database (any engine)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

# Rebuilt or recreated rather than restored: permissions and content types come from
# `migrate`, the index queue and the search index from `restore`'s rebuild, and sessions and
# login attempts are not worth keeping.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes", "archive.indextask"]


class Command(BaseCommand):
    help = (
        "Write the whole archive (events, turns, speakers, aliases, their history, users and "
        "groups) to FILE as JSON (compressed when FILE ends in .gz, .bz2, .xz or .lzma). "
        "Restore it with `manage.py restore FILE` into an empty, migrated database of either engine."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the dump, e.g. backups/archive-2026-11-28.json.gz")

    def handle(self, *args, **options):
        try:
            call_command(
                "dumpdata",
                output=options["file"],
                exclude=EXCLUDED,
                natural_foreign=True,
                natural_primary=True,
                verbosity=0,
            )
        except OSError as error:
            raise CommandError(f"could not write {options['file']}: {error}") from error
        if options["verbosity"]:
            self.stdout.write(f"Wrote {options['file']}.")
