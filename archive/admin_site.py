"""The admin site itself: its titles, and a home page that starts with the review queue."""

from django.contrib import admin


class ArchiveAdminSite(admin.AdminSite):
    site_header = "Diplomatic remarks archive"
    site_title = "Archive admin"
    index_title = "Archivists' desk"
    index_template = "admin/archive_index.html"

    def index(self, request, extra_context=None):
        from archive.models import Event, Turn

        if request.user.has_perm("archive.view_turn"):
            events = Event.objects.all()
            turns = Turn.objects.all()
            extra_context = {
                "review": [
                    ("Events with no date", events.undated().count(), "event", "dated=no"),
                    (
                        "Events with only a year",
                        events.year_only().count(),
                        "event",
                        "dated=year",
                    ),
                    ("Labels not tied to a speaker", turns.unresolved().count(), "turn", "problem=unresolved"),
                    (
                        "Questions whose journalist is not identified",
                        turns.unidentified_questions().count(),
                        "turn",
                        "problem=unidentified",
                    ),
                ],
                **(extra_context or {}),
            }
        return super().index(request, extra_context)
