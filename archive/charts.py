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
