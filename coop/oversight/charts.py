"""The geometry of the county page's bar charts (templates/oversight/county.html
draws them as inline SVG, with the figures also in a table). Pure: integer
values in, coordinates out; no Flask, no database, no markup."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

WIDTH = 760
BAR_X = 150       # bars start right of the labels
BAR_SPAN = 460    # the largest value's bar
ROW = 36
TOP = 6
BAR_HEIGHT = 24


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int
    label_y: int
    value_x: int


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bar_x: int
    bar_height: int
    bars: list[Bar]


def bar_chart(items: Sequence[tuple[str, int]]) -> BarChart:
    """A horizontal bar per (label, value), scaled so the largest spans
    BAR_SPAN; a positive value is drawn at least 1 wide, 0 and below not at all."""
    top = max((value for _, value in items), default=0)
    bars = []
    for i, (label, value) in enumerate(items):
        y = TOP + i * ROW
        width = max((value * BAR_SPAN) // top, 1) if top > 0 and value > 0 else 0
        bars.append(Bar(label, value, y, width, y + 17, BAR_X + width + 6))
    return BarChart(WIDTH, TOP * 2 + len(bars) * ROW, BAR_X, BAR_HEIGHT, bars)
