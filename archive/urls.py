"""The archive's URLs: public pages under archive:, the admin under /admin/."""

from django.contrib import admin
from django.urls import include, path

from archive import views

app_patterns = (
    [
        path("", views.home, name="home"),
        path("search/", views.search_page, name="search"),
        path("events/", views.event_list, name="event_list"),
        path("events/<slug:slug>/", views.event_detail, name="event_detail"),
        path("speakers/", views.speaker_list, name="speaker_list"),
        path("speakers/<slug:slug>/", views.speaker_detail, name="speaker_detail"),
        path("t/<str:public_id>/", views.turn_permalink, name="turn_permalink"),
    ],
    "archive",
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include(app_patterns)),
]
