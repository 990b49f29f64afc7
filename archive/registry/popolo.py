"""Popolo JSON in and out of the database's registry, and the speakers a newly loaded registry
identifies.

`load_documents` creates the rows a file has and the database lacks (matching on Popolo ids) and,
with update=True, overwrites rows that differ; rows the files do not have (an archive's own
entries) are left alone. `identify_speakers` then links each registry person to their speaker and
merges into it the label-only speakers the registry names on the dates of their turns (through
the archivists' merge, so history and redirects are kept). `export_document` writes it all back.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from archive.registry.models import Membership, Organization, Person, Post


class RegistryError(ValueError):
    """A registry file that cannot be loaded: unreadable, not Popolo, or pointing at unknown ids."""


@dataclass
class LoadReport:
    created: dict = field(default_factory=dict)  # kind -> count
    updated: dict = field(default_factory=dict)
    unchanged: dict = field(default_factory=dict)
    differing: dict = field(default_factory=dict)  # kept as in the database (no update asked)

    def count(self, bucket, kind):
        getattr(self, bucket)[kind] = getattr(self, bucket).get(kind, 0) + 1

    def __str__(self):
        def total(bucket):
            return sum(getattr(self, bucket).values())

        text = f"{total('created')} created, {total('updated')} updated, {total('unchanged')} unchanged"
        if self.differing:
            text += f", {total('differing')} differing from the files and kept as edited (use --update)"
        return text


def read_documents(paths):
    """The Popolo documents in paths (files, or folders of *.json), in a stable order."""
    documents = []
    for path in map(Path, paths):
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        for file in files:
            try:
                document = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
                raise RegistryError(f"{file}: cannot be read as JSON: {error}") from None
            if not isinstance(document, dict) or not any(
                isinstance(document.get(key), list) for key in ("persons", "organizations", "posts", "memberships")
            ):
                raise RegistryError(f"{file}: not a Popolo document (no persons, organizations, posts or memberships)")
            documents.append((file, document))
    return documents


def _names(row, key="other_names"):
    return [item["name"] for item in row.get(key) or () if isinstance(item, dict) and item.get("name")]


def _upsert(model, popolo_id, values, update, report, kind):
    row = model.objects.filter(popolo_id=popolo_id).first()
    if row is None:
        row = model(popolo_id=popolo_id, **values)
        row._change_reason = "registry load"
        row.full_clean(validate_unique=False, validate_constraints=False)
        row.save()
        report.count("created", kind)
        return row
    changed = {name: value for name, value in values.items() if getattr(row, name) != value}
    if not changed:
        report.count("unchanged", kind)
    elif update:
        for name, value in changed.items():
            setattr(row, name, value)
        row._change_reason = "registry load (update)"
        row.save()
        report.count("updated", kind)
    else:
        report.count("differing", kind)
    return row


def _require(rows, key, where):
    try:
        return rows[key]
    except KeyError:
        raise RegistryError(f"{where}: unknown id {key!r}") from None


@transaction.atomic
def load_documents(documents, *, update=False):
    """Load Popolo documents [(source, dict)] into the database. Returns a LoadReport."""
    from django.core.exceptions import ValidationError

    report = LoadReport()
    orgs = {org.popolo_id: org for org in Organization.objects.all()}
    rows = [(source, row) for source, document in documents for row in document.get("organizations", ())]
    try:
        for _, row in rows:
            values = {
                "name": row["name"], "classification": row.get("classification", ""),
                "other_names": _names(row), "identifiers": row.get("identifiers") or [],
            }  # fmt: skip
            orgs[row["id"]] = _upsert(Organization, row["id"], values, update, report, "organizations")
        for source, row in rows:  # parents, once every organisation exists
            parent = _require(orgs, row["parent_id"], f"{source}: {row['id']}") if row.get("parent_id") else None
            org = orgs[row["id"]]
            if org.parent_id != (parent.pk if parent else None) and (update or org.parent_id is None):
                org.parent = parent
                org.save(update_fields=["parent"])
        posts = {post.popolo_id: post for post in Post.objects.all()}
        persons = {person.popolo_id: person for person in Person.objects.all()}
        for source, document in documents:
            for row in document.get("posts", ()):
                values = {
                    "organization": _require(orgs, row["organization_id"], f"{source}: post {row['id']}"),
                    "label": row.get("label", ""), "role": row.get("role", ""),
                    "other_labels": _names(row, "other_labels"),
                }  # fmt: skip
                posts[row["id"]] = _upsert(Post, row["id"], values, update, report, "posts")
            for row in document.get("persons", ()):
                values = {
                    "name": row["name"], "given_name": row.get("given_name", ""),
                    "family_name": row.get("family_name", ""), "sort_name": row.get("sort_name", ""),
                    "other_names": _names(row), "identifiers": row.get("identifiers") or [],
                    "sources": row.get("sources") or [],
                }  # fmt: skip
                persons[row["id"]] = _upsert(Person, row["id"], values, update, report, "persons")
        for source, document in documents:
            for row in document.get("memberships", ()):
                where = f"{source}: membership {row.get('id')}"
                post = _require(posts, row["post_id"], where) if row.get("post_id") else None
                org_id = row.get("organization_id") or (post.organization.popolo_id if post else "")
                values = {
                    "person": _require(persons, row["person_id"], where), "post": post,
                    "organization": _require(orgs, org_id, where),
                    "role": row.get("role") or (post.role if post else ""),
                    "label": row.get("label") or (post.label if post else ""),
                    "start_date": row.get("start_date") or "", "end_date": row.get("end_date") or "",
                    "acting": bool(row.get("acting")), "sources": row.get("sources") or [],
                }  # fmt: skip
                popolo_id = row.get("id") or slugify(f"{row['person_id']} {row.get('post_id')} {values['start_date']}")
                _upsert(Membership, popolo_id, values, update, report, "memberships")
    except KeyError as error:
        raise RegistryError(f"a record lacks the field {error}") from None
    except ValidationError as error:
        raise RegistryError(f"invalid value: {'; '.join(error.messages)}") from None
    return report


def export_document(meta=None):
    """The database's registry as one Popolo document."""

    def names(values):
        return [{"name": name} for name in values]

    def clean(row):
        return {key: value for key, value in row.items() if value not in ("", None, [], False)}

    return {
        "meta": meta or {},
        "organizations": [
            clean({"id": org.popolo_id, "name": org.name, "classification": org.classification,
                   "parent_id": org.parent.popolo_id if org.parent else "", "other_names": names(org.other_names),
                   "identifiers": org.identifiers})
            for org in Organization.objects.select_related("parent").order_by("popolo_id")
        ],
        "posts": [
            clean({"id": post.popolo_id, "organization_id": post.organization.popolo_id, "label": post.label,
                   "role": post.role, "other_labels": names(post.other_labels)})
            for post in Post.objects.select_related("organization").order_by("popolo_id")
        ],
        "persons": [
            clean({"id": p.popolo_id, "name": p.name, "given_name": p.given_name, "family_name": p.family_name,
                   "sort_name": p.sort_name, "other_names": names(p.other_names), "identifiers": p.identifiers,
                   "sources": p.sources})
            for p in Person.objects.order_by("popolo_id")
        ],
        "memberships": [
            clean({"id": m.popolo_id, "person_id": m.person.popolo_id, "post_id": m.post.popolo_id if m.post else "",
                   "organization_id": m.organization.popolo_id, "role": m.role, "label": m.label,
                   "start_date": m.start_date, "end_date": m.end_date, "acting": m.acting, "sources": m.sources})
            for m in Membership.objects.select_related("person", "post", "organization").order_by("popolo_id")
        ],
    }  # fmt: skip
