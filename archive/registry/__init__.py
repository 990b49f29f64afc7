"""The people registry: who held which office when (Popolo), in the database and in files.

`current()` reads the database's registry as the frozen value the parser takes; `popolo` loads
and exports Popolo JSON files; `models` holds the rows. The speakers a loaded registry names are
linked and merged by `archive.identify`; its admin pages are `archive.registry_admin`.
"""

from archive.parser.registry import EMPTY, Registry


def current():
    """The database's registry as one frozen `Registry` (the empty registry when none is loaded)."""
    from archive.registry.models import Membership, Organization, Person, Post

    if not Person.objects.exists():
        return EMPTY
    document = {
        "organizations": [
            {"id": org.popolo_id, "name": org.name, "parent_id": org.parent.popolo_id if org.parent else "",
             "other_names": [{"name": name} for name in org.other_names]}
            for org in Organization.objects.select_related("parent")
        ],
        "posts": [
            {"id": post.popolo_id, "organization_id": post.organization.popolo_id, "label": post.label,
             "role": post.role, "other_labels": [{"name": name} for name in post.other_labels]}
            for post in Post.objects.select_related("organization")
        ],
        "persons": [
            {"id": person.popolo_id, "name": person.name, "given_name": person.given_name,
             "family_name": person.family_name, "other_names": [{"name": name} for name in person.other_names]}
            for person in Person.objects.all()
        ],
        "memberships": [
            {"person_id": m.person.popolo_id, "post_id": m.post.popolo_id if m.post else "",
             "organization_id": m.organization.popolo_id, "role": m.role, "label": m.label,
             "start_date": m.start_date, "end_date": m.end_date, "acting": m.acting}
            for m in Membership.objects.select_related("person", "post", "organization")
        ],
    }  # fmt: skip
    return Registry.from_popolo(document)
