"""The Django admin for archivists."""

from django.contrib import admin

from archive import search
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


class DatedFilter(admin.SimpleListFilter):
    title = "date known"
    parameter_name = "dated"

    def lookups(self, request, model_admin):
        return [("yes", "Dated"), ("year", "Year only"), ("no", "Undated")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(date__isnull=False)
        if self.value() == "year":
            return queryset.filter(date__isnull=True, year__isnull=False)
        if self.value() == "no":
            return queryset.undated().filter(year__isnull=True)
        return queryset


class UnresolvedLabelFilter(admin.SimpleListFilter):
    title = "unresolved labels"
    parameter_name = "unresolved"

    def lookups(self, request, model_admin):
        return [("yes", "Has turns whose label names no speaker")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=Turn.objects.unresolved().values("event"))
        return queryset


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "date", "year", "kind", "city", "country", "published")
    list_filter = (DatedFilter, UnresolvedLabelFilter, "kind", "published", "collection", "year")
    search_fields = ("title", "source_file", "source_ref")
    readonly_fields = ("source_key", "source_file", "checksum", "ingested_at", "created_at", "updated_at")
    inlines = [ParticipationInline, TurnInline]

    def save_model(self, request, obj, form, change):
        # Re-ingesting the file must not silently undo what an archivist corrected.
        obj.edited_since_ingest = True
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        search.enqueue_event(form.instance.pk)  # in the same transaction as the edit
        search.drain_soon()

    def delete_model(self, request, obj):
        pk = obj.pk
        super().delete_model(request, obj)
        search.enqueue_event(pk)
        search.drain_soon()


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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        search.enqueue_speaker(obj.pk)  # a renamed speaker: every turn of theirs is re-indexed
        search.drain_soon()


@admin.register(SpeakerAlias)
class SpeakerAliasAdmin(admin.ModelAdmin):
    list_display = ("label", "speaker", "valid_from", "valid_until", "confirmed")
    list_filter = ("confirmed",)
    search_fields = ("label", "speaker__name")
    autocomplete_fields = ("speaker",)
