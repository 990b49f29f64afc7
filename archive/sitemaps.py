"""sitemap.xml: every published event and every archive-wide speaker."""

from django.contrib.sitemaps import Sitemap

from archive.models import Event, Speaker


class EventSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Event.objects.published().order_by("pk")

    def lastmod(self, event):
        return event.updated_at


class SpeakerSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Speaker.objects.listed().order_by("pk")


SITEMAPS = {"events": EventSitemap, "speakers": SpeakerSitemap}
