"""`manage.py create_archivists_group`: the Archivists group with exactly the permissions it needs."""

from django.core.management.base import BaseCommand

from archive.roles import ARCHIVISTS, sync_archivists_group


class Command(BaseCommand):
    help = (
        f"Create the “{ARCHIVISTS}” group, or reset its permissions to exactly those archivists need "
        "(see archive/roles.py). Safe to run again. Add archivists to it in the admin (Users), with "
        "“Staff status” checked."
    )

    def handle(self, *args, **options):
        group = sync_archivists_group()
        if options["verbosity"]:
            self.stdout.write(f"Group “{group.name}”: {group.permissions.count()} permissions.")
