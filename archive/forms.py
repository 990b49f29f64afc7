"""Forms of the public pages: they validate what readers type before anything is searched."""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.text import slugify

from archive.models import Event
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


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "Any kind")] + Event.Kind.choices, required=False, label="Kind")
    place = forms.CharField(required=False, max_length=120, label="Place (country)")
    speaker = forms.SlugField(required=False, max_length=220, label="Speaker")

    def filter(self, events):
        """Events narrowed by the fields that validated."""
        if not self.is_valid():
            return events
        data = self.cleaned_data
        if data["kind"]:
            events = events.filter(kind=data["kind"])
        if data["place"]:
            events = events.filter(country__iexact=data["place"])
        if data["speaker"]:
            events = events.with_speaker(data["speaker"])
        return events
