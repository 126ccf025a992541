"""A meeting's papers (coop.governance.papers): each one template, the page
the browser prints on A4 and, drawn from the same HTML, the PDF download."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, current_app, make_response, render_template, url_for

from coop import pdf
from coop.auth.api import current_coop, roles_required
from coop.errors import ServiceError
from coop.governance.blueprint import READ, bp
from coop.governance.models import Meeting
from coop.governance.papers import Paper, ballots_part, meeting_papers
from coop.web import owned, page_number, render


def _paper(meeting_id: int, kind: str) -> tuple[Paper, dict]:
    try:
        paper = Paper(kind)
    except ValueError:
        abort(404)
    meeting = owned(Meeting, meeting_id)
    papers = meeting_papers(meeting, current_coop().name)
    ballots = ballots_part(papers, page_number()) if paper == Paper.BALLOTS else None
    pdf_url = url_for("governance.paper_pdf", meeting_id=meeting.id, kind=paper.value,
                      **({"page": ballots.page} if ballots and ballots.pages > 1 else {}))
    return paper, dict(paper=paper, papers=papers, ballots=ballots, pdf_url=pdf_url,
                       meeting=meeting, title=f"{meeting.title} · {paper.label}")


@bp.get("/<int:meeting_id>/papers/<kind>")
@roles_required(*READ)
def paper(meeting_id: int, kind: str):
    paper, context = _paper(meeting_id, kind)
    return render(f"governance/papers/{paper.value}.html", flashes=False, pdf=False, **context)


@bp.get("/<int:meeting_id>/papers/<kind>.pdf")
@roles_required(*READ)
def paper_pdf(meeting_id: int, kind: str):
    paper, context = _paper(meeting_id, kind)
    html = render_template(f"governance/papers/{paper.value}.html", pdf=True, **context)
    try:
        data = pdf.render_pdf([html], base_url=current_app.root_path, stylesheets=pdf.paper_stylesheets(
            current_app.static_folder, ["papers.css"], ["papers-pdf.css"]))
    except ServiceError as exc:
        return render("pdf_unavailable.html", status=503, message=exc.message, back_label="返回打印页",
                      back=url_for("governance.paper", meeting_id=meeting_id, kind=paper.value))
    meeting, ballots = context["meeting"], context["ballots"]
    part = f"-{ballots.span('张')}" if ballots and ballots.pages > 1 else ""
    filename = f"{meeting.meeting_on:%Y%m%d}-{paper.label}{part}-{meeting.id}.pdf"
    resp: Response = make_response(data)
    resp.headers["Content-Type"] = "application/pdf"
    resp.headers["Content-Disposition"] = (
        f"attachment; filename=\"meeting-{meeting.id}-{paper.value}.pdf\"; "
        f"filename*=UTF-8''{quote(filename)}")
    return resp
