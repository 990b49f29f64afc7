"""The people registry in the database: persons, organisations, posts and dated memberships, in
the Popolo shape of `fixtures/registry/*.json`, editable by archivists in the admin.

Ingest reads it as one frozen `archive.parser.registry.Registry` (`archive.registry.current`),
so the parser never touches the database.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

POPOLO_DATE_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def validate_popolo_date(value):
    if value and not POPOLO_DATE_RE.match(value):
        raise ValidationError("Give a date as YYYY-MM-DD, or YYYY-MM or YYYY where only the month or year is certain.")


def names_help(what):
    return f"{what}, as a JSON list of strings, e.g. [\"Jennifer Psaki\"]."


class RegistryRecord(models.Model):
    popolo_id = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The Popolo id: lower-case ASCII, e.g. “barack-obama”, “us-president”. Keep it stable: "
        "exports and re-imports match rows on it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Organization(RegistryRecord):
    name = models.CharField(max_length=300, help_text="E.g. “U.S. Department of State”.")
    classification = models.CharField(
        max_length=100, blank=True, help_text="E.g. “government”, “ministry”, “executive office”."
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        help_text="The organisation this one belongs to (a ministry's government).",
    )  # fmt: skip
    other_names = models.JSONField(
        default=list, blank=True,
        help_text=names_help("Other names, also the publisher names of transcripts (“The White House”)"),
    )  # fmt: skip
    identifiers = models.JSONField(default=list, blank=True, help_text="Popolo identifiers (scheme and identifier).")

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Post(RegistryRecord):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="posts")
    label = models.CharField(max_length=300, help_text="E.g. “President of the United States”.")
    role = models.CharField(
        max_length=100,
        help_text="The role word(s) a speaker label prints before a surname: “President”, “Foreign Minister”.",
    )
    other_labels = models.JSONField(
        default=list, blank=True, help_text=names_help("Other printed forms of the role (“The Secretary”)")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["label"]

    def __str__(self):
        return self.label


class Person(RegistryRecord):
    name = models.CharField(max_length=200, help_text="As commonly written in English news copy: “Park Jin”.")
    given_name = models.CharField(max_length=200, blank=True)
    family_name = models.CharField(
        max_length=200, blank=True, help_text="The surname a label prints: “Di Maio”, “Jean-Pierre”."
    )
    sort_name = models.CharField(max_length=200, blank=True)
    other_names = models.JSONField(default=list, blank=True, help_text=names_help("Other spellings"))
    identifiers = models.JSONField(default=list, blank=True, help_text="Popolo identifiers, e.g. Wikidata.")
    sources = models.JSONField(default=list, blank=True, help_text="Where the facts come from: [{\"url\": …}].")

    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_name", "name"]
        verbose_name = "registry person"

    def __str__(self):
        return self.name


class Membership(RegistryRecord):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=100, blank=True, help_text="As the post's role, unless this holder's differs.")
    label = models.CharField(max_length=300, blank=True)
    start_date = models.CharField(
        max_length=10, validators=[validate_popolo_date],
        help_text="First day in office (inclusive): YYYY-MM-DD, or YYYY-MM / YYYY where only that is certain.",
    )  # fmt: skip
    end_date = models.CharField(
        max_length=10, blank=True, validators=[validate_popolo_date],
        help_text="Last day in office (inclusive); empty while in office.",
    )  # fmt: skip
    acting = models.BooleanField(default=False)
    sources = models.JSONField(default=list, blank=True, help_text="Where the dates come from: [{\"url\": …}].")

    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "start_date"]

    def __str__(self):
        until = self.end_date or "…"
        return f"{self.person} — {self.label or self.role} ({self.start_date} – {until})"
