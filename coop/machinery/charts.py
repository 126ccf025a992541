"""Charts as inline SVG, drawn on the server: no JavaScript, no chart library,
no CDN. Pure: values are integer fen; the markup is escaped here.

Colours come from CSS classes (static/css/app.css, section "machinery"), so
the SVG carries no style attributes (the CSP allows no inline styles).
"""
from __future__ import annotations

from markupsafe import Markup, escape

from coop.money import format_yuan

WIDTH = 720


def _nice_step(max_value: int, ticks: int = 5) -> int:
    """A step of 1, 2 or 5 x 10^k (in whole yuan) so that ``ticks`` steps cover max."""
    if max_value <= 0:
        return 1
    raw = -(-max_value // ticks)
    magnitude = 1
    while magnitude * 10 <= raw:
        magnitude *= 10
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10 * magnitude


def _short_yuan(yuan: int) -> str:
    if abs(yuan) >= 10_000 and yuan % 10_000 == 0:
        return f"{yuan // 10_000:,}万"
    if abs(yuan) >= 10_000:
        whole, part = divmod(abs(yuan), 10_000)
        sign = "-" if yuan < 0 else ""
        return f"{sign}{whole}.{part // 1000}万"
    return f"{yuan:,}"


def _axis(min_fen: int, max_fen: int) -> tuple[int, int, int]:
    """(low, high, step) in whole yuan covering [min, max] fen, zero included."""
    top = -(-max(max_fen, 0) // 100)       # ceil, yuan
    bottom = min(min_fen, 0) // 100          # floor, yuan
    step = _nice_step(max(top - bottom, 1))
    high = -(-top // step) * step
    low = (bottom // step) * step
    if high == low:
        high = low + step
    return low, high, step


def _svg(height: int, title: str, body: list[str], width: int = WIDTH) -> Markup:
    head = (f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
            f"<title>{escape(title)}</title>")
    return Markup(head + "".join(body) + "</svg>")


def grouped_bars(categories: list[str], series: list[tuple[str, list[int], str]],
                 title: str) -> Markup:
    """Vertical bars, one group per category, one bar per series (name, values, css class)."""
    height, left, right, top, bottom = 300, 64, 10, 34, 30
    values = [v for _, vs, _ in series for v in vs]
    if not values or not any(values):
        return _empty(title)
    low, high, step = _axis(min(values + [0]), max(values + [0]))
    plot_h = height - top - bottom
    plot_w = WIDTH - left - right

    def y(fen: int) -> float:
        return top + plot_h * (high * 100 - fen) / ((high - low) * 100)

    body: list[str] = []
    # legend
    x = left
    for name, _, css in series:
        body.append(f'<rect class="{css}" x="{x}" y="8" width="14" height="14"/>')
        body.append(f'<text class="chart-legend" x="{x + 18}" y="20">{escape(name)}</text>')
        x += 18 + 16 * len(name) + 24
    # grid and axis labels
    tick = low
    while tick <= high:
        ty = y(tick * 100)
        body.append(f'<line class="chart-grid" x1="{left}" y1="{ty:.1f}" x2="{WIDTH - right}" '
                    f'y2="{ty:.1f}"/>')
        body.append(f'<text class="chart-axis" x="{left - 6}" y="{ty + 4:.1f}" '
                    f'text-anchor="end">{escape(_short_yuan(tick))}</text>')
        tick += step
    group_w = plot_w / max(len(categories), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    zero = y(0)
    for i, label in enumerate(categories):
        gx = left + i * group_w + group_w * 0.1
        for j, (name, vs, css) in enumerate(series):
            value = vs[i]
            if not value:
                continue
            vy = y(value)
            ry, rh = (vy, zero - vy) if value > 0 else (zero, vy - zero)
            body.append(
                f'<rect class="{css}" x="{gx + j * bar_w:.1f}" y="{ry:.1f}" '
                f'width="{max(bar_w - 1, 1):.1f}" height="{max(rh, 0.5):.1f}">'
                f"<title>{escape(label)} {escape(name)}：{format_yuan(value)} 元</title></rect>")
        body.append(f'<text class="chart-axis" x="{left + (i + 0.5) * group_w:.1f}" '
                    f'y="{height - 10}" text-anchor="middle">{escape(label)}</text>')
    body.append(f'<line class="chart-zero" x1="{left}" y1="{zero:.1f}" x2="{WIDTH - right}" '
                f'y2="{zero:.1f}"/>')
    return _svg(height, title, body)


LABEL_CHARS = 8  # what the label column holds; a longer name ends in "…" (the table has it whole)


def horizontal_bars(items: list[tuple[str, int]], title: str, width: int = WIDTH) -> Markup:
    """One horizontal bar per item (label, fen); negative values go left of zero.
    The bars are scaled to the largest value (no axis), the value written beside."""
    if not items or not any(v for _, v in items):
        return _empty(title, width)
    row_h, top, label_w, value_w = 30, 8, 112, 116
    height = top * 2 + row_h * len(items)
    high = max(max(v for _, v in items), 0)
    low = min(min(v for _, v in items), 0)
    span = max(high - low, 1)
    plot_w = width - label_w - value_w

    def x(fen: int) -> float:
        return label_w + plot_w * (fen - low) / span

    zero = x(0)
    body = []
    for i, (label, value) in enumerate(items):
        ry = top + i * row_h
        shown = label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"
        body.append(f'<text class="chart-label" x="{label_w - 8}" y="{ry + 20}" '
                    f'text-anchor="end">{escape(shown)}<title>{escape(label)}</title></text>')
        vx = x(value)
        rx, rw = (zero, vx - zero) if value >= 0 else (vx, zero - vx)
        css = "s-income" if value >= 0 else "s-expense"
        body.append(f'<rect class="{css}" x="{rx:.1f}" y="{ry + 5}" width="{max(rw, 0.5):.1f}" '
                    f'height="{row_h - 10}"><title>{escape(label)}：{format_yuan(value)} 元'
                    f"</title></rect>")
        body.append(f'<text class="chart-value" x="{width - value_w + 8}" y="{ry + 20}">'
                    f"{format_yuan(value)}</text>")
    body.append(f'<line class="chart-zero" x1="{zero:.1f}" y1="{top}" x2="{zero:.1f}" '
                f'y2="{height - top}"/>')
    return _svg(height, title, body, width)


def _empty(title: str, width: int = WIDTH) -> Markup:
    return _svg(60, title, ['<text class="chart-axis" x="10" y="35">本年度还没有数据</text>'],
                width)
