"""`manage.py load_registry`: load the people registry (Popolo JSON) into the database and
identify the speakers it names (a shell around archive.registry)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from archive.identify import identify_speakers
from archive.registry import current
from archive.registry.popolo import RegistryError, load_documents, read_documents


class Command(BaseCommand):
    help = (
        "Load people registry files (Popolo JSON: persons, organizations, posts, memberships) into the "
        "database, then link and merge the speakers the registry identifies."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="*",
            help="Popolo JSON files, or folders of *.json (default: fixtures/registry/).",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Overwrite rows that differ from the files (by default rows archivists edited are kept).",
        )
        parser.add_argument(
            "--no-identify", action="store_true", help="Load only; do not link or merge speakers."
        )

    def handle(self, *args, **options):
        paths = options["paths"] or [settings.REGISTRY_DIR]
        try:
            report = load_documents(read_documents(paths), update=options["update"])
        except (RegistryError, FileNotFoundError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Registry: {report}")
        if not options["no_identify"]:
            self.stdout.write(f"Speakers: {identify_speakers(current())}")
