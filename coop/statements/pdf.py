"""Statements as PDF: the same templates and stylesheet as the browser print,
drawn by ``coop.pdf`` (WeasyPrint with a CJK font found on the system).

``render_pdf`` draws the statements in chunks so that a long batch can report
its progress (a callback with the number done); the chunks' pages are then
written as one document.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator, Sequence

from flask import current_app, has_request_context, render_template

from coop import pdf
from coop.statements.services import Statement

CHUNK = 10  # statements drawn at a time; progress is reported after each chunk


def _stylesheets() -> list[str]:
    static = Path(current_app.static_folder or "static")
    return [pdf.print_css(static / "css" / "statements.css"),
            pdf.A4_PAGE + "\n" + pdf.font_css(pdf.require_cjk_font(), "html, body, .st-statement")]


def statements_html(statements: Sequence[Statement], title: str) -> str:
    if has_request_context():
        return render_template("statements/pdf.html", statements=statements, title=title)
    # the command line and the batch thread: the templates' context processors want a request
    with current_app.test_request_context("/"):
        return render_template("statements/pdf.html", statements=statements, title=title)


def render_pdf(statements: Sequence[Statement], title: str,
               progress: Callable[[int], None] | None = None) -> bytes:
    """One PDF with one A4 page per statement. Needs an app context."""
    def chunks() -> Iterator[str]:
        done = 0
        for i in range(0, len(statements), CHUNK):
            chunk = statements[i:i + CHUNK]
            yield statements_html(chunk, title)
            done += len(chunk)
            if progress:
                progress(done)

    return pdf.render_pdf(chunks(), stylesheets=_stylesheets(), base_url=current_app.root_path,
                          empty_message="没有可打印的对账单")
