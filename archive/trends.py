"""A phrase over time: matching turns per year, or per month inside a year, for up to three
queries, as counts and per 10,000 turns of the period. One `Trend` feeds the trends page, the
search page's chart, the API and the CSV download.

Counting matches is the search seam's (`archive.search.trends`); the archive's own turns per
period (the denominators) come from the database.
"""

import calendar
import csv
import io
from dataclasses import dataclass, field

from django.db.models import Count

from archive.charts import line_chart
from archive.models import Turn
from archive.search import NO_FILTERS
from archive.search import trends as search_trends
from archive.search import version as search_version

MAX_QUERIES = 3
PER = 10_000


@dataclass(frozen=True)
class Period:
    key: int  # a year, or a month 1–12
    label: str
    turns: int  # all published turns of the period (the denominator)


@dataclass(frozen=True)
class Series:
    query: str
    counts: tuple  # matching turns per period
    rates: tuple  # per 10,000 turns of the period; None where the period holds no turn
    total: int  # every matching turn, those of undated events included
    outside: int  # matching turns not placed in any period (no year; no month for a month view)

    @property
    def label(self):
        """The query in quotation marks (a quoted phrase keeps its own, made typographic)."""
        inner = self.query[1:-1] if len(self.query) > 1 and self.query[0] == self.query[-1] == '"' else self.query
        return f"“{inner}”"


@dataclass
class Trend:
    periods: list
    series: list
    year: int | None = None  # set: months of that year
    normalised: bool = False
    messages: list = field(default_factory=list)

    @property
    def unit(self):
        return "month" if self.year else "year"

    @property
    def values(self):
        """What the chart draws: counts, or rates when normalised."""
        return [series.rates if self.normalised else series.counts for series in self.series]

    @property
    def rows(self):
        """(period, [(count, rate) per series]) for tables."""
        return [
            (period, [(series.counts[i], series.rates[i]) for series in self.series])
            for i, period in enumerate(self.periods)
        ]


def clean_queries(queries):
    """The non-blank queries, at most MAX_QUERIES of them, in order, without repeats."""
    kept = list(dict.fromkeys(q.strip() for q in queries if q and q.strip()))
    return kept[:MAX_QUERIES], len(kept) > MAX_QUERIES


_year_turns = {}


def year_turns():
    """{year: published turns} of the whole archive. Counted again when the search index changes
    (every ingest and edit reaches it): a GROUP BY over every turn took 15 to 50 ms at 100,000
    turns, on every search page that draws a trend."""
    version = search_version()
    if version is None or _year_turns.get("version") != version:
        rows = Turn.objects.published().exclude(event__year=None).values_list("event__year").annotate(n=Count("id"))
        _year_turns.clear()
        _year_turns.update(version=version, counts=dict(rows.order_by()))
    return dict(_year_turns["counts"])


def month_turns(year):
    rows = (
        Turn.objects.published()
        .filter(event__year=year, event__date__isnull=False)
        .values_list("event__date__month")
        .annotate(n=Count("id"))
    )
    return dict(rows.order_by())


def _rate(count, turns):
    return round(count * PER / turns, 1) if turns else None


def _build(queries, counts, turns, keys, labels, *, year=None, normalised=False, messages=()):
    periods = [Period(key, labels(key), turns.get(key, 0)) for key in keys]
    series = []
    for query, found in zip(queries, counts, strict=True):
        values = tuple(found.by_period.get(key, 0) for key in keys)
        rates = tuple(_rate(value, period.turns) for value, period in zip(values, periods, strict=True))
        outside = found.total - sum(found.by_period.values())
        series.append(Series(query, values, rates, found.total, outside))
    all_messages = [*messages, *(m for found in counts for m in found.messages)]
    return Trend(periods, series, year, normalised, list(dict.fromkeys(all_messages)))


def yearly(queries, *, normalised=False, filters=NO_FILTERS):
    """Per year, from the first to the last year in which any query matches."""
    queries, too_many = clean_queries(queries)
    counts = [search_trends.count_by_year(query, filters) for query in queries]
    return _yearly(queries, counts, normalised=normalised, too_many=too_many)


def _yearly(queries, counts, *, normalised=False, too_many=False):
    """From the first to the last year in which any query matches, leaving out the years in
    which the archive holds no turn at all (nothing to count there is no zero)."""
    matched = [year for found in counts for year, n in found.by_period.items() if n]
    turns = year_turns()
    keys = [year for year in range(min(matched), max(matched) + 1) if turns.get(year)] if matched else []
    messages = [f"Only the first {MAX_QUERIES} queries are compared."] if too_many else []
    return _build(queries, counts, turns, keys, str, normalised=normalised, messages=messages)


def monthly(queries, year, *, normalised=False, filters=NO_FILTERS):
    """Per month of one year."""
    queries, too_many = clean_queries(queries)
    counts = [search_trends.count_by_month(query, year, filters) for query in queries]
    messages = [f"Only the first {MAX_QUERIES} queries are compared."] if too_many else []
    labels = calendar.month_abbr.__getitem__
    return _build(
        queries, counts, month_turns(year), range(1, 13), labels, year=year, normalised=normalised, messages=messages
    )


def for_queries(queries, arguments, *, normalised=False):
    """The trend of queries narrowed by the search filters in arguments (search_turns'
    arguments; their query is not used): per month when they name a year."""
    if not clean_queries(queries)[0]:
        return None
    filters = arguments["filters"]
    if filters.year:
        return monthly(queries, int(filters.year), normalised=normalised, filters=filters)
    return yearly(queries, normalised=normalised, filters=filters)


def for_search(arguments, results, *, normalised=False):
    """The trend of one search page's query and filters: per year from the year counts the
    search already made, or per month when the search is of one year. None when nothing
    matched: the page says so already, and a query of no searchable words has no trend."""
    if not results.query or not results.total:
        return None
    if arguments["filters"].year:
        return for_queries([results.query], arguments, normalised=normalised)
    years = {int(value): n for value, n in results.years if str(value).isdigit()}
    found = search_trends.Counts(years, results.total)
    return _yearly([results.query], [found], normalised=normalised)


def as_csv(trend):
    """Period, the archive's turns, then per query its count and its rate per 10,000 turns."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = [trend.unit, "turns in the archive"]
    for series in trend.series:
        header += [f"{series.query} (turns)", f"{series.query} (per {PER:,} turns)"]
    writer.writerow(header)
    for period, values in trend.rows:
        key = f"{trend.year}-{period.key:02d}" if trend.year else period.key
        row = [key, period.turns]
        for count, rate in values:
            row += [count, "" if rate is None else rate]
        writer.writerow(row)
    return out.getvalue()


def as_data(trend):
    """The trend as plain data (the API's shape)."""
    return {
        "unit": trend.unit,
        "year": trend.year,
        "normalised": trend.normalised,
        "per": PER,
        "periods": [{"period": p.key, "label": p.label, "turns": p.turns} for p in trend.periods],
        "series": [
            {
                "query": s.query,
                "counts": list(s.counts),
                "per_10000": list(s.rates),
                "total": s.total,
                "outside_periods": s.outside,
            }
            for s in trend.series
        ],
        "messages": trend.messages,
    }


def chart(trend):
    """The line chart of a trend (numbers printed at the points when they fit)."""
    if trend is None or not trend.periods:
        return None
    labels = [period.label for period in trend.periods]
    series = [(s.label, values) for s, values in zip(trend.series, trend.values, strict=True)]
    return line_chart(labels, series, show_values=len(series) == 1 and len(labels) <= 16)
