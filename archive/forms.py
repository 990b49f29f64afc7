"""Forms of the public pages: they validate what readers type before anything is searched."""

import difflib
from dataclasses import dataclass

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.text import slugify

from archive.models import Event, Speaker
from archive.search.filters import SORTS, SearchFilters


class QueryField(forms.CharField):
    """The search box. Control characters, a NUL included, are left for the query reader, which
    takes them out and says so, instead of refusing the whole query."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]


class SearchForm(forms.Form):
    q = QueryField(label="Search the archive", required=False, strip=True)
    speaker = forms.SlugField(required=False, max_length=220)
    year = forms.RegexField(regex=r"^\d{4}$", required=False)
    kind = forms.SlugField(required=False, max_length=40, label="Kind of event")
    place = forms.SlugField(required=False, max_length=120)
    event = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(choices=list(SORTS.items()), required=False, initial="relevance")
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def search_arguments(self):
        """Arguments of archive.search.search_turns (query, filters, sort, page), leaving out every
        field that did not validate (its error is shown beside the results instead)."""
        self.is_valid()
        data = {name: value for name, value in getattr(self, "cleaned_data", {}).items() if name not in self.errors}
        filters = SearchFilters(
            speaker=data.get("speaker") or "",
            year=data.get("year") or "",
            kind=data.get("kind") or "",
            place=slugify(data.get("place") or ""),
            event=data.get("event") or None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
        return {
            "query": data.get("q") or "",
            "filters": filters,
            "sort": data.get("sort") or "relevance",
            "page": data.get("page") or 1,
        }


# The events list's orders: URL value → (label, EventQuerySet method).
EVENT_SORTS = {
    "newest": ("Newest first", "newest_first"),
    "oldest": ("Oldest first", "oldest_first"),
    "title": ("Title, A to Z", "by_title"),
}
MAX_SPEAKER_CHOICES = 12


@dataclass(frozen=True)
class SpeakerLookup:
    """What a typed speaker name or slug turned out to mean: one speaker, several to choose from
    (`choices`), or none (`suggestions`: names spelt alike)."""

    text: str
    speaker: Speaker | None = None
    choices: tuple = ()
    more: int = 0  # further choices not listed
    suggestions: tuple = ()

    @classmethod
    def of(cls, text):
        speakers, exact = Speaker.objects.matching(text)
        found = list(speakers.order_by("name", "slug")[: MAX_SPEAKER_CHOICES + 1])
        if len(found) == 1:
            return cls(text, speaker=found[0])
        if found:
            total = len(found) if len(found) <= MAX_SPEAKER_CHOICES else speakers.count()
            return cls(text, choices=tuple(found[:MAX_SPEAKER_CHOICES]), more=total - min(total, MAX_SPEAKER_CHOICES))
        names = list(Speaker.objects.listed().values_list("name", flat=True))
        return cls(text, suggestions=tuple(difflib.get_close_matches(text, names, n=3, cutoff=0.7)))


class EventFilterForm(forms.Form):
    """The events list's filters and order, all in the URL. The speaker may be typed by name:
    an unknown or ambiguous name says so (and lists nothing) instead of being ignored."""

    kind = forms.ChoiceField(choices=[("", "Any kind")] + Event.Kind.choices, required=False, label="Kind")
    place = forms.CharField(required=False, max_length=120, label="Country")
    speaker = forms.CharField(
        required=False,
        max_length=200,
        label="Speaker",
        widget=forms.TextInput(attrs={"list": "speaker-suggestions", "autocomplete": "off", "spellcheck": "false"}),
    )
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(
        choices=[(value, label) for value, (label, _) in EVENT_SORTS.items()], required=False, label="Order"
    )

    def __init__(self, *args, countries=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.speaker_lookup = None
        if countries is not None:  # the page offers the countries it has, with their counts
            choices = [("", "Any country")] + [(name, f"{name} ({count})") for name, count in countries]
            self.fields["place"].widget = forms.Select(choices=choices)
            self.known_countries = {name.casefold(): name for name, _ in countries}

    def clean_place(self):
        place = " ".join(self.cleaned_data["place"].split())
        return getattr(self, "known_countries", {}).get(place.casefold(), place)

    def clean_speaker(self):
        text = " ".join(self.cleaned_data["speaker"].split())
        if text:
            self.speaker_lookup = SpeakerLookup.of(text)
        return text

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            data["date_from"], data["date_to"] = end, start
        return data

    def filter(self, events):
        """Events narrowed by the fields that validated, in the order asked for (newest first
        by default)."""
        data = self.valid_data()
        if data.get("kind"):
            events = events.filter(kind=data["kind"])
        if data.get("place"):
            events = events.filter(country__iexact=data["place"])
        if data.get("speaker"):
            speaker = self.speaker_lookup.speaker
            events = events.with_speaker(speaker.slug) if speaker else events.none()
        if data.get("date_from") or data.get("date_to"):
            events = events.between(data.get("date_from"), data.get("date_to"))
        _, method = EVENT_SORTS[data.get("sort") or "newest"]
        return getattr(events, method)()

    def valid_data(self):
        """The cleaned value of every field that validated (the others are shown as errors)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if name not in self.errors}

    @property
    def applied(self):
        """(field, what it shows as) of each filter in use, for the list of removable filters."""
        data = self.valid_data()
        shown = []
        if data.get("kind"):
            shown.append(("kind", f"Kind: {dict(Event.Kind.choices)[data['kind']]}"))
        if data.get("place"):
            shown.append(("place", f"Country: {data['place']}"))
        if data.get("speaker"):
            lookup = self.speaker_lookup
            shown.append(("speaker", f"Speaker: {lookup.speaker.name if lookup.speaker else lookup.text}"))
        if data.get("date_from"):
            shown.append(("date_from", f"From {data['date_from']:%B %-d, %Y}"))
        if data.get("date_to"):
            shown.append(("date_to", f"To {data['date_to']:%B %-d, %Y}"))
        return shown
