"""A phrase over time: counts per year and month, rates per 10,000 turns, the chart, the trends
page, the search page's chart, the CSV and the API."""

import csv
import io

import pytest
from django.core.management import call_command

from archive import trends
from archive.charts import line_chart, nice_ceiling

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(reference_event, tmp_path):
    """The reference event (May 2013, 22 turns) and two small events of 2021 (March and July)."""
    (tmp_path / "2021-03-02-sanctions.txt").write_text(
        "Remarks on Trade\n\nMR X: Sanctions work. We said so in Moscow.\n\nMR Y: Diplomacy works better.\n",
        encoding="utf-8",
    )
    (tmp_path / "2021-07-09-talks.txt").write_text(
        "Remarks on Talks\n\nMR X: More sanctions, and more diplomacy.\n", encoding="utf-8"
    )
    call_command("ingest", str(tmp_path), verbosity=0)
    return reference_event


def test_counts_per_year_and_rates_per_10000_turns(archive):
    trend = trends.yearly(["sanctions", "diplomacy"])
    assert [period.key for period in trend.periods] == [2013, 2021]  # the years between hold no turn
    assert [period.turns for period in trend.periods] == [22, 3]
    sanctions, diplomacy = trend.series
    assert sanctions.counts[1] == 2 and diplomacy.counts[1] == 2
    assert sanctions.rates[1] == round(2 * 10_000 / 3, 1)
    assert sanctions.total == sum(sanctions.counts) and sanctions.outside == 0
    assert trend.values == [sanctions.counts, diplomacy.counts]
    assert trends.yearly(["sanctions"], normalised=True).values == [trends.yearly(["sanctions"]).series[0].rates]


def test_counts_per_month_inside_a_year(archive):
    trend = trends.monthly(["sanctions"], 2021)
    assert [period.label for period in trend.periods][:3] == ["Jan", "Feb", "Mar"]
    counts = dict(zip([p.key for p in trend.periods], trend.series[0].counts, strict=True))
    assert counts[3] == 1 and counts[7] == 1 and sum(counts.values()) == 2
    assert trend.series[0].rates[0] is None  # January 2021 holds no turn: no rate, not zero


def test_queries_are_cleaned_and_limited_to_three(archive):
    trend = trends.yearly(["a", "", "sanctions ", "sanctions", "b", "c"])
    assert [series.query for series in trend.series] == ["a", "sanctions", "b"]
    assert "Only the first 3 queries are compared." in trend.messages
    assert trends.for_queries(["", "  "], {}) is None


def test_trends_page(client, archive):
    response = client.get("/trends/", {"q": ["sanctions", '"more diplomacy"']})
    page = response.content.decode()
    assert response.status_code == 200
    assert '<svg class="chart line-chart"' in page and 'role="img"' in page
    assert '<title id="trend-svg-title">Matching turns per year: “sanctions”, “more diplomacy”</title>' in page
    assert '<caption id="trend-table-caption">' in page and '<th scope="row"><a href="?q=sanctions' in page
    assert 'href="/trends.csv?q=sanctions&amp;q=%22more+diplomacy%22"' in page
    months = client.get("/trends/", {"q": "sanctions", "year": "2021", "per": "10k"}).content.decode()
    assert "per month of 2021" in months and "All years" in months
    assert client.get("/trends/").status_code == 200
    assert client.get("/trends/", {"q": '"((( OR'}).status_code == 200
    assert client.get("/trends/", {"q": "sanctions", "year": "21x"}).status_code == 200


def test_trend_csv_and_api(client, archive):
    response = client.get("/trends.csv", {"q": ["sanctions", "diplomacy"], "per": "10k"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["year", "turns in the archive", "sanctions (turns)", "sanctions (per 10,000 turns)",
                       "diplomacy (turns)", "diplomacy (per 10,000 turns)"]  # fmt: skip
    assert rows[2][:3] == ["2021", "3", "2"]
    assert client.get("/trends.csv").status_code == 404

    data = client.get("/api/trends", {"q": ["sanctions", "diplomacy"], "year": "2021"}).json()
    assert data["unit"] == "month" and len(data["periods"]) == 12
    assert [s["query"] for s in data["series"]] == ["sanctions", "diplomacy"]
    assert sum(data["series"][0]["counts"]) == 2
    assert "/api/trends" in client.get("/api/openapi.json").json()["paths"]
    assert client.get("/api/trends").status_code == 422  # q is required


def test_search_page_shows_the_trend_of_its_query(client, archive):
    page = client.get("/search/", {"q": "sanctions"}).content.decode()
    assert "Over time: “sanctions” year by year" in page and "line-chart" in page
    assert 'href="/trends/?q=sanctions"' in page
    months = client.get("/search/", {"q": "sanctions", "year": "2021"}).content.decode()
    assert "month by month in 2021" in months
    browse = client.get("/search/").content.decode()
    assert "Over time" not in browse
    for nothing in ("zzyzx", "the"):  # no turn; no word to search for
        assert "Over time" not in client.get("/search/", {"q": nothing}).content.decode()


def test_line_chart_geometry():
    assert [nice_ceiling(v) for v in (0, 3, 7, 251, 4000)] == [1, 3, 8, 300, 4000]
    chart = line_chart(["2013", "2014", "2015"], [("a", [1, None, 3]), ("b", [0, 3, 1.5])])
    a, b = chart.lines
    assert a.path.count("M") == 2 and "L" not in a.path  # the missing year breaks the line
    assert b.path.count("L") == 2 and [p.value for p in b.points] == ["0", "3", "1.5"]
    assert chart.y_ticks[-1][1] == "3" and chart.y_ticks[0][0] == chart.bottom
    assert [x for x, _ in chart.x_labels] == [chart.left, (chart.left + chart.right) / 2, chart.right]
