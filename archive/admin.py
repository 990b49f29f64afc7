"""The Django admin for archivists: correcting events, turns and speakers, merging speakers,
working through the review queue, and reading or reverting the history of every change.

Every save, delete, revert or merge queues its search index update in the same transaction
(`archive.search`) and the queue is drained right after the commit, so search shows the change
within seconds; anything the index cannot take at once stays queued and is retried.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import models, transaction
from django.db.models import Case, F, Value, When
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from archive import curation, review, search
from archive.admin_labels import NamedCellsAdmin, NamedRowsInline, ValuesFilter
from archive.curation import SpeakerCounts
from archive.models import (
    Event,
    IndexTask,
    Participation,
    ReviewMark,
    Speaker,
    SpeakerAlias,
    SpeakerRedirect,
    Turn,
)


def short(text, words=30):
    return Truncator(text).words(words)


class SpeakerPicker:
    """Speaker fields (autocomplete included) show who each speaker is: `Speaker.picker_label`."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.related_model is Speaker:
            field.queryset = field.queryset.select_related("event")  # the label names it
            field.label_from_instance = Speaker.picker_label
        return field


class ReasonForm(forms.ModelForm):
    """Every change form asks, optionally, why: kept as the history's change reason."""

    change_reason = forms.CharField(
        label="Reason for this change",
        required=False,
        max_length=100,  # what the history keeps
        help_text="Optional, kept in the history: e.g. “speaker named in the video”, “date from the PDF”.",
        widget=forms.TextInput(attrs={"class": "vLargeTextField change-reason"}),
    )


def reason_of(form):
    return (getattr(form, "cleaned_data", None) or {}).get("change_reason") or None


class HistoryAdmin(SpeakerPicker, SimpleHistoryAdmin):
    """History and revert for every change (django-simple-history) with an optional reason, and
    every save or delete queued for the search index."""

    form = ReasonForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [field for field in options["fields"] if field != "change_reason"]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        if not (self.has_change_permission(request, obj) if obj else self.has_add_permission(request)):
            return fieldsets
        return fieldsets + [(None, {"fields": ["change_reason"], "classes": ["change-reason-row"]})]

    def enqueue(self, pk):
        """Queue the search index update for the object with this primary key."""

    def save_model(self, request, obj, form, change):
        obj._change_reason = reason_of(form)
        super().save_model(request, obj, form, change)  # also what a revert calls
        self.enqueue(obj.pk)
        search.drain_soon()

    def save_formset(self, request, form, formset, change):
        # formset.save(), with the change form's reason on every row it saves or deletes
        reason = reason_of(form)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj._change_reason = reason
            obj.delete()
        for obj in instances:
            obj._change_reason = reason
            obj.save()
        formset.save_m2m()

    def delete_model(self, request, obj):
        pk = obj.pk
        super().delete_model(request, obj)
        self.enqueue(pk)
        search.drain_soon()

    def delete_queryset(self, request, queryset):
        # one by one, so that each deletion is recorded and reaches the index (the drains
        # scheduled after the first find the queue empty)
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)


# --- the review queue (archive.review) ----------------------------------------------------


class ReviewFilter(admin.SimpleListFilter):
    """The review queue's kinds for this model (`?review=<kind>`), and what was checked of each
    (`?review=<kind>:checked`)."""

    title = "review queue"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        options = []
        for kind in review.kinds_for(model_admin.model):
            options.append((kind.slug, kind.label))
            if kind.in_queue:
                options.append((f"{kind.slug}:checked", f"{kind.label}: checked"))
        return options

    def queryset(self, request, queryset):
        slug, _, state = (self.value() or "").partition(":")
        kind = review.kind(slug)
        if kind is None or kind.model is not queryset.model:
            return queryset
        return kind.checked(queryset) if state == "checked" else kind.pending(queryset)


class ReviewActions:
    """“Mark as checked” and its undo, for the kind of problem chosen in the review filter."""

    actions = ["mark_checked", "return_to_queue"]

    def review_kind(self, request):
        kind = review.kind((request.GET.get(ReviewFilter.parameter_name) or "").partition(":")[0])
        if kind is None or not kind.in_queue or kind.model is not self.model:
            self.message_user(
                request, "First choose a kind of problem in the “review queue” filter on the right.", messages.WARNING
            )
            return None
        return kind

    @admin.action(description="Mark the selected as checked (they leave the review queue)", permissions=["change"])
    def mark_checked(self, request, queryset):
        kind = self.review_kind(request)
        if kind:
            count = review.mark_checked(kind, list(queryset), request.user)
            message = f"{count} marked as checked: they leave “{kind.label}” (the history records it)."
            self.message_user(request, message, messages.SUCCESS)

    @admin.action(description="Return the selected to the review queue", permissions=["change"])
    def return_to_queue(self, request, queryset):
        kind = self.review_kind(request)
        if kind:
            count = review.return_to_queue(kind, list(queryset))
            self.message_user(request, f"{count} returned to “{kind.label}”.", messages.SUCCESS)


# --- events -------------------------------------------------------------------------------


class TurnInlineForm(forms.ModelForm):
    move_after = forms.IntegerField(
        required=False,
        min_value=0,
        label="Move after №",
        help_text="To reorder, the number of the turn this one should follow (0: first).",
        widget=forms.NumberInput(attrs={"class": "move-after"}),
    )

    class Meta:
        model = Turn
        fields = ("label", "speaker", "kind", "text")
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "cols": 40})}


class TurnInline(SpeakerPicker, NamedRowsInline, admin.TabularInline):
    model = Turn
    form = TurnInlineForm
    # The language note is edited on the turn's own page: room for the words in a 1,280 px window.
    fields = ("sequence", "move_after", "label", "speaker", "kind", "text")
    readonly_fields = ("sequence",)
    autocomplete_fields = ("speaker",)
    extra = 0
    ordering = ("sequence",)
    show_change_link = True  # the turn's own page has its history

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("speaker")


class ParticipationInline(SpeakerPicker, NamedRowsInline, admin.TabularInline):
    model = Participation
    fields = ("speaker", "role", "title", "position")
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
            return queryset.year_only()
        if self.value() == "no":
            return queryset.undated()
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


def renumber_turns(event, formset, reason=None):
    """Save the turns of an event's inline in their new order, numbered 1, 2, 3… again."""
    original = dict(event.turns.values_list("pk", "sequence"))
    instances = formset.save(commit=False)
    for turn in formset.deleted_objects:
        turn._change_reason = reason
        turn.delete()
    deleted = {turn.pk for turn in formset.deleted_objects}
    changed = {turn.pk: turn for turn in instances if turn.pk}
    order = [changed.get(turn.pk, turn) for turn in event.turns.order_by("sequence") if turn.pk not in deleted]
    order += [turn for turn in instances if not turn.pk]
    for form in formset.forms:
        after = (form.cleaned_data or {}).get("move_after")
        turn = form.instance
        if after is None or form in formset.deleted_forms or (turn.pk and original.get(turn.pk) == after):
            continue  # not moved (after itself: where it already is)
        order = [other for other in order if other is not turn]
        follows = [i for i, other in enumerate(order) if other.pk and original.get(other.pk) == after]
        position = follows[0] + 1 if follows else (0 if after == 0 else len(order))
        order.insert(position, turn)
    to_save = [
        (number, turn)
        for number, turn in enumerate(order, start=1)
        if not turn.pk or turn.pk in changed or original[turn.pk] != number
    ]
    # Out of the way first: (event, sequence) is unique and numbers are being swapped.
    Turn.objects.filter(pk__in=[turn.pk for _, turn in to_save if turn.pk]).update(sequence=F("sequence") + 1_000_000)
    for number, turn in to_save:
        turn.sequence = number
        turn.event = event
        turn._change_reason = reason
        turn.save()


@admin.register(Event)
class EventAdmin(ReviewActions, HistoryAdmin):
    list_display = (
        "title",
        "date_shown",
        "kind",
        "place_shown",
        "turns",
        "dated",
        "unresolved",
        "unidentified",
        "published",
    )
    list_display_links = ("title",)
    list_filter = (
        ReviewFilter,
        DatedFilter,
        UnresolvedLabelFilter,
        "kind",
        "published",
        ("collection", ValuesFilter),
        "year",
    )
    search_fields = ("title", "source_file", "source_ref", "city", "country", "venue")
    date_hierarchy = "date"
    list_per_page = 50
    readonly_fields = ("source_key", "source_file", "checksum", "ingested_at", "created_at", "updated_at")
    fieldsets = [
        (None, {"fields": ("title", "slug", "kind", "published")}),
        ("When and where", {"fields": ("date", "year", "time", "city", "country", "venue")}),
        ("Source", {"fields": ("collection", "source_url", "source_ref", "source_key", "source_file", "checksum")}),
        (
            "As printed around the turns",
            {"fields": ("header_text", "trailer_text"), "classes": ("collapse",)},
        ),
        (
            "Ingest",
            {"fields": ("ingest_notes", "ingested_at", "edited_since_ingest", "created_at", "updated_at")},
        ),
    ]
    inlines = [ParticipationInline, TurnInline]
    actions = ["publish", "unpublish", *ReviewActions.actions]

    def get_queryset(self, request):
        return super().get_queryset(request).with_review_counts().with_question_counts()

    @admin.display(description="date", ordering="date")
    def date_shown(self, event):
        return event.date_display

    @admin.display(description="place", ordering="country")
    def place_shown(self, event):
        return event.place

    @admin.display(description="turns", ordering="turn_count")
    def turns(self, event):
        return event.turn_count

    @admin.display(description="dated", boolean=True, ordering="date")
    def dated(self, event):
        return event.date is not None

    @admin.display(description="unresolved labels", ordering="unresolved_count")
    def unresolved(self, event):
        return event.unresolved_count or ""

    @admin.display(description="unidentified questions", ordering="unidentified_count")
    def unidentified(self, event):
        if not event.unidentified_count:
            return ""
        url = reverse("admin:archive_turn_changelist") + f"?event__id__exact={event.pk}&problem=unidentified"
        return format_html('<a href="{}" title="Attribute them">{}</a>', url, event.unidentified_count)

    @admin.action(description="Publish the selected events", permissions=["change"])
    def publish(self, request, queryset):
        changed = curation.set_published(queryset, True)
        self.message_user(request, f"{changed} events published; search shows them within seconds.")

    @admin.action(
        description="Unpublish the selected events (hide them from the site and search)", permissions=["change"]
    )
    def unpublish(self, request, queryset):
        changed = curation.set_published(queryset, False)
        self.message_user(request, f"{changed} events unpublished.")

    def save_model(self, request, obj, form, change):
        # Re-ingesting the file must not silently undo what an archivist corrected.
        obj.edited_since_ingest = True
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is Turn:
            renumber_turns(form.instance, formset, reason_of(form))
        else:
            super().save_formset(request, form, formset, change)

    def enqueue(self, pk):
        search.enqueue_event(pk)  # the event and all its turns


# --- turns --------------------------------------------------------------------------------


class ProblemFilter(admin.SimpleListFilter):
    """The review queue of turns (linked from the admin's home page)."""

    title = "problem (checked or not)"
    parameter_name = "problem"

    def lookups(self, request, model_admin):
        return [
            ("any", "Needs review"),
            ("unresolved", "Label not tied to a speaker"),
            ("unidentified", "Journalist not identified"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "any":
            return queryset.for_review()
        if self.value() == "unresolved":
            return queryset.unresolved()
        if self.value() == "unidentified":
            return queryset.unidentified_questions()
        return queryset


@admin.register(Turn)
class TurnAdmin(ReviewActions, NamedCellsAdmin, HistoryAdmin):
    """Turns, with the review queue as a filter: attribute a turn by choosing its speaker right
    in the list, or open it to correct its text and see its history."""

    list_display = ("event_link", "sequence", "label", "speaker", "excerpt", "kind")
    list_display_links = ("sequence",)
    list_editable = ("speaker",)
    list_filter = (ReviewFilter, ProblemFilter, "kind", ("event__collection", ValuesFilter))
    list_select_related = ("event", "speaker")
    ordering = ("-event__date", "event", "sequence")
    search_fields = ("text", "label", "speaker__name", "public_id", "event__title")
    autocomplete_fields = ("speaker",)
    raw_id_fields = ("in_reply_to", "event")
    readonly_fields = ("public_id",)
    fields = ("event", "sequence", "label", "speaker", "kind", "text", "language_note", "in_reply_to", "public_id")
    list_per_page = 50

    @admin.display(description="event", ordering="event__date")
    def event_link(self, turn):
        url = reverse("admin:archive_event_change", args=[turn.event_id])
        return format_html('<a href="{}">{}</a> ({})', url, short(turn.event.title, 8), turn.event.date_display)

    @admin.display(description="text")
    def excerpt(self, turn):
        return format_html(
            '{} <a href="{}" target="_blank">in context</a>', short(turn.text, 40), turn.get_absolute_url()
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        curation.mark_edited(obj.event_id)

    def delete_model(self, request, obj):
        curation.mark_edited(obj.event_id)
        super().delete_model(request, obj)

    def enqueue(self, pk):
        search.enqueue_turns([pk])


# --- speakers -----------------------------------------------------------------------------


class SpeakerAliasInline(NamedRowsInline, admin.TabularInline):
    model = SpeakerAlias
    fields = ("label", "valid_from", "valid_until", "confirmed")
    extra = 0


@admin.register(Speaker)
class SpeakerAdmin(HistoryAdmin):
    list_display = ("name", "kind", "title", "organisation", "turn_count", "event")
    list_filter = ("kind", ("event", admin.EmptyFieldListFilter))
    search_fields = ("name", "title", "organisation", "aliases__label", "slug")
    inlines = [SpeakerAliasInline]
    raw_id_fields = ("event",)
    actions = ["merge"]
    list_per_page = 50
    # The picker: people named across events first, then other archive-wide speakers, then the
    # speakers of one event only.
    autocomplete_ordering = (
        Case(When(event__isnull=False, then=Value(2)), When(kind=Speaker.Kind.PERSON, then=Value(0)), default=Value(1)),
        "name",
        "slug",
    )

    def get_queryset(self, request):
        # Meta.ordering does not apply to aggregating queries: the autocomplete pages need one
        speakers = super().get_queryset(request).select_related("event")
        return speakers.annotate(turn_count=models.Count("turns")).order_by("name", "slug")

    @admin.display(description="turns", ordering="turn_count")
    def turn_count(self, speaker):
        return speaker.turn_count

    def enqueue(self, pk):
        search.enqueue_speaker(pk)  # a renamed speaker: every turn of theirs is re-indexed

    @admin.action(description="Merge the selected speakers into one", permissions=["change", "delete"])
    def merge(self, request, queryset):
        speakers = list(queryset.order_by("name", "pk"))
        if len(speakers) < 2:
            self.message_user(request, "Select at least two speakers to merge.", messages.WARNING)
            return None
        if request.POST.get("confirm") == "yes":
            target = next((s for s in speakers if str(s.pk) == request.POST.get("keep")), None)
            if target is None:
                self.message_user(request, "Choose the speaker to keep.", messages.ERROR)
            else:
                result = curation.merge_speakers(target, [s for s in speakers if s.pk != target.pk])
                self.message_user(request, str(result), messages.SUCCESS)
                return None
        rows = [(speaker, SpeakerCounts.of(speaker)) for speaker in speakers]
        total = sum((counts for _, counts in rows), SpeakerCounts(0, 0, 0))
        keep = max(rows, key=lambda row: (row[0].event_id is None, row[1].turns))[0]
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge speakers",
            "opts": self.model._meta,
            "rows": rows,
            "total": total,
            "keep": keep,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/archive/speaker/merge.html", context)


@admin.register(SpeakerAlias)
class SpeakerAliasAdmin(HistoryAdmin):
    list_display = ("label", "speaker", "valid_from", "valid_until", "confirmed")
    list_filter = ("confirmed",)
    search_fields = ("label", "speaker__name")
    autocomplete_fields = ("speaker",)


@admin.register(SpeakerRedirect)
class SpeakerRedirectAdmin(SpeakerPicker, admin.ModelAdmin):
    list_display = ("old_slug", "speaker", "created_at")
    search_fields = ("old_slug", "speaker__name")
    autocomplete_fields = ("speaker",)


@admin.register(ReviewMark)
class ReviewMarkAdmin(admin.ModelAdmin):
    """What archivists marked as checked in the review queue (marks are made and removed from the
    lists of events and turns, with the review filter chosen)."""

    list_display = ("kind", "item", "checked_by", "checked_at", "note")
    list_filter = ("kind",)
    list_select_related = ("checked_by",)

    @admin.display(description="item")
    def item(self, mark):
        kind = review.kind(mark.kind)
        if kind is None:
            return mark.object_id
        url = reverse(f"admin:archive_{kind.model_name}_change", args=[mark.object_id])
        return format_html('<a href="{}">{} #{}</a>', url, kind.model._meta.verbose_name, mark.object_id)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IndexTask)
class IndexTaskAdmin(admin.ModelAdmin):
    """Changes waiting for the search index (normally empty: drained within seconds)."""

    list_display = ("kind", "object_id", "created_at")
    list_filter = ("kind",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

# The people registry and the possible duplicates have their own module.
from archive import registry_admin  # noqa: E402, F401
