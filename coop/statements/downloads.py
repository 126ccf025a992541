"""A statement as a PDF in the browser: the download, or, when no PDF can be
made (no CJK font on the server), a page that says why. The office's page of
one member's statement and the member's own page answer the same way."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, make_response

from coop.errors import ServiceError
from coop.statements import pdf
from coop.statements.services import Statement
from coop.web import render


def pdf_response(data: bytes, filename: str) -> Response:
    """``data`` as a PDF attachment named ``filename`` (UTF-8, with an ASCII fallback)."""
    resp = make_response(data)
    resp.headers["Content-Type"] = "application/pdf"
    ascii_name = filename.encode("ascii", "ignore").decode() or "statement.pdf"
    resp.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}")
    return resp


def pdf_unavailable(message: str, back: str, back_label: str = "返回对账单",
                    status: int = 503) -> Response:
    """The PDF action's answer when no PDF can be made: the reason, in words."""
    return render("pdf_unavailable.html", message=message, back=back, back_label=back_label,
                  status=status)


def statement_pdf(statement: Statement, *, title: str, filename: str, back: str) -> Response:
    """One statement drawn in the request (one page: it never waits behind a
    batch job), or the reason it cannot be, with a link ``back``."""
    try:
        data = pdf.render_pdf([statement], title)
    except ServiceError as exc:
        return pdf_unavailable(exc.message, back)
    return pdf_response(data, filename)
