"""What narrows a search: the one definition of the search filters, their URL parameters,
their index fields and their facets, used by the form, the view, the API, the feeds, the
templates and the engines alike. Pure Python: no Django, no engine."""

import dataclasses
import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Facet:
    """A filter that is also counted beside the results."""

    param: str  # the URL parameter, and the SearchFilters attribute
    field: str  # the index field holding one exact value per turn
    title: str


FACETS = (
    Facet("speaker", "speaker_slug", "Speaker"),
    Facet("year", "year", "Year"),
    Facet("kind", "event_kind", "Kind of event"),
    Facet("place", "place", "Place"),
)
FACET_LIMIT = 15
SORTS = {"relevance": "Relevance", "newest": "Newest first", "oldest": "Oldest first"}
PER_PAGE = 20
# How an applied filter is listed, and the label of the link that removes it.
APPLIED = {
    "speaker": ("Speaker: {value}", "Remove the speaker filter"),
    "year": ("Year: {value}", "Remove the year filter"),
    "kind": ("Kind: {value}", "Remove the kind filter"),
    "place": ("Place: {value}", "Remove the place filter"),
    "event": ("Within one event", "Search the whole archive"),
    "date_from": ("From {value}", "Remove the start date"),
    "date_to": ("To {value}", "Remove the end date"),
}


@dataclass(frozen=True)
class SearchFilters:
    """The filters of one search; empty strings and None mean "any"."""

    speaker: str = ""  # a speaker's slug
    year: str = ""  # four digits
    kind: str = ""  # an event kind (Event.Kind)
    place: str = ""  # a country's slug
    event: int | None = None  # one event's primary key: search within it
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def __post_init__(self):
        if self.date_from and self.date_to and self.date_from > self.date_to:
            start, end = self.date_to, self.date_from
            object.__setattr__(self, "date_from", start)
            object.__setattr__(self, "date_to", end)

    def __bool__(self):
        return any(getattr(self, f.name) for f in dataclasses.fields(self))

    def exact(self):
        """(index field, value) pairs every hit must hold."""
        pairs = [(facet.field, getattr(self, facet.param)) for facet in FACETS if getattr(self, facet.param)]
        if self.event:
            pairs.append(("event", str(self.event)))
        return pairs

    def params(self):
        """The filters as URL parameters (only those set), in a fixed order."""
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return {name: _param(value) for name, value in values.items() if value}

    def applied(self, names=None):
        """(parameter, what to show, label of its remove link) for each filter set; names:
        {parameter: {value: name}} to show a speaker's name rather than their slug."""
        names = names or {}
        return [
            (name, APPLIED[name][0].format(value=names.get(name, {}).get(value, value)), APPLIED[name][1])
            for name, value in self.params().items()
        ]

    def selected(self, facet):
        return getattr(self, facet.param)


def _param(value):
    return value.isoformat() if isinstance(value, dt.date) else str(value)
