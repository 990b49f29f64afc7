"""Small server-rendered SVG charts (no JavaScript): the geometry, the template draws it."""

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
