"""Small server-rendered SVG charts (no JavaScript): the geometry, the template draws it."""

import math
from dataclasses import dataclass

WIDTH, HEIGHT, GAP = 600, 120, 4


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float


def bar_chart(counts):
    """Bars for [(label, count)], scaled to the largest count, left to right."""
    if not counts:
        return []
    top = max(count for _, count in counts) or 1
    width = (WIDTH - GAP * (len(counts) - 1)) / len(counts)
    bars = []
    for index, (label, count) in enumerate(counts):
        height = round(HEIGHT * count / top, 1)
        bars.append(Bar(str(label), count, round(index * (width + GAP), 1), HEIGHT - height, round(width, 1), height))
    return bars


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
