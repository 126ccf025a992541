"""The boxes WeasyPrint laid out, for tests of the papers' layout on paper."""
from __future__ import annotations

from collections.abc import Iterable, Iterator


def boxes(box) -> Iterator:
    """``box`` and every box inside it, depth first."""
    yield box
    for child in getattr(box, "children", ()):
        yield from boxes(child)


def classed(laid_out: Iterable, name: str) -> list:
    """The boxes of the elements with class ``name`` (their blocks, not their
    line, text or inline boxes)."""
    return [b for b in laid_out if getattr(b, "element", None) is not None
            and name in (b.element.get("class") or "").split() and b.element_tag != "#text"
            and type(b).__name__ not in ("LineBox", "TextBox", "InlineBox")]
