"""Matching turns counted over time: the search engine's side of `archive.trends`.

Two counts, each through one engine search (the seam's `parse` and `search`, nothing else):
- by year: the engine's year facet over every match (the year is an indexed field);
- by month inside a year: the ids of the turns matching in that year, grouped by their
  event's month in the database (the index holds dates, not months).
"""

import dataclasses
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count

from archive.models import Turn
from archive.search import NO_FILTERS, engine, search_budget
from archive.search import query as query_language

# Turns fetched to count one year by month; beyond it the counts cover part of the year (said).
MONTH_HITS_LIMIT = 10_000


@dataclass
class Counts:
    by_period: dict = field(default_factory=dict)  # year or month -> matching turns
    total: int = 0  # all matching turns (also those without a year or a month)
    messages: list = field(default_factory=list)


def _search(query, filters, count):
    """What one engine search of query and filters found (its first `count` hits, oldest
    first), or None when the query holds nothing to search for."""
    parsed = query_language.parse(query, max_length=settings.ARCHIVE_SEARCH_MAX_QUERY_CHARS)
    if parsed.browse:
        return None
    current = engine()
    current.ensure()
    with search_budget() as budget:
        found = current.search(parsed, filters, sort="oldest", start=0, count=count, budget=budget)
    found.messages[:0] = parsed.messages
    return found


def count_by_year(query, filters=NO_FILTERS):
    """Matching turns per year of their event, narrowed by filters (a SearchFilters)."""
    found = _search(query, filters, 1)
    if found is None:
        return Counts()
    years = {int(value): count for value, count in found.facets.get("year", []) if str(value).isdigit()}
    return Counts(years, found.total, list(found.messages))


def count_by_month(query, year, filters=NO_FILTERS):
    """Matching turns per month (1–12) of the given year, narrowed by filters."""
    found = _search(query, dataclasses.replace(filters, year=str(year)), MONTH_HITS_LIMIT)
    if found is None:
        return Counts()
    hits, total, messages = found.hits, found.total, list(found.messages)
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
