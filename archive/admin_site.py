"""The admin site itself: its titles, a home page that starts with the review queue, and a speaker
picker (autocomplete) whose entries say who each speaker is."""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView


class LabelledAutocomplete(AutocompleteJsonView):
    """Autocomplete answers labelled by the model's `picker_label()` where it has one, in the
    model admin's `autocomplete_ordering` where it sets one (named people before the “Moderator”
    of a single event)."""

    def get_queryset(self):
        queryset = super().get_queryset()
        ordering = getattr(self.model_admin, "autocomplete_ordering", None)
        return queryset.order_by(*ordering) if ordering else queryset

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if hasattr(obj, "picker_label"):
            result["text"] = obj.picker_label()
        return result


class ArchiveAdminSite(admin.AdminSite):
    site_header = "Diplomatic remarks archive"
    site_title = "Archive admin"
    index_title = "Archivists' desk"
    index_template = "admin/archive_index.html"
    # No model list down the left of every page: its 300 px are what a long transcript's turns
    # need to fit a 1,280 px window (the home page and the breadcrumbs lead to every list).
    enable_nav_sidebar = False

    def autocomplete_view(self, request):
        return LabelledAutocomplete.as_view(admin_site=self)(request)

    def index(self, request, extra_context=None):
        from archive import review

        if request.user.has_perm("archive.view_turn"):
            rows = []
            for kind in review.KINDS:
                pending, checked = kind.pending(), kind.marks().count() if kind.in_queue else 0
                rows.append((kind, pending.count(), kind.describe(pending), checked))
            extra_context = {"review": rows, **(extra_context or {})}
        return super().index(request, extra_context)
