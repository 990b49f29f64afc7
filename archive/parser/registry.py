"""The people registry as the parser reads it: a frozen value of persons, organisations, posts and
dated memberships (Popolo), built from Popolo JSON or from the database by the caller.

The parser never looks anything up elsewhere. The rule it applies: a label resolves through the
registry only when the event's dates lie inside a membership's dates *for certain*: a membership
known only to the month or the year covers the days after that month or year (its first) and
before it (its last), never the uncertain ones; an undated event resolves nothing here.
"""

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from archive.parser.labels import label_key
from archive.parser.text import fold

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _possible_days(value):
    """(earliest, latest) day a Popolo date (YYYY, YYYY-MM or YYYY-MM-DD) can mean, or None."""
    match = _DATE_RE.match(value)
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if day:
            return dt.date(year, month, day), dt.date(year, month, day)
        if month:
            return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        return None


def certain_days(start, end):
    """(first, last) day a membership surely covers from Popolo dates ("" or None for an open
    end): a start known to the month or year counts from the day after that month or year, an
    end so known up to the day before it. A bound that cannot be read covers nothing."""
    first = last = None
    if start:
        days = _possible_days(start)
        if days is None:
            return None
        first = days[0] if days[0] == days[1] else days[1] + dt.timedelta(days=1)
    if end:
        days = _possible_days(end)
        if days is None:
            return None
        last = days[1] if days[0] == days[1] else days[0] - dt.timedelta(days=1)
    return first, last


def name_tokens(name):
    """A name as the words a label would print: `Luigi Di Maio` -> ["luigi", "di", "maio"]."""
    return label_key(name).lower().split()


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    family_name: str = ""
    given_name: str = ""
    other_names: tuple[str, ...] = ()

    @functools.cached_property
    def surnames(self):
        """Word lists a label may print for this person: the family name; and, for names written
        surname last, the last word of each spelling (`Zelensky` for Volodymyr Zelenskyy)."""
        family = tuple(name_tokens(self.family_name))
        found = {family} if family else set()
        if not family or tuple(name_tokens(self.name)[-len(family) :]) == family:
            found |= {(words[-1],) for name in (self.name, *self.other_names) if (words := name_tokens(name))}
        return found


@dataclass(frozen=True)
class Organization:
    id: str
    name: str
    parent_id: str = ""
    other_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Post:
    id: str
    organization_id: str
    label: str
    role: str
    other_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Membership:
    person_id: str
    post_id: str
    organization_id: str
    role: str
    start_date: str
    end_date: str = ""
    acting: bool = False
    label: str = ""

    def covers(self, span):
        """Whether the membership surely covers every day of span = (first, last)."""
        days = certain_days(self.start_date, self.end_date)
        if days is None:
            return False
        first, last = days
        return (first is None or first <= span[0]) and (last is None or span[1] <= last)


def _names(record, key="other_names"):
    return tuple(item["name"] for item in record.get(key) or () if item.get("name"))


@dataclass(frozen=True, eq=False)
class Registry:
    persons: dict = field(default_factory=dict)  # id -> Person
    organizations: dict = field(default_factory=dict)  # id -> Organization
    posts: dict = field(default_factory=dict)  # id -> Post
    memberships: tuple = ()

    @classmethod
    def from_popolo(cls, *documents):
        """One registry from Popolo documents (dicts with persons, organizations, posts, memberships)."""
        persons, organizations, posts, memberships = {}, {}, {}, []
        for document in documents:
            for row in document.get("persons", ()):
                persons[row["id"]] = Person(
                    row["id"], row["name"], row.get("family_name", ""), row.get("given_name", ""), _names(row)
                )
            for row in document.get("organizations", ()):
                organizations[row["id"]] = Organization(row["id"], row["name"], row.get("parent_id") or "", _names(row))
            for row in document.get("posts", ()):
                posts[row["id"]] = Post(
                    row["id"], row["organization_id"], row.get("label", ""), row.get("role", ""),
                    _names(row, "other_labels"),
                )  # fmt: skip
            for row in document.get("memberships", ()):
                post = posts.get(row.get("post_id"))
                memberships.append(
                    Membership(
                        person_id=row["person_id"],
                        post_id=row.get("post_id") or "",
                        organization_id=row.get("organization_id") or (post.organization_id if post else ""),
                        role=row.get("role") or (post.role if post else ""),
                        start_date=row.get("start_date") or "",
                        end_date=row.get("end_date") or "",
                        acting=bool(row.get("acting")),
                        label=row.get("label") or (post.label if post else ""),
                    )
                )
        return cls(persons, organizations, posts, tuple(memberships))

    def __bool__(self):
        return bool(self.persons)

    # --- names ---------------------------------------------------------------------------

    @functools.cached_property
    def _by_plain_name(self):
        index = {}
        for person in self.persons.values():
            for candidate in (person.name, *person.other_names, f"{person.given_name} {person.family_name}"):
                index.setdefault(_plain(candidate), set()).add(person.id)
        return index

    def by_name(self, name):
        """The one person with this full name (or a listed spelling of it; middle initials and
        accents do not matter), or None."""
        wanted = _plain(name)
        found = self._by_plain_name.get(wanted, ()) if len(wanted) >= 2 else ()
        return self.persons[next(iter(found))] if len(found) == 1 else None

    # --- organisations --------------------------------------------------------------------

    @functools.cached_property
    def _organizations_by_name(self):
        index = {}
        for org in self.organizations.values():
            for name in (org.name, *org.other_names):
                index.setdefault(fold(name), set()).add(org.id)
        return index

    def organizations_named(self, name):
        """Ids of the organisations called `name` (or one of their other names)."""
        return frozenset(self._organizations_by_name.get(fold(name), ()))

    def with_descendants(self, ids):
        found, added = set(), set(ids)
        while added:
            found |= added
            added = {org.id for org in self.organizations.values() if org.parent_id in added} - found
        return frozenset(found)

    def with_ancestors(self, ids):
        found = set()
        for org_id in ids:
            while org_id and org_id not in found:
                found.add(org_id)
                org_id = self.organizations[org_id].parent_id if org_id in self.organizations else ""
        return frozenset(found)

    # --- holders --------------------------------------------------------------------------

    def roles_of(self, membership):
        return self._roles[id(membership)]

    @functools.cached_property
    def _roles(self):
        roles = {}
        for membership in self.memberships:
            post = self.posts.get(membership.post_id)
            names = {membership.role, membership.label}
            if post:
                names |= {post.role, post.label, *post.other_labels}
            roles[id(membership)] = frozenset(fold(re.sub(r"^the\s+", "", n, flags=re.I)) for n in names if n)
        return roles

    @functools.cached_property
    def _by_surname(self):
        index = {}
        for membership in self.memberships:
            person = self.persons.get(membership.person_id)
            for surname in person.surnames if person else ():
                index.setdefault(surname, []).append(membership)
        return index

    def holders(self, span, *, surname=None, role=None, organizations=None):
        """{person id: Membership} of the people who surely held a post on every day of span,
        narrowed to those a label's surname words fit, whose role reads `role` (folded, without
        "the"), or whose post belongs to one of `organizations`."""
        found = {}
        candidates = self._by_surname.get(tuple(surname), ()) if surname is not None else self.memberships
        for membership in candidates:
            if organizations is not None and membership.organization_id not in organizations:
                continue
            if role is not None and role not in self._roles[id(membership)]:
                continue
            if membership.person_id in self.persons and membership.covers(span):
                found.setdefault(membership.person_id, membership)
        return found


def _plain(name):
    """A full name for comparison: folded, punctuation and one-letter initials dropped."""
    return tuple(word for word in re.sub(r"[^\w\s-]", " ", fold(name)).split() if len(word) > 1)


EMPTY = Registry()
