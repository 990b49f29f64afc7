"""The admin pages of the people registry (persons, organisations, posts, memberships) and of
the possible duplicate speakers; imported by archive/admin.py (a module of its own, beside the
admin's other pages).

Registry edits take effect at the next ingest (labels resolve through the registry then) and at
once for speakers through *Identify speakers now*, which links and merges as `load_registry` does.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from archive.duplicates import possible_duplicates
from archive.identify import identify_speakers
from archive.models import Speaker
from archive.registry import current
from archive.registry.models import Membership, Organization, Person, Post


class RegistryAdmin(SimpleHistoryAdmin):
    search_fields = ("popolo_id",)
    readonly_fields = ("created_at", "updated_at")



class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ("popolo_id", "post", "organization", "role", "start_date", "end_date", "acting")
    autocomplete_fields = ("post", "organization")
    extra = 0


@admin.register(Person)
class PersonAdmin(RegistryAdmin):
    list_display = ("name", "family_name", "popolo_id", "offices", "speaker_link")
    search_fields = ("name", "family_name", "popolo_id", "other_names")
    inlines = [MembershipInline]
    actions = ["identify"]
    fieldsets = [
        (None, {"fields": ("name", "given_name", "family_name", "sort_name", "other_names", "popolo_id")}),
        ("Sources", {"fields": ("identifiers", "sources")}),
        ("Record", {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("memberships").select_related("speaker")

    @admin.display(description="offices")
    def offices(self, person):
        return "; ".join(f"{m.role} {m.start_date}–{m.end_date or '…'}" for m in person.memberships.all())

    @admin.display(description="speaker")
    def speaker_link(self, person):
        speaker = getattr(person, "speaker", None)
        if speaker is None:
            return ""
        return admin.utils.format_html(
            '<a href="{}">{}</a>', reverse("admin:archive_speaker_change", args=[speaker.pk]), speaker
        )

    @admin.action(description="Identify speakers now (link and merge as the registry says)", permissions=["change"])
    def identify(self, request, queryset):
        self.message_user(request, str(identify_speakers(current())), messages.SUCCESS)


@admin.register(Membership)
class MembershipAdmin(RegistryAdmin):
    list_display = ("person", "role", "post", "start_date", "end_date", "acting")
    list_filter = ("acting", "post__organization")
    search_fields = ("person__name", "role", "label", "popolo_id")
    autocomplete_fields = ("person", "post", "organization")


@admin.register(Post)
class PostAdmin(RegistryAdmin):
    list_display = ("label", "role", "organization", "popolo_id")
    search_fields = ("label", "role", "popolo_id", "other_labels")
    autocomplete_fields = ("organization",)


@admin.register(Organization)
class OrganizationAdmin(RegistryAdmin):
    list_display = ("name", "classification", "parent", "popolo_id")
    search_fields = ("name", "popolo_id", "other_names")
    autocomplete_fields = ("parent",)


class PossibleDuplicate(Speaker):
    class Meta:
        proxy = True
        verbose_name = "possible duplicate"
        verbose_name_plural = "possible duplicates"


@admin.register(PossibleDuplicate)
class PossibleDuplicateAdmin(admin.ModelAdmin):
    """Pairs of speakers that may be one person, each with a button to the speakers' merge."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("archive.view_speaker")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        can_merge = request.user.has_perms(["archive.change_speaker", "archive.delete_speaker"])
        context = {
            **self.admin_site.each_context(request),
            "title": "Possible duplicate speakers",
            "opts": self.model._meta,
            "pairs": possible_duplicates(),
            "can_merge": can_merge,
            "merge_url": reverse("admin:archive_speaker_changelist"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/archive/duplicates/list.html", context)
