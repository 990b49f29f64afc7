"""Matching turns counted over time: the search engine's side of `archive.trends`.

Two counts, each through one engine search (the seam's `parse` and `search`, nothing else):
- by year: the engine's year facet over every match (the year is an indexed field);
- by month inside a year: the ids of the turns matching in that year, grouped by their
  event's month in the database (the index holds dates, not months).
"""

from dataclasses import dataclass, field

from django.db.models import Count

from archive.models import Turn
from archive.search import clean_query, engine

# Turns fetched to count one year by month; beyond it the counts cover part of the year (said).
MONTH_HITS_LIMIT = 10_000


@dataclass
class Counts:
    by_period: dict = field(default_factory=dict)  # year or month -> matching turns
    total: int = 0  # all matching turns (also those without a year or a month)
    messages: list = field(default_factory=list)


def filter_pairs(speaker=None, event_kind=None, place=None, event=None, **_ignored):
    """The (index field, value) pairs of search_turns' filters other than the year and dates."""
    selected = {"speaker_slug": speaker, "event_kind": event_kind, "place": place, "event": event and str(event)}
    return [(name, value) for name, value in selected.items() if value]


def _search(query, filters, per_page, facet_fields=(), dates=(None, None)):
    """(hits, total, facets, messages) of one engine search."""
    current = engine()
    cleaned, messages = clean_query(query)
    parsed, parse_messages = current.parse(cleaned)
    messages += parse_messages
    if parsed is None or not cleaned:
        return [], 0, {}, messages
    current.ensure()
    hits, total, facets = current.search(
        parsed,
        filters=list(filters),
        sort="oldest",
        page=1,
        per_page=per_page,
        facet_fields=list(facet_fields),
        date_from=dates[0],
        date_to=dates[1],
    )
    return hits, total, facets, messages


def count_by_year(query, filters=(), dates=(None, None)):
    """Matching turns per year of their event; filters are (index field, value) pairs, dates
    (from, to) or Nones."""
    _, total, facets, messages = _search(query, filters, 1, ["year"], dates)
    years = {int(value): count for value, count in facets.get("year", []) if str(value).isdigit()}
    return Counts(years, total, messages)


def count_by_month(query, year, filters=(), dates=(None, None)):
    """Matching turns per month (1–12) of the given year; dates: (from, to) or Nones."""
    filters = [*filters, ("year", str(year))]
    hits, total, _, messages = _search(query, filters, MONTH_HITS_LIMIT, dates=dates)
    if total > MONTH_HITS_LIMIT:
        messages.append(f"Months count the first {MONTH_HITS_LIMIT:,} of {total:,} matching turns of {year}.")
    months = {}
    pks = [pk for pk, _ in hits]
    for start in range(0, len(pks), 2000):
        rows = (
            Turn.objects.filter(pk__in=pks[start : start + 2000], event__date__isnull=False)
            .values_list("event__date__month")
            .annotate(n=Count("id"))
            .order_by()
        )
        for month, n in rows:
            months[month] = months.get(month, 0) + n
    return Counts(months, total, messages)
