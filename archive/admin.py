"""The Django admin for archivists."""

from django.contrib import admin

from archive.models import Event, Participation, Speaker, SpeakerAlias, Turn


class TurnInline(admin.TabularInline):
    model = Turn
    fields = ("sequence", "label", "speaker", "kind", "text", "language_note")
    autocomplete_fields = ("speaker",)
    extra = 0
    ordering = ("sequence",)


class ParticipationInline(admin.TabularInline):
    model = Participation
    autocomplete_fields = ("speaker",)
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "date", "year", "kind", "city", "country", "published")
    list_filter = ("kind", "published", "collection", "year")
    search_fields = ("title", "source_file", "source_ref")
    readonly_fields = ("source_key", "source_file", "checksum", "ingested_at", "created_at", "updated_at")
    inlines = [ParticipationInline, TurnInline]

    def save_model(self, request, obj, form, change):
        # Re-ingesting the file must not silently undo what an archivist corrected.
        obj.edited_since_ingest = True
        super().save_model(request, obj, form, change)


class SpeakerAliasInline(admin.TabularInline):
    model = SpeakerAlias
    fields = ("label", "valid_from", "valid_until", "confirmed")
    extra = 0


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "title", "organisation", "event")
    list_filter = ("kind",)
    search_fields = ("name", "title", "organisation", "aliases__label")
    inlines = [SpeakerAliasInline]
    raw_id_fields = ("event",)


@admin.register(SpeakerAlias)
class SpeakerAliasAdmin(admin.ModelAdmin):
    list_display = ("label", "speaker", "valid_from", "valid_until", "confirmed")
    list_filter = ("confirmed",)
    search_fields = ("label", "speaker__name")
    autocomplete_fields = ("speaker",)
