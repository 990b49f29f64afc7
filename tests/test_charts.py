"""The SVG bar chart's geometry: round numbers on the axis, counts on the bars, and all of it in the text."""

from archive.charts import COUNT_MIN_WIDTH, MAX_BAR_WIDTH, WIDTH, year_chart


def test_one_year_is_a_bar_with_its_number_not_a_block():
    chart = year_chart([(2013, 10)], "Turns per year")
    (bar,) = chart.bars
    assert bar.width <= MAX_BAR_WIDTH < WIDTH / 4
    assert bar.show_count and bar.show_label
    assert [tick.value for tick in chart.ticks] == [0, 5, 10]
    assert chart.text == "Turns per year: 2013, 10"


def test_years_without_turns_are_shown_as_zero_and_the_axis_has_round_numbers():
    chart = year_chart([(2013, 3), (2016, 512)], "Turns per year")
    assert [(bar.label, bar.count) for bar in chart.bars] == [("2013", 3), ("2014", 0), ("2015", 0), ("2016", 512)]
    assert [tick.value for tick in chart.ticks] == [0, 200, 400, 600]
    assert chart.ticks[0].y == chart.bottom and chart.ticks[-1].y < chart.bars[-1].y
    assert not chart.bars[1].show_count  # nothing to write on an empty year
    assert chart.text == "Turns per year: 2013, 3; 2014, 0; 2015, 0; 2016, 512"


def test_many_years_thin_out_their_labels_but_keep_the_latest():
    chart = year_chart([(1961 + n, n) for n in range(61)], "Turns per year")
    shown = [bar.label for bar in chart.bars if bar.show_label]
    assert shown[-1] == "2021" and 5 < len(shown) < 30
    assert all(bar.width < COUNT_MIN_WIDTH and not bar.show_count for bar in chart.bars)
    assert all(chart.left <= bar.x and bar.x + bar.width <= chart.right for bar in chart.bars)


def test_no_data_is_no_chart():
    assert not year_chart([], "Turns per year")
