"""Atom feeds (RFC 4287): new events, the newest turns of a speaker, and the newest turns
matching a search. Every feed and entry has an author, each entry's `published` is the date of
its event (none when the sources give no date: never invented) and `updated` its last change."""

import datetime as dt
import re

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks

from archive import search
from archive.forms import SearchForm
from archive.models import Event, Speaker, Turn

FEED_LENGTH = 50
ARCHIVE_NAME = "Diplomatic Remarks Archive"
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(value):
    return NOT_IN_XML.sub("", value) if isinstance(value, str) else value


class Atom(Atom1Feed):
    """Atom 1.0 without the characters XML 1.0 cannot carry: a control character in a
    transcript or a query would otherwise fail the whole feed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*map(_xml_safe, args), **{name: _xml_safe(value) for name, value in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(_xml_safe, args), **{name: _xml_safe(value) for name, value in kwargs.items()})


def event_published(event):
    """The event's date as a datetime for `published`, or None when only a year or nothing is known."""
    return dt.datetime.combine(event.date, dt.time(), tzinfo=dt.UTC) if event.date else None


class ArchiveFeed(Feed):
    feed_type = Atom
    author_name = ARCHIVE_NAME


class LatestEventsFeed(ArchiveFeed):
    title = f"{ARCHIVE_NAME}: new events"
    subtitle = "Transcripts of press conferences, briefings, interviews and speeches, newest first."
    link = "/events/"

    def items(self):
        return Event.objects.published().newest_first()[:FEED_LENGTH]

    def item_title(self, event):
        return event.title

    def item_description(self, event):
        return escape(" · ".join(part for part in (event.date_display, event.place, event.get_kind_display()) if part))

    def item_author_name(self, event):
        return event.collection or None  # the office that published the transcript

    def item_pubdate(self, event):
        return event_published(event)

    def item_updateddate(self, event):
        return event.updated_at

    def item_categories(self, event):
        return [event.get_kind_display()]


class TurnFeed(ArchiveFeed):
    """Entries are turns: the speaker as author, the words as summary, the event's date."""

    def item_title(self, turn):
        return f"{self.item_author_name(turn)} in {turn.event.title}"

    def item_description(self, turn):
        return linebreaks(escape(turn.text))

    def item_author_name(self, turn):
        return turn.speaker.name if turn.speaker else turn.label or "Unattributed"

    def item_pubdate(self, turn):
        return event_published(turn.event)

    def item_updateddate(self, turn):
        # what the entry shows: the turn and its event (bumped by every turn edit) and the speaker
        return max(turn.event.updated_at, turn.speaker.updated_at) if turn.speaker else turn.event.updated_at

    def item_categories(self, turn):
        return [turn.get_kind_display()]


class SpeakerFeed(TurnFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Speaker, slug=slug)

    def title(self, speaker):
        return f"{ARCHIVE_NAME}: {speaker.name}"

    def link(self, speaker):
        return speaker.get_absolute_url()

    def subtitle(self, speaker):
        return f"What {speaker.name} said, newest first."

    def items(self, speaker):
        turns = Turn.objects.published().by_speaker(speaker).select_related("event", "speaker")
        return turns.order_by(F("event__date").desc(nulls_last=True), "-event__pk", "-sequence")[:FEED_LENGTH]


class SearchFeed(TurnFeed):
    """/search/feed/?q=…&speaker=…: the newest turns matching a search (the search page's query
    and filters), so that a reader can follow a subject."""

    def get_object(self, request):
        params = request.GET.copy()
        for name in ("page", "sort"):
            params.pop(name, None)
        return params

    def title(self, params):
        query = " ".join((params.get("q") or "").split())
        return f"{ARCHIVE_NAME}: {query or 'all turns'}"

    def subtitle(self, params):
        return "The newest turns matching this search."

    def link(self, params):
        return reverse("archive:search") + (f"?{params.urlencode()}" if params else "")

    def feed_url(self, params):
        return reverse("archive:search_feed") + (f"?{params.urlencode()}" if params else "")

    def items(self, params):
        arguments = SearchForm(params).search_arguments() | {"sort": "newest", "page": 1}
        return [hit.turn for hit in search.prioritised(search.search_turns, **arguments).hits]
