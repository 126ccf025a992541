"""Contrast of the stylesheets' colours, computed from the CSS values (WCAG
2.2 contrast ratio, by coloraide): text on its background at least 4.5:1
(1.4.3), the focus ring and the charts' bars and marks at least 3:1 against
what they sit on (1.4.11)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from coloraide import Color

from coop.shares.charts import COLOURS, OUTSIDE

CSS = Path(__file__).resolve().parent.parent / "static" / "css"
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
HEX = re.compile(r"#[0-9a-fA-F]{3,6}\b")
WHITE = "#fff"


def sheets() -> dict[str, str]:
    return {p.name: re.sub(r"/\*.*?\*/", "", p.read_text(), flags=re.S) for p in sorted(CSS.glob("*.css"))}


def variables() -> dict[str, str]:
    root = re.search(r":root\s*\{([^}]*)\}", sheets()["app.css"]).group(1)
    return dict(re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", root))


def colour(value: str) -> str | None:
    """A declaration's colour as a hex string, var(--x) resolved; None if it
    is not one plain colour (a gradient, inherit...)."""
    value = value.strip()
    match = re.fullmatch(r"var\((--[\w-]+)\)", value)
    if match:
        value = variables().get(match.group(1), "").strip()
    return value if HEX.fullmatch(value) else None


def contrast(a: str, b: str) -> float:
    return Color(a).contrast(Color(b))


def rules():
    """(sheet, selector, {property: value}) of every rule of every sheet."""
    for name, text in sheets().items():
        for selector, body in RULE.findall(text):
            decls = dict((k.strip(), v.strip()) for k, v in
                         (d.split(":", 1) for d in body.split(";") if ":" in d))
            yield name, " ".join(selector.split()), decls


def test_the_focus_ring_stands_out_3_to_1_on_the_page_and_on_the_top_bar():
    v = variables()
    assert contrast(v["--focus"], WHITE) >= 3
    assert contrast(v["--focus"], v["--bg"]) >= 3
    assert contrast(v["--focus-on-dark"], v["--accent"]) >= 3
    app = sheets()["app.css"]
    assert re.search(r"input:focus[^{]*\{[^}]*outline: 3px solid var\(--focus\)", app)
    assert re.search(r"\.topbar a:focus-visible[^{]*\{[^}]*var\(--focus-on-dark\)", app)


def test_no_sheet_keeps_the_old_pale_focus_ring():
    assert not [name for name, text in sheets().items() if "#ffbf47" in text.lower()]


def test_every_text_colour_on_its_own_background_reads_4_5_to_1():
    """Badges, warnings, flashes: every rule that sets both a background and
    a text colour (the published badge was #9a6700 on #fff4d6, 4.44:1)."""
    poor = []
    checked = 0
    for sheet, selector, decls in rules():
        fg = colour(decls.get("color", ""))
        bg = colour(decls.get("background", decls.get("background-color", "")))
        if fg and bg:
            checked += 1
            if contrast(fg, bg) < 4.5:
                poor.append(f"{sheet}: {selector} {fg} on {bg} {contrast(fg, bg):.2f}")
    assert checked > 20
    assert poor == []


@pytest.mark.parametrize("background", ["#fff4d6", WHITE])
def test_the_warning_colour_reads_on_the_warning_background_and_on_white(background):
    assert contrast(variables()["--warn"], background) >= 4.5


def test_chart_bars_and_marks_stand_out_3_to_1_against_white():
    """SVG charts (coop/*/charts.py): the fills of the bars the stylesheets
    colour, and the share structure's inline bar colours."""
    fills = {}
    for sheet, selector, decls in rules():
        if "svg" in selector and "fill" in decls:
            fill = colour(decls["fill"])
            if fill and fill.lower() not in ("#fff", "#ffffff"):  # white is text on a bar
                fills[f"{sheet}: {selector}"] = fill
    fills.update({f"shares chart {k}": v for k, v in COLOURS.items()})
    fills["shares chart outside"] = OUTSIDE
    assert len(fills) > 8
    assert {k: v for k, v in fills.items() if contrast(v, WHITE) < 3} == {}


def test_white_figures_on_the_share_bars_read_4_5_to_1():
    assert {k: v for k, v in COLOURS.items() if contrast(WHITE, v) < 4.5} == {}
