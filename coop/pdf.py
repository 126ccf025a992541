"""HTML to PDF for every printed paper (statements, meeting papers): the same
HTML and stylesheet as the browser's print, drawn by WeasyPrint (which applies
``@media print``) with a CJK font found on the system (``coop.fonts``).

No database. ``render_pdf`` takes HTML documents already rendered and writes
their pages as one PDF; a caller that draws many documents passes them one
chunk at a time and reports its progress between them. ``render_pdf_in_processes``
draws the documents of a long batch in several processes (WeasyPrint holds one
core) and joins their PDFs in order.
"""
from __future__ import annotations

import io
import multiprocessing
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from pypdf import PdfWriter

from coop import fonts
from coop.errors import ServiceError

A4_PAGE = "@page { size: A4; margin: 12mm 14mm; }"


class NoCJKFont(ServiceError):
    def __init__(self) -> None:
        super().__init__(fonts.NO_FONT_MESSAGE)


def require_cjk_font() -> fonts.CJKFont:
    """The CJK font the PDFs use, or NoCJKFont (a clear message, not boxes)."""
    font = fonts.find_cjk_font()
    if font is None:
        raise NoCJKFont()
    return font


def print_css(path: Path) -> str:
    """A stylesheet without its screen-only part, marked ``(screen-only: start``
    ... ``/* screen-only: end */`` (WeasyPrint reads no media features such as
    widths, and a phone layout has no place in a PDF)."""
    text = path.read_text(encoding="utf-8")
    start = text.find("(screen-only: start")
    end = text.find("/* screen-only: end */")
    if start != -1 and end != -1:
        start = text.rfind("/*", 0, start)
        text = text[:start] + text[end:]
    return text


def font_css(font: fonts.CJKFont, selectors: str = "html, body") -> str:
    family = font.family.replace('"', "")
    return f'{selectors} {{ font-family: "{family}", sans-serif; }}'


def render_pdf(documents: Iterable[str], *, stylesheets: Iterable[str], base_url: str,
               empty_message: str = "没有可打印的内容") -> bytes:
    """The pages of every HTML document in ``documents``, in order, as one PDF
    drawn with ``stylesheets`` (CSS texts, applied after each document's own).
    NoCJKFont when no font covers Chinese; ServiceError(empty_message) when
    there is nothing to draw."""
    from weasyprint import CSS, HTML

    require_cjk_font()
    sheets = [CSS(string=text) for text in stylesheets]
    drawn = [HTML(string=html, base_url=base_url).render(stylesheets=sheets) for html in documents]
    if not drawn:
        raise ServiceError(empty_message)
    pages = [page for document in drawn for page in document.pages]
    return drawn[0].copy(pages).write_pdf()


def _draw(html: str, stylesheets: Sequence[str], base_url: str) -> bytes:
    from weasyprint import CSS, HTML

    sheets = [CSS(string=text) for text in stylesheets]
    return HTML(string=html, base_url=base_url).render(stylesheets=sheets).write_pdf()


def render_pdf_in_processes(documents: Sequence[str], *, stylesheets: Sequence[str], base_url: str,
                            processes: int, drawn: Callable[[int], None] | None = None,
                            empty_message: str = "没有可打印的内容") -> bytes:
    """The pages of every HTML document, in order, as one PDF: each document drawn
    as a PDF of its own in a pool of ``processes`` (started afresh, not forked
    from a process with threads), then joined. ``drawn(i)`` is called as the
    documents are done, in order."""
    require_cjk_font()
    if not documents:
        raise ServiceError(empty_message)
    sheets = list(stylesheets)
    writer = PdfWriter()
    with ProcessPoolExecutor(max_workers=processes,
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        parts = pool.map(_draw, documents, [sheets] * len(documents), [base_url] * len(documents))
        for i, part in enumerate(parts):
            writer.append(io.BytesIO(part))
            if drawn:
                drawn(i)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
