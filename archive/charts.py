"""Small server-rendered SVG charts (no JavaScript): the geometry, the template draws it.

A bar chart has a value axis with round numbers, a label under each bar (every few bars when
they are narrow), the count above each bar wide enough to hold it, and a text alternative that
says every number."""

import math
from dataclasses import dataclass

WIDTH, HEIGHT = 600, 170
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 18, 24  # room for the axis numbers, counts above bars, labels below
GAP = 4
MAX_BAR_WIDTH = 48  # one year is a bar, not a block across the chart
LABEL_WIDTH = 48  # a year at the chart's font size (larger on a phone), with room around it
COUNT_MIN_WIDTH = 18  # narrower bars leave their count to the tooltip and the text alternative


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float
    show_label: bool
    show_count: bool

    @property
    def middle(self):
        return round(self.x + self.width / 2, 1)

    @property
    def count_y(self):
        return round(self.y - 4, 1)


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list
    ticks: list
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM

    def __bool__(self):
        return bool(self.bars)

    @property
    def tick_x(self):
        return self.left - 6

    @property
    def label_y(self):
        return self.height - 6

    @property
    def text(self):
        """The text alternative: every bar's label and count."""
        return f"{self.title}: " + "; ".join(f"{bar.label}, {bar.count}" for bar in self.bars)


def _step(top, most_ticks=4):
    """A round step (1, 2 or 5 × 10ⁿ) giving at most most_ticks ticks above zero."""
    if top <= most_ticks:
        return 1
    magnitude = 10 ** math.floor(math.log10(top / most_ticks))
    return next(m * magnitude for m in (1, 2, 5, 10) if top / (m * magnitude) <= most_ticks)


def bar_chart(counts, title):
    """A chart of [(label, count)], left to right."""
    if not counts:
        return Chart(title, [], [])
    step = _step(max(count for _, count in counts))
    top = max(step, math.ceil(max(count for _, count in counts) / step) * step)
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / len(counts)
    width = min(MAX_BAR_WIDTH, slot - GAP) if slot > GAP + 1 else slot
    every = max(1, math.ceil(LABEL_WIDTH / slot))
    bars = []
    for index, (label, count) in enumerate(counts):
        height = round(plot_height * count / top, 1)
        bars.append(
            Bar(
                label=str(label),
                count=count,
                x=round(LEFT + index * slot + (slot - width) / 2, 1),
                y=round(HEIGHT - BOTTOM - height, 1),
                width=round(width, 1),
                height=height,
                show_label=(len(counts) - 1 - index) % every == 0,  # the latest always
                show_count=width >= COUNT_MIN_WIDTH and count > 0,
            )
        )
    ticks = [Tick(value, round(HEIGHT - BOTTOM - plot_height * value / top, 1)) for value in range(0, top + 1, step)]
    return Chart(title, bars, ticks)


def year_chart(per_year, title):
    """A bar per year from the first to the last of [(year, count)], years without any at zero."""
    counts = dict(per_year)
    if not counts:
        return bar_chart([], title)
    return bar_chart([(year, counts.get(year, 0)) for year in range(min(counts), max(counts) + 1)], title)


# --- line charts: a phrase over time --------------------------------------------------------

LINE_WIDTH, LINE_HEIGHT = 640, 240
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 52, 16, 16, 28
MAX_X_LABELS = 10
LINE_STYLES = 3  # colour, dash pattern and marker per series (CSS classes series-0, -1, -2)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str  # the period
    value: str  # as shown


@dataclass(frozen=True)
class Line:
    name: str
    path: str  # SVG path data; a period without a value breaks the line
    points: tuple
    style: int


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: float
    top: float
    right: float
    bottom: float
    lines: tuple
    x_labels: tuple  # (x, text)
    y_ticks: tuple  # (y, text)
    show_values: bool


def nice_ceiling(value):
    """The smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k at or above value (a round top for an axis)."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _number(value):
    return f"{value:,.1f}".removesuffix(".0") if isinstance(value, float) else f"{value:,}"


def line_chart(labels, series, *, show_values=False):
    """Lines for [(name, [value or None per label])] over the labels, left to right, on one
    scale from 0 to a round top. show_values: print each value above its point."""
    left, top = MARGIN_LEFT, MARGIN_TOP
    right, bottom = LINE_WIDTH - MARGIN_RIGHT, LINE_HEIGHT - MARGIN_BOTTOM
    values = [value for _, line in series for value in line if value is not None]
    ceiling = nice_ceiling(max(values, default=0))
    step = (right - left) / (len(labels) - 1) if len(labels) > 1 else 0

    def x_of(index):
        return round(left + index * step if len(labels) > 1 else (left + right) / 2, 1)

    def y_of(value):
        return round(bottom - (bottom - top) * value / ceiling, 1)

    lines = []
    for style, (name, line) in enumerate(series):
        points, path, pen_down = [], [], False
        for index, value in enumerate(line):
            if value is None:
                pen_down = False
                continue
            point = Point(x_of(index), y_of(value), str(labels[index]), _number(value))
            path.append(f"{'L' if pen_down else 'M'}{point.x},{point.y}")
            points.append(point)
            pen_down = True
        lines.append(Line(name, " ".join(path), tuple(points), style % LINE_STYLES))
    every = max(1, math.ceil(len(labels) / MAX_X_LABELS))
    x_labels = tuple((x_of(i), str(label)) for i, label in enumerate(labels) if i % every == 0)
    y_ticks = tuple((y_of(v), f"{v:,.2f}".rstrip("0").rstrip(".")) for v in (0, ceiling / 2, ceiling))
    return LineChart(LINE_WIDTH, LINE_HEIGHT, left, top, right, bottom, tuple(lines), x_labels, y_ticks, show_values)
