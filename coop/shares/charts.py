"""Geometry of the structure chart, drawn as inline SVG by the template.

Pure: plain numbers in, shapes out (no Flask, no database). One row per share
class on a 0-100 % scale: the charter's band as a pale area, the target as a
dark tick, the actual ratio as a bar (red when outside the band); above them
a single stacked bar of the three classes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Protocol

from coop.money import FULL_BP, format_percent

WIDTH = 460
LABEL_W = 62
VALUE_W = 66
TRACK_X = LABEL_W
TRACK_W = WIDTH - LABEL_W - VALUE_W
ROW_H = 44
TOP = 64
COLOURS = {"collective": "#b0262c", "villager": "#1f6fb2", "cadre": "#8a5a00"}
OUTSIDE = "#b3261e"


class ClassLike(Protocol):
    share_class: str
    label: str
    ratio_bp: int | None
    target_bp: int
    min_bp: int
    max_bp: int

    @property
    def in_band(self) -> bool: ...


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    colour: str
    label: str
    text_x: float
    show_text: bool


@dataclass(frozen=True)
class Row:
    y: float
    label: str
    bar_w: float
    bar_colour: str
    band_x: float
    band_w: float
    target_x: float
    value_text: str
    band_text: str
    in_band: bool


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    track_x: int
    track_w: int
    segments: list[Segment]
    rows: list[Row]
    ticks: list[tuple[float, str]]
    title: str


def _x(bp: int) -> float:
    return round(TRACK_X + TRACK_W * max(0, min(bp, FULL_BP)) / FULL_BP, 1)


def structure_chart(classes: Iterable[ClassLike]) -> Chart:
    classes = list(classes)
    segments = []
    x = float(TRACK_X)
    for c in classes:
        w = round(TRACK_W * (c.ratio_bp or 0) / FULL_BP, 1)
        segments.append(Segment(x, w, COLOURS.get(c.share_class, "#666"),
                                f"{c.label} {format_percent(c.ratio_bp or 0)}",
                                round(x + w / 2, 1), w >= 100))
        x += w
    rows = []
    for i, c in enumerate(classes):
        y = TOP + i * ROW_H
        ratio = c.ratio_bp or 0
        rows.append(Row(
            y=y, label=c.label, bar_w=round(_x(ratio) - TRACK_X, 1),
            bar_colour=COLOURS.get(c.share_class, "#666") if c.in_band else OUTSIDE,
            band_x=_x(c.min_bp), band_w=round(_x(c.max_bp) - _x(c.min_bp), 1),
            target_x=_x(c.target_bp),
            value_text=format_percent(c.ratio_bp) if c.ratio_bp is not None else "—",
            band_text=f"章程 {format_percent(c.min_bp)}–{format_percent(c.max_bp)}，"
                      f"目标 {format_percent(c.target_bp)}",
            in_band=c.in_band,
        ))
    ticks = [(_x(bp), f"{bp // 100}%") for bp in range(0, FULL_BP + 1, 2500)]
    title = "；".join(f"{c.label}实际 {format_percent(c.ratio_bp or 0)}，目标 "
                     f"{format_percent(c.target_bp)}" for c in classes)
    return Chart(WIDTH, TOP + len(classes) * ROW_H + 24, TRACK_X, TRACK_W, segments, rows,
                 ticks, title)
