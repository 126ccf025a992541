"""Statements as PDF: the same templates and stylesheet as the browser print,
drawn by WeasyPrint with a CJK font found on the system.

``render_pdf`` draws the statements in chunks so that a long batch can report
its progress (a callback with the number done); the chunks' pages are then
written as one document.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from flask import current_app, has_request_context, render_template

from coop.errors import ServiceError
from coop.statements import fonts
from coop.statements.services import Statement

CHUNK = 10  # statements drawn at a time; progress is reported after each chunk


class NoCJKFont(ServiceError):
    def __init__(self) -> None:
        super().__init__(fonts.NO_FONT_MESSAGE)


def require_cjk_font() -> fonts.CJKFont:
    """The CJK font the PDFs use, or NoCJKFont (a clear message, not boxes)."""
    font = fonts.find_cjk_font()
    if font is None:
        raise NoCJKFont()
    return font


def _stylesheets(font: fonts.CJKFont):
    from weasyprint import CSS

    static = Path(current_app.static_folder or "static")
    family = font.family.replace('"', "")
    return [
        CSS(string=print_css(static / "css" / "statements.css")),
        CSS(string=f'@page {{ size: A4; margin: 12mm 14mm; }}\n'
                   f'html, body, .st-statement {{ font-family: "{family}", sans-serif; }}'),
    ]


def print_css(path: Path) -> str:
    """The statement stylesheet without its screen-only part (WeasyPrint reads no
    media features, and a phone layout has no place in a PDF)."""
    text = path.read_text(encoding="utf-8")
    start = text.find("(screen-only: start")
    end = text.find("/* screen-only: end */")
    if start != -1 and end != -1:
        start = text.rfind("/*", 0, start)
        text = text[:start] + text[end:]
    return text


def statements_html(statements: Sequence[Statement], title: str) -> str:
    if has_request_context():
        return render_template("statements/pdf.html", statements=statements, title=title)
    # the command line and the batch thread: the templates' context processors want a request
    with current_app.test_request_context("/"):
        return render_template("statements/pdf.html", statements=statements, title=title)


def render_pdf(statements: Sequence[Statement], title: str,
               progress: Callable[[int], None] | None = None) -> bytes:
    """One PDF with one A4 page per statement. Needs an app context."""
    from weasyprint import HTML

    font = require_cjk_font()
    stylesheets = _stylesheets(font)
    documents = []
    done = 0
    for i in range(0, len(statements), CHUNK):
        chunk = statements[i:i + CHUNK]
        html = HTML(string=statements_html(chunk, title), base_url=current_app.root_path)
        documents.append(html.render(stylesheets=stylesheets))
        done += len(chunk)
        if progress:
            progress(done)
    if not documents:
        raise ServiceError("没有可打印的对账单")
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()
