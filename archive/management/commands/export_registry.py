"""`manage.py export_registry`: write the database's people registry as one Popolo JSON file."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from archive.registry.popolo import export_document


class Command(BaseCommand):
    help = "Write the people registry (with archivists' edits) as Popolo JSON, to a file or stdout."

    def add_arguments(self, parser):
        parser.add_argument("output", nargs="?", default="-", help="File to write (default: - for stdout).")

    def handle(self, *args, **options):
        meta = {
            "title": "People registry of the diplomatic remarks archive",
            "updated": timezone.localdate().isoformat(),
        }
        text = json.dumps(export_document(meta), ensure_ascii=False, indent=2) + "\n"
        if options["output"] == "-":
            sys.stdout.write(text)
            return
        try:
            with open(options["output"], "w", encoding="utf-8") as file:
                file.write(text)
        except OSError as error:
            raise CommandError(f"cannot write {options['output']}: {error}") from None
        self.stdout.write(f"Wrote {options['output']}")
