"""haystack's description of what is searchable: turns and events.

The documents are read by `archive.search` (which owns all writing and querying); the fields
that serve as facets or exact filters are keyword fields holding slugs, since haystack's
Whoosh backend facets analysed text into stemmed tokens.
"""

from django.utils.text import slugify
from haystack import indexes
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.utils import get_identifier, get_model_ct

from archive.models import Event, Turn


def exact():
    """A field of exact values (slugs, ids, kinds) for filters and facets. haystack maps
    indexed=False to a `keyword` field in Elasticsearch (filterable and aggregatable, never
    analysed); the Whoosh engine gives these fields keyword columns of its own."""
    return indexes.MultiValueField(indexed=False)


class EventFields(indexes.SearchIndex):
    """The fields a turn shares with its event (for filters and facets)."""

    event = exact()
    event_kind = exact()
    date = indexes.DateField(null=True)
    year = exact()
    place = exact()

    def event_of(self, obj):
        raise NotImplementedError

    def prepare(self, obj):
        """haystack's prepare() without its generic pass over every field first: each field here
        has its own prepare_ method, whose value haystack would keep anyway (a full build
        prepares every turn of the archive)."""
        data = {ID: get_identifier(obj), DJANGO_CT: get_model_ct(self.get_model()), DJANGO_ID: str(obj.pk)}
        for name, field in self.fields.items():
            data[field.index_fieldname] = getattr(self, f"prepare_{name}")(obj)
        self.prepared_data = data
        return data

    def prepare_event(self, obj):
        return [str(self.event_of(obj).pk)]

    def prepare_event_kind(self, obj):
        return [self.event_of(obj).kind]

    def prepare_date(self, obj):
        return self.event_of(obj).date

    def prepare_year(self, obj):
        year = self.event_of(obj).year
        return [str(year)] if year else []

    def prepare_place(self, obj):
        country = self.event_of(obj).country
        return [slugify(country)] if country else []


class TurnIndex(EventFields, indexes.Indexable):
    text = indexes.CharField(document=True)
    speaker = indexes.CharField(default="")
    speaker_slug = exact()
    speaker_kind = exact()
    kind = exact()
    # The turn's own length (its text's words, not the speaker's name and the event's title that
    # `text` adds): ranking weighs down short turns that only name the query's words.
    words = indexes.IntegerField(default=0)

    def get_model(self):
        return Turn

    def index_queryset(self, using=None):
        # Only the columns the documents are made of: a full build reads every turn, and the
        # events' long header texts and timestamps would be read and converted once per turn.
        return (
            Turn.objects.published()
            .select_related("speaker", "event")
            .only(
                "text", "label", "kind", "speaker__name", "speaker__slug", "speaker__kind", "speaker__event_id",
                "event__title", "event__kind", "event__date", "event__year", "event__country",
            )
        )  # fmt: skip

    def event_of(self, turn):
        return turn.event

    def prepare_text(self, turn):
        who = turn.speaker.name if turn.speaker_id else turn.label
        return "\n".join(part for part in (turn.text, who, turn.event.title) if part)

    def prepare_words(self, turn):
        return len(turn.text.split())

    def prepare_speaker(self, turn):
        return turn.speaker.name if turn.speaker_id else turn.label

    def prepare_speaker_slug(self, turn):
        # Speakers of one event only (a moderator, an unidentified journalist) are no facet.
        return [turn.speaker.slug] if turn.speaker_id and not turn.speaker.event_id else []

    def prepare_speaker_kind(self, turn):
        return [turn.speaker.kind] if turn.speaker_id else []

    def prepare_kind(self, turn):
        return [turn.kind]


class EventIndex(EventFields, indexes.Indexable):
    text = indexes.CharField(document=True)

    def get_model(self):
        return Event

    def index_queryset(self, using=None):
        return Event.objects.published()

    def event_of(self, event):
        return event

    def prepare_text(self, event):
        return "\n".join(part for part in (event.title, event.place, event.venue, event.header_text) if part)
