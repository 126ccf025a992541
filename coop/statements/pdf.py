"""Statements as PDF: the same templates and stylesheet as the browser print,
drawn by ``coop.pdf`` (WeasyPrint with a CJK font found on the system).

``render_pdf`` draws the statements in chunks so that a long batch can report
its progress (a callback with the number done); the chunks' pages are then
written as one document. A long batch is drawn in as many processes as the
machine has cores (``PDF_PROCESSES`` in the config), in parts each written
as a PDF of its own (from chunks of the same size) and joined in order.
"""
from __future__ import annotations

import math
import os
from typing import Callable, Iterator, Sequence

from flask import current_app, has_request_context, render_template

from coop import pdf
from coop.statements.services import Statement

CHUNK = 10  # statements drawn at a time; progress is reported after each chunk
PARALLEL_FROM = 200  # a batch this long is drawn in several processes
PART_MOST = 500  # statements in one process's document at most (each part embeds its own font subset)


def stylesheets() -> list[str]:
    """The CSS texts a statement PDF is drawn with: the print part of statements.css
    (its page and margins too) and the font."""
    return pdf.paper_stylesheets(current_app.static_folder, ["statements.css"],
                                 font_selectors="html, body, .st-statement")


def statements_html(statements: Sequence[Statement], title: str) -> str:
    if has_request_context():
        return render_template("statements/pdf.html", statements=statements, title=title)
    # the command line and the batch thread: the templates' context processors want a request
    with current_app.test_request_context("/"):
        return render_template("statements/pdf.html", statements=statements, title=title)


def render_pdf(statements: Sequence[Statement], title: str,
               progress: Callable[[int], None] | None = None) -> bytes:
    """One PDF with one A4 page per statement. Needs an app context."""
    processes = current_app.config.get("PDF_PROCESSES") or len(os.sched_getaffinity(0))
    if processes > 1 and len(statements) >= PARALLEL_FROM:
        return _render_in_processes(statements, title, processes, progress)

    def chunks() -> Iterator[str]:
        done = 0
        for i in range(0, len(statements), CHUNK):
            chunk = statements[i:i + CHUNK]
            yield statements_html(chunk, title)
            done += len(chunk)
            if progress:
                progress(done)

    return pdf.render_pdf(chunks(), stylesheets=stylesheets(), base_url=current_app.root_path,
                          empty_message="没有可打印的对账单")


def part_size(count: int, processes: int) -> int:
    """Statements in each process's part: two parts a process, so progress
    is reported at each half, and no more (each part embeds its own font
    subset and is parsed again to be joined: with four parts a process the
    pool spent 14 % more CPU than one process drawing them all, issue 19);
    at most PART_MOST, which bounds a process's memory."""
    return max(1, min(PART_MOST, math.ceil(count / (processes * 2))))


def _render_in_processes(statements: Sequence[Statement], title: str, processes: int,
                         progress: Callable[[int], None] | None) -> bytes:
    size = part_size(len(statements), processes)
    parts = [statements[i:i + size] for i in range(0, len(statements), size)]
    documents = [[statements_html(part[i:i + CHUNK], title) for i in range(0, len(part), CHUNK)]
                 for part in parts]

    def drawn(i: int) -> None:
        if progress:
            progress(sum(len(part) for part in parts[:i + 1]))

    return pdf.render_pdf_in_processes(documents, stylesheets=stylesheets(),
                                       base_url=current_app.root_path, processes=processes,
                                       drawn=drawn, empty_message="没有可打印的对账单")
