"""haystack's description of what is searchable: turns and events.

The documents are read by `archive.search` (which owns all writing and querying); the fields
that serve as facets or exact filters are keyword fields holding slugs, since haystack's
Whoosh backend facets analysed text into stemmed tokens.
"""

from django.utils.text import slugify
from haystack import indexes

from archive.models import Event, Turn


class TurnIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True)
    speaker = indexes.CharField(default="")
    speaker_slug = indexes.MultiValueField()
    speaker_kind = indexes.MultiValueField()
    kind = indexes.MultiValueField()
    event = indexes.MultiValueField()
    event_kind = indexes.MultiValueField()
    date = indexes.DateField(null=True)
    year = indexes.MultiValueField()
    place = indexes.MultiValueField()

    def get_model(self):
        return Turn

    def index_queryset(self, using=None):
        return Turn.objects.published().select_related("speaker", "event")

    def prepare_text(self, turn):
        who = turn.speaker.name if turn.speaker_id else turn.label
        return "\n".join(part for part in (turn.text, who, turn.event.title) if part)

    def prepare_speaker(self, turn):
        return turn.speaker.name if turn.speaker_id else turn.label

    def prepare_speaker_slug(self, turn):
        # Speakers of one event only (a moderator, an unidentified journalist) are no facet.
        return [turn.speaker.slug] if turn.speaker_id and not turn.speaker.event_id else []

    def prepare_speaker_kind(self, turn):
        return [turn.speaker.kind] if turn.speaker_id else []

    def prepare_kind(self, turn):
        return [turn.kind]

    def prepare_event(self, turn):
        return [str(turn.event_id)]

    def prepare_event_kind(self, turn):
        return [turn.event.kind]

    def prepare_date(self, turn):
        return turn.event.date

    def prepare_year(self, turn):
        return [str(turn.event.year)] if turn.event.year else []

    def prepare_place(self, turn):
        return [slugify(turn.event.country)] if turn.event.country else []


class EventIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True)
    event = indexes.MultiValueField()
    event_kind = indexes.MultiValueField()
    date = indexes.DateField(null=True)
    year = indexes.MultiValueField()
    place = indexes.MultiValueField()

    def get_model(self):
        return Event

    def index_queryset(self, using=None):
        return Event.objects.published()

    def prepare_text(self, event):
        return "\n".join(part for part in (event.title, event.place, event.venue, event.header_text) if part)

    def prepare_event(self, event):
        return [str(event.pk)]

    def prepare_event_kind(self, event):
        return [event.kind]

    def prepare_date(self, event):
        return event.date

    def prepare_year(self, event):
        return [str(event.year)] if event.year else []

    def prepare_place(self, event):
        return [slugify(event.country)] if event.country else []
