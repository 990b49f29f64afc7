"""sitemap.xml: every published event and every archive-wide speaker, each with the time its
page last changed."""

from django.contrib.sitemaps import Sitemap

from archive.models import Event, Speaker


class EventSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Event.objects.published().with_last_change().order_by("pk")

    def lastmod(self, event):
        return event.last_change


class SpeakerSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Speaker.objects.listed().with_last_change().order_by("pk")

    def lastmod(self, speaker):
        return speaker.last_change


SITEMAPS = {"events": EventSitemap, "speakers": SpeakerSitemap}
