"""Speakers the registry identifies: after a registry is loaded (or edited), each registry person
gets one speaker, and the label-only speakers it names are merged into it.

A label-only speaker (`Ms Psaki`, made from a label no file explained) is merged only when the
registry names the same person for every one of its turns, on each turn's event date and for its
publisher; undated events identify no one. The merge is the archivists' merge (history kept, old
URLs redirect), without confirming aliases: the registry itself resolves those labels from then on.
"""

from dataclasses import dataclass, field

from django.db import transaction

from archive import curation, search
from archive.ingest import unique_slug
from archive.models import Speaker, Turn
from archive.parser import label_key
from archive.parser.attribution import Context, through_registry
from archive.registry.models import Person


@dataclass
class IdentifyReport:
    linked: list = field(default_factory=list)  # speakers now tied to their registry person
    merged: list = field(default_factory=list)  # (merged speaker's name, person's name)
    partly: list = field(default_factory=list)  # label-only speakers the registry names for some turns only

    def __str__(self):
        text = f"{len(self.linked)} speakers linked to the registry, {len(self.merged)} label-only speakers merged"
        if self.partly:
            text += f", {len(self.partly)} identified for some turns only (left for archivists)"
        return text


def _speaker_of(person):
    speaker = Speaker.objects.filter(person=person).first()
    if speaker is None:
        speaker = Speaker(name=person.name, kind=Speaker.Kind.PERSON, person=person)
        speaker.slug = unique_slug(Speaker, person.name, 200)
        speaker._change_reason = "registry: new person"
        speaker.save()
    return speaker


def _candidates():
    return Speaker.objects.archive_wide().filter(kind=Speaker.Kind.PERSON, person__isnull=True).order_by("pk")


@transaction.atomic
def identify_speakers(registry):
    """Link and merge speakers as the registry (a frozen `Registry` of the database's rows) says."""
    report = IdentifyReport()
    if not registry:
        return report
    persons = {person.popolo_id: person for person in Person.objects.all()}
    contexts = {}
    for speaker in _candidates():
        known = registry.by_name(speaker.name)
        if known is not None:
            target = Speaker.objects.filter(person=persons[known.id]).first()
            if target is None:
                speaker.person = persons[known.id]
                speaker._change_reason = "registry: linked by name"
                speaker.save()
                report.linked.append(speaker)
            else:
                curation.merge_speakers(target, [speaker], by_archivist=False)
                report.merged.append((speaker.name, target.name))
            continue
        turns = Turn.objects.filter(speaker=speaker).exclude(label="").select_related("event")
        labels = {(turn.label, turn.event.date, turn.event.year, turn.event.collection) for turn in turns}
        if not labels or label_key(speaker.name) not in {label_key(label) for label, *_ in labels}:
            continue  # a name some file gave in full, not a label: for the possible-duplicates review
        found = set()
        for label, date, year, collection in labels:
            key = (date, year, collection)
            if key not in contexts:
                contexts[key] = Context.of(registry, date, year, collection)
            ref = through_registry(label, contexts[key])
            found.add(ref.person_id if ref else None)
        if len(found) == 1 and None not in found:
            target = _speaker_of(persons[found.pop()])
            curation.merge_speakers(target, [speaker], by_archivist=False)
            report.merged.append((speaker.name, target.name))
        elif found - {None}:
            report.partly.append(speaker)
    for speaker in report.linked:
        search.enqueue_speaker(speaker.pk)
    search.drain_soon()
    return report
