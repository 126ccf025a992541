"""The geometry of the plan page's waterfall (templates/dividends/detail.html
draws it as inline SVG). Pure: amounts in integer fen in, coordinates out; no
Flask, no database, no markup.

The first bar is the year's surplus, the full width; every later bar (what
was retained, each fund, each pool) starts where the one before it ended, so
the bars after the first add up to it across the chart.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Protocol

WIDTH = 760          # the viewBox
BAR_X = 130          # bars start right of the labels
BAR_SPAN = 560       # the surplus's bar
ROW = 40             # one step per row
TOP = 8
BAR_HEIGHT = 28
MIN_INSIDE = 130     # a bar at least this wide carries its amount inside


class Step(Protocol):
    label: str
    amount_fen: int
    kind: str  # surplus / loss / retained / fund / pool


@dataclass(frozen=True)
class Bar:
    label: str
    amount_fen: int
    kind: str
    x: int
    y: int
    width: int
    height: int
    label_y: int
    value_x: int
    value_y: int
    value_anchor: str  # "end": inside the bar, right-aligned; "start": after it
    value_class: str


@dataclass(frozen=True)
class Waterfall:
    width: int
    height: int
    bars: list[Bar]


def waterfall_chart(steps: Iterable[Step], surplus_fen: int) -> Waterfall:
    """Each step's bar, scaled so that ``surplus_fen`` spans BAR_SPAN (no
    bar has any length when the surplus is 0; a bar is drawn at least 1 wide)."""
    bars: list[Bar] = []
    offset = 0
    for i, step in enumerate(steps):
        y = TOP + i * ROW
        length = (step.amount_fen * BAR_SPAN) // surplus_fen if surplus_fen else 0
        start = 0 if step.kind == "surplus" else offset
        inside = length >= MIN_INSIDE
        bars.append(Bar(
            label=step.label, amount_fen=step.amount_fen, kind=step.kind,
            x=BAR_X + start, y=y, width=max(length, 1), height=BAR_HEIGHT, label_y=y + 20,
            value_x=BAR_X + start + length + (-8 if inside else 6), value_y=y + 19,
            value_anchor="end" if inside else "start", value_class="wf-in" if inside else "wf-out"))
        if step.kind != "surplus":
            offset += length
    return Waterfall(width=WIDTH, height=14 + len(bars) * ROW, bars=bars)
