"""The archivists' review queue: what needs a look, kind by kind, with counts, and the marks that take
an item out of the queue once an archivist has checked it (recorded in the history, reversible).

`KINDS` is data: each kind names its model, the items it covers and how the admin lists them. To
add a kind (say, possible duplicate speakers), append a `ReviewKind`; the admin's home page, the
changelist filter `?review=<slug>` and the "checked" actions follow.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from archive.models import Event, ReviewMark, Turn


@dataclass(frozen=True)
class ReviewKind:
    slug: str
    label: str
    model: type  # the model whose admin changelist lists the items
    items: Callable[[QuerySet], QuerySet]  # the model's queryset narrowed to the items of this kind
    help: str = ""
    in_queue: bool = True  # False: listed apart, for information (nothing to do)
    detail: Callable[[QuerySet], str] | None = None  # what the pending items hold, e.g. “152 questions”

    def all(self, queryset=None):
        return self.items(self.model._default_manager.all() if queryset is None else queryset)

    def pending(self, queryset=None):
        """Items of this kind not yet checked: the queue."""
        return self.all(queryset).exclude(pk__in=self.marks().values("object_id"))

    def checked(self, queryset=None):
        return self.all(queryset).filter(pk__in=self.marks().values("object_id"))

    def marks(self):
        return ReviewMark.objects.filter(kind=self.slug)

    @property
    def model_name(self):
        return self.model._meta.model_name

    def describe(self, pending):
        return self.detail(pending) if self.detail else ""


def unidentified_questions_in(events):
    count = Turn.objects.unidentified_questions().filter(event__in=events.values("pk")).count()
    return f"{count} question{'s' if count != 1 else ''}"


KINDS = [
    ReviewKind(
        "undated",
        "Events with no date",
        Event,
        lambda events: events.undated(),
        "Neither the text nor its metadata gives a date or a year.",
    ),
    ReviewKind(
        "year_only",
        "Events with only a year",
        Event,
        lambda events: events.year_only(),
        "Known by their year alone (UN General Debate records, for one).",
    ),
    ReviewKind(
        "unresolved",
        "Labels not tied to a speaker",
        Turn,
        lambda turns: turns.unresolved(),
        "A printed label that names no one safely (e.g. THE PRESIDENT with no president named).",
    ),
    ReviewKind(
        "unidentified",
        "Events with questions whose journalist is not identified",
        Event,
        lambda events: events.reporters_unnamed_by_source(False),
        "The source names reporters elsewhere in the event, or prints a label other than a bare Q.",
        detail=unidentified_questions_in,
    ),
    ReviewKind(
        "unnamed_by_source",
        "Set aside: events whose source never names reporters",
        Event,
        lambda events: events.reporters_unnamed_by_source(True),
        "Every question is printed as a bare Q or QUESTION and none is attributed: nothing in the text "
        "can identify the reporters (White House briefings, for one).",
        in_queue=False,
        detail=unidentified_questions_in,
    ),
]


def kind(slug):
    return next((kind for kind in KINDS if kind.slug == slug), None)


def kinds_for(model):
    return [kind for kind in KINDS if kind.model is model]


@transaction.atomic
def mark_checked(review_kind, objects, user, note=""):
    """Take these items out of the queue; returns how many were not checked already."""
    marked = review_kind.marks().filter(object_id__in=[obj.pk for obj in objects])
    done = set(marked.values_list("object_id", flat=True))
    added = 0
    for obj in objects:
        if obj.pk in done:
            continue
        mark = ReviewMark(kind=review_kind.slug, object_id=obj.pk, checked_by=user, note=note)
        mark._change_reason = f"checked: {review_kind.label}"[:100]
        mark.save()
        added += 1
    return added


@transaction.atomic
def return_to_queue(review_kind, objects):
    """Undo mark_checked; returns how many marks were removed (each removal is in the history)."""
    removed = 0
    for mark in review_kind.marks().filter(object_id__in=[obj.pk for obj in objects]):
        mark._change_reason = f"back to the queue: {review_kind.label}"[:100]
        mark.delete()
        removed += 1
    return removed
