"""Atom feeds: new events, and the events a speaker speaks in."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed

from archive.models import Event, Speaker

FEED_LENGTH = 50


class LatestEventsFeed(Feed):
    feed_type = Atom1Feed
    title = "Diplomatic Remarks Archive: new events"
    subtitle = "Transcripts of press conferences, briefings, interviews and speeches, newest first."
    link = "/events/"

    def items(self):
        return Event.objects.published().newest_first()[:FEED_LENGTH]

    def item_title(self, event):
        return event.title

    def item_description(self, event):
        return " · ".join(part for part in (event.date_display, event.place, event.get_kind_display()) if part)

    def item_updateddate(self, event):
        return event.updated_at


class SpeakerFeed(LatestEventsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Speaker, slug=slug)

    def title(self, speaker):
        return f"Diplomatic Remarks Archive: {speaker.name}"

    def link(self, speaker):
        return speaker.get_absolute_url()

    def subtitle(self, speaker):
        return f"Events in which {speaker.name} speaks, newest first."

    def items(self, speaker):
        return Event.objects.published().with_speaker(speaker.slug).newest_first()[:FEED_LENGTH]
