"""Share certificates (股权证) as PDF: one member's, or the holders' of one
part (``coop.shares.certificates``: 200 in member-number order) in one
document, a page each. Drawn from the template the screen and the browser
print use (``statements/_certificate.html``) with the same stylesheet and a
CJK font (``coop.pdf``)."""
from __future__ import annotations

from datetime import date
from typing import Sequence

from flask import Response, current_app, render_template

from coop import clock, pdf
from coop.cooperatives.api import Cooperative
from coop.errors import ServiceError
from coop.members.api import Member
from coop.shares.api import Certificate, certificate_of, certificates_part
from coop.statements.downloads import pdf_response, pdf_unavailable

NONE_HELD = "该日期没有持股的成员，没有可打印的股权证"
BAD_DATE = "截至日期格式不正确，请按 2024-06-01 的格式填写"


def as_of(text: str | None) -> date | None:
    """The certificates' date from the query string: today when not given,
    None when it is not a date."""
    if not text:
        return clock.today()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def bad_date(back: str) -> Response:
    return pdf_unavailable(BAD_DATE, back, back_label="返回股权证", status=422)


def stylesheets() -> list[str]:
    """The CSS texts a certificate PDF is drawn with: app.css less its screen-only
    part, the PDF's layout (certificate-pdf.css), the page and the font."""
    return pdf.paper_stylesheets(current_app.static_folder, ["app.css"], ["certificate-pdf.css"],
                                 page=pdf.A4_PAGE, font_selectors="html, body, .sh-certificate")


def certificates_pdf(certificates: Sequence[Certificate], title: str) -> bytes:
    """One PDF, a page per certificate. ServiceError when there is none or no CJK font."""
    if not certificates:
        raise ServiceError(NONE_HELD)
    html = render_template("statements/certificate_pdf.html", certificates=certificates,
                           title=title)
    return pdf.render_pdf([html], stylesheets=stylesheets(), base_url=current_app.root_path,
                          empty_message=NONE_HELD)


def _answer(certificates: Sequence[Certificate], title: str, filename: str,
            back: str) -> Response:
    try:
        data = certificates_pdf(certificates, title)
    except ServiceError as exc:
        return pdf_unavailable(exc.message, back, back_label="返回股权证")
    return pdf_response(data, filename)


def member_certificate_pdf(coop: Cooperative, member: Member, on: date, back: str) -> Response:
    """``member``'s certificate of the shares held on ``on`` as a PDF download."""
    cert = certificate_of(coop, member, on)
    return _answer([cert], f"{coop.name} 股权证 {member.name}",
                   f"股权证-{cert.number}-{member.name}.pdf", back)


def all_certificates_pdf(coop: Cooperative, on: date, back: str, part: int = 1) -> Response:
    """The holders' certificates on ``on`` of part ``part``, one PDF, a page each."""
    certificates = certificates_part(coop, on, part)
    span = certificates.span("份")
    name = f"股权证-{coop.code.upper()}-{on.isoformat()}{'-' + span if span else ''}.pdf"
    return _answer(certificates.items, f"{coop.name} 股权证 {on.isoformat()}", name, back)
