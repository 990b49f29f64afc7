"""The archivists' group and exactly the permissions their work needs.

Archivists correct events (no adding or deleting them: events come from ingest, and
unpublishing hides one), add, correct, split and delete turns, work the review queue, manage
speakers and their aliases (merging deletes the speakers merged away) and participations, and
keep the people registry (persons, posts, organisations and memberships with their dates).
They do not manage users or groups, and cannot touch the search index queue.
"""

from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction

ARCHIVISTS = "Archivists"

ARCHIVIST_PERMISSIONS = {
    "event": ("view", "change"),
    "turn": ("view", "add", "change", "delete"),
    "participation": ("view", "add", "change", "delete"),
    "speaker": ("view", "add", "change", "delete"),
    "speakeralias": ("view", "add", "change", "delete"),
    "speakerredirect": ("view",),
    "reviewmark": ("view",),  # marks are made from the lists of events and turns (change permission)
    # the people registry
    "person": ("view", "add", "change", "delete"),
    "membership": ("view", "add", "change", "delete"),
    "post": ("view", "add", "change", "delete"),
    "organization": ("view", "add", "change", "delete"),
}


def codenames():
    return {f"{action}_{model}" for model, actions in ARCHIVIST_PERMISSIONS.items() for action in actions}


@transaction.atomic
def sync_archivists_group():
    """Create the group, or set its permissions back to exactly the list above. Returns it."""
    from django.apps import apps

    create_permissions(apps.get_app_config("archive"), verbosity=0)  # a fresh database may not have them yet
    wanted = codenames()
    permissions = list(Permission.objects.filter(content_type__app_label="archive", codename__in=wanted))
    missing = wanted - {permission.codename for permission in permissions}
    if missing:
        raise LookupError(f"permissions not found: {', '.join(sorted(missing))}")
    group, _ = Group.objects.get_or_create(name=ARCHIVISTS)
    group.permissions.set(permissions)
    return group
