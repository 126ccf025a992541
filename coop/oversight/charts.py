"""The geometry of the county page's bar charts (templates/oversight/county.html
draws them as inline SVG, with the figures also in a table). Pure: integer
values in, coordinates out; no Flask, no database, no markup."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

# Each township's name on its own line above its bar: the names are long
# (city, district and township, 12 characters and more) and a phone scales
# the whole drawing down, so the drawing is narrow and the text large.
WIDTH = 480
BAR_SPAN = 330    # the largest value's bar; the value is written after it
ROW = 56
TOP = 4
LABEL_BASE = 18   # the name's baseline, below the row's top
BAR_TOP = 25      # the bar, below the name
BAR_HEIGHT = 20
VALUE_BASE = BAR_TOP + 16


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int
    label_y: int
    value_x: int
    value_y: int


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bar_x: int
    bar_height: int
    bars: list[Bar]


def bar_chart(items: Sequence[tuple[str, int]]) -> BarChart:
    """A horizontal bar per (label, value) under its label, scaled so the
    largest spans BAR_SPAN; a positive value is drawn at least 1 wide, 0 and
    below not at all."""
    top = max((value for _, value in items), default=0)
    bars = []
    for i, (label, value) in enumerate(items):
        row = TOP + i * ROW
        width = max((value * BAR_SPAN) // top, 1) if top > 0 and value > 0 else 0
        bars.append(Bar(label, value, row + BAR_TOP, width, row + LABEL_BASE, width + 6,
                        row + VALUE_BASE))
    return BarChart(WIDTH, TOP * 2 + len(bars) * ROW, 0, BAR_HEIGHT, bars)
