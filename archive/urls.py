"""The archive's URLs: public pages under archive:, the admin under /admin/."""

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from archive import errors, research_views, views
from archive.api import api
from archive.feeds import LatestEventsFeed, SearchFeed, SpeakerFeed
from archive.sitemaps import SITEMAPS

app_patterns = (
    [
        path("", views.home, name="home"),
        path("search/", views.search_page, name="search"),
        path("quote/", research_views.quote_finder, name="quote"),
        path("trends/", research_views.trends_page, name="trends"),
        path("trends.csv", research_views.trends_csv, name="trends_csv"),
        path("search/feed/", SearchFeed(), name="search_feed"),
        path("events/", views.event_list, name="event_list"),
        path("events/undated/", views.event_list, {"undated": True}, name="event_list_undated"),
        path("events/<int:year>/", views.event_list, name="event_list_year"),
        path("events/<int:year>/<int:month>/", views.event_list, name="event_list_month"),
        path("events/<slug:slug>/", views.event_detail, name="event_detail"),
        path("events/<slug:slug>/transcript.<str:format>", views.event_transcript, name="event_transcript"),
        path("speakers/", views.speaker_list, name="speaker_list"),
        path("speakers/<slug:slug>/", views.speaker_detail, name="speaker_detail"),
        path("t/<str:public_id>/", views.turn_permalink, name="turn_permalink"),
        path("t/<str:public_id>/cite/", research_views.cite_turn, name="cite_turn"),
        path("t/<str:public_id>/cite.<str:format>", research_views.cite_turn, name="cite_turn_download"),
        path("events/<slug:slug>/cite/", research_views.cite_event, name="cite_event"),
        path("events/<slug:slug>/cite.<str:format>", research_views.cite_event, name="cite_event_download"),
        path("events/<slug:slug>/akoma-ntoso.xml", research_views.event_akoma_ntoso, name="event_akoma_ntoso"),
    ],
    "archive",
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("robots.txt", views.robots_txt),
    path("favicon.ico", views.favicon),
    path("healthz", views.healthz, name="healthz"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("feeds/events/", LatestEventsFeed(), name="feed_events"),
    path("speakers/<slug:slug>/feed/", SpeakerFeed(), name="feed_speaker"),
    path("", include(app_patterns)),
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
