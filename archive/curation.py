"""Archivists' changes that touch many rows at once: merging speakers, publishing events.

Each runs in one transaction, saves row by row so that django-simple-history records every
change with who made it and why, marks the events it touched as edited (re-ingesting their
files then needs --force), and queues the search index update in the same transaction.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from archive import search
from archive.models import Event, Participation, Speaker, SpeakerAlias, SpeakerRedirect
from archive.parser import label_key

# When both speakers took part in the same event, the merged participation keeps the stronger role.
ROLE_RANK = {
    Participation.Role.PRINCIPAL: 0,
    Participation.Role.COUNTERPART: 1,
    Participation.Role.MODERATOR: 2,
    Participation.Role.PARTICIPANT: 3,
}


@dataclass(frozen=True)
class SpeakerCounts:
    turns: int
    aliases: int
    participations: int

    @classmethod
    def of(cls, speaker):
        return cls(
            turns=speaker.turns.count(),
            aliases=speaker.aliases.count(),
            participations=speaker.participations.count(),
        )

    def __add__(self, other):
        return SpeakerCounts(
            self.turns + other.turns, self.aliases + other.aliases, self.participations + other.participations
        )

    def __str__(self):
        return f"{self.turns} turns, {self.aliases} aliases, {self.participations} participations"


@dataclass(frozen=True)
class MergeResult:
    target: Speaker
    before: SpeakerCounts  # the target's own, before the merge
    merged: dict  # name of each merged speaker -> its counts before the merge
    after: SpeakerCounts

    def __str__(self):
        names = ", ".join(f"{name} ({counts})" for name, counts in self.merged.items())
        return f"Merged {names} into {self.target.name}: before {self.before}; after {self.after}."


def _save(obj, reason):
    obj._change_reason = reason[:100]  # the history table keeps 100 characters
    obj.save()


def _delete(obj, reason):
    obj._change_reason = reason[:100]
    obj.delete()


def _move_participation(participation, target, reason):
    existing = Participation.objects.filter(event_id=participation.event_id, speaker=target).first()
    if existing is None:
        participation.speaker = target
        _save(participation, reason)
        return
    if ROLE_RANK[participation.role] < ROLE_RANK[existing.role]:
        existing.role = participation.role
    existing.title = existing.title or participation.title
    _save(existing, reason)
    _delete(participation, reason)


def _move_alias(alias, target, reason):
    if target.aliases.filter(key=alias.key).exists():
        _delete(alias, f"{reason} (label already known)")
        return
    alias.speaker = target
    _save(alias, reason)


@transaction.atomic
def merge_speakers(target, others, *, by_archivist=True):
    """Move every turn, alias and participation of `others` to `target` and delete them.

    Nothing is lost: each merged name becomes a confirmed alias of the target (so that later
    ingests resolve it to the target), its URL redirects to the target, its title, organisation
    and notes fill the target's empty fields, and every moved row keeps its history.

    A merge the registry decides (by_archivist=False) confirms no alias (the registry resolves
    those labels on its own dates) and leaves the events re-ingestible as they are: re-ingesting
    them gives the same speakers."""
    target = Speaker.objects.select_for_update().get(pk=target.pk)
    others = [other for other in Speaker.objects.filter(pk__in=[o.pk for o in others]) if other.pk != target.pk]
    before = SpeakerCounts.of(target)
    merged = {}
    touched_events = set()
    for other in others:
        merged[other.name] = SpeakerCounts.of(other)
        verb = "merge" if by_archivist else "registry"
        reason = f"{verb}: {other.name} (#{other.pk}) into {target.name} (#{target.pk})"
        for turn in other.turns.all():
            turn.speaker = target
            _save(turn, reason)
            touched_events.add(turn.event_id)
        for participation in other.participations.all():
            touched_events.add(participation.event_id)
            _move_participation(participation, target, reason)
        for alias in other.aliases.all():
            _move_alias(alias, target, reason)
        if by_archivist and not target.aliases.filter(key=label_key(other.name)).exists():
            _save(SpeakerAlias(label=other.name, speaker=target, confirmed=True), reason)
        for field in ("title", "organisation"):
            if not getattr(target, field):
                setattr(target, field, getattr(other, field))
        note = f"Merged from “{other.name}” (#{other.pk}, /speakers/{other.slug}/) on {timezone.localdate()}."
        target.notes = "\n".join(part for part in (target.notes, other.notes, note) if part)
        SpeakerRedirect.objects.filter(speaker=other).update(speaker=target)
        SpeakerRedirect.objects.update_or_create(old_slug=other.slug, defaults={"speaker": target})
        _delete(other, reason)
    _save(target, "merge: " + ", ".join(merged) if merged else "merge")
    if by_archivist:
        mark_edited(*touched_events)
    else:
        Event.objects.filter(pk__in=touched_events).update(updated_at=timezone.now())
    search.enqueue_speaker(target.pk)
    search.drain_soon()
    return MergeResult(target=target, before=before, merged=merged, after=SpeakerCounts.of(target))


@transaction.atomic
def set_published(events, published):
    """Publish or unpublish events; the public site and search follow at once. Returns how many changed."""
    changed = 0
    for event in Event.objects.select_for_update().filter(pk__in=[e.pk for e in events]):
        if event.published == published:
            continue
        event.published = published
        event.edited_since_ingest = True
        _save(event, "published" if published else "unpublished")
        search.enqueue_event(event.pk)
        changed += 1
    search.drain_soon()
    return changed


def mark_edited(*event_pks):
    """Events whose turns an archivist changed: re-ingesting their files must not undo it
    without --force, and their cached pages (keyed on updated_at) must show it at once."""
    Event.objects.filter(pk__in=event_pks).update(edited_since_ingest=True, updated_at=timezone.now())
