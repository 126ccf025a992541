"""Statements for the office: a year's list, one statement, the batch print page,
PDFs of one member (drawn in the request) and of the whole year (a queued job
with progress, see jobs.py)."""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, abort, make_response, request, send_file, url_for
from flask_login import current_user

from coop.auth.access import ALL_STAFF, roles_required
from coop.errors import ServiceError
from coop.extensions import db
from coop.members.models import Member
from coop.statements import jobs, pdf, services
from coop.statements.models import JobState
from coop.web import is_htmx, page_number, redirect_to, render

bp = Blueprint("statements", __name__, url_prefix="/statements")

LINES_PER_PAGE = 50


def _coop():
    return current_user.cooperative


def _plan_or_404(year: int):
    plan = services.effective_plan(current_user.cooperative_id, year)
    if plan is None:
        abort(404)
    return plan


def pdf_response(data: bytes, filename: str) -> Response:
    resp = make_response(data)
    resp.headers["Content-Type"] = "application/pdf"
    ascii_name = filename.encode("ascii", "ignore").decode() or "statement.pdf"
    resp.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}")
    return resp


def pdf_unavailable(message: str, back: str) -> Response:
    """The PDF action's answer when no PDF can be made: the reason, in words."""
    return render("statements/unavailable.html", message=message, back=back, status=503)


@bp.get("/")
@roles_required(*ALL_STAFF)
def index():
    coop = _coop()
    years = services.statement_years(coop.id)
    year = request.args.get("year", type=int)
    if year not in years:
        year = years[0] if years else None
    plan = services.effective_plan(coop.id, year) if year else None
    page = page_number()
    q = request.args.get("q", "").strip()
    lines = services.plan_lines_page(plan, page, LINES_PER_PAGE, q) if plan is not None else None
    return render("statements/index.html", block="lines", coop=coop, years=years, year=year,
                  plan=plan, lines=lines, q=q)


def _statement_or_404(year: int, member_id: int) -> services.Statement:
    member = db.session.get(Member, member_id)
    if member is None or member.cooperative_id != current_user.cooperative_id:
        abort(404)
    statement = services.statement_for(_coop(), year, member_id)
    if statement is None:
        abort(404)
    return statement


@bp.get("/<int:year>/members/<int:member_id>")
@roles_required(*ALL_STAFF)
def statement(year: int, member_id: int):
    s = _statement_or_404(year, member_id)
    return render("statements/statement.html", s=s)


@bp.get("/<int:year>/members/<int:member_id>.pdf")
@roles_required(*ALL_STAFF)
def statement_pdf(year: int, member_id: int):
    s = _statement_or_404(year, member_id)
    try:
        data = pdf.render_pdf([s], f"{s.coop.name} {year} 年度股金分红对账单 {s.member.name}")
    except ServiceError as exc:
        return pdf_unavailable(exc.message, url_for("statements.statement", year=year,
                                                     member_id=member_id))
    return pdf_response(data, f"{s.number}-{s.member.name}.pdf")


@bp.get("/<int:year>/print")
@roles_required(*ALL_STAFF)
def batch(year: int):
    plan = _plan_or_404(year)
    statements = services.build_statements(_coop(), plan)
    return render("statements/batch.html", plan=plan, statements=statements, year=year)


@bp.post("/<int:year>/pdf")
@roles_required(*ALL_STAFF)
def batch_pdf(year: int):
    _plan_or_404(year)
    try:
        job = jobs.create(current_user.cooperative_id, current_user.id, year)
    except ServiceError as exc:
        db.session.rollback()
        return render("statements/job.html", block="job", job_status=None, error=exc.message,
                      year=year, status=422)
    db.session.commit()
    jobs.dispatch(job.cooperative_id)
    db.session.refresh(job)  # a worker (or, in testing, the queue at once) may have moved it on
    if is_htmx():
        return render("statements/job.html", block="job", job_status=jobs.status(job), error=None,
                      year=year)
    return redirect_to("statements.job", token=job.token)


@bp.get("/jobs/<token>")
@roles_required(*ALL_STAFF)
def job(token: str):
    found = jobs.load(token, current_user.cooperative_id)
    if found is None:
        abort(404)
    return render("statements/job.html", block="job", job_status=jobs.status(found), error=None,
                  year=found.year)


@bp.get("/jobs/<token>/download")
@roles_required(*ALL_STAFF)
def job_download(token: str):
    found = jobs.load(token, current_user.cooperative_id)
    if found is None or found.state != JobState.DONE:
        abort(404)
    path = jobs.pdf_path(found)
    if not path.exists():
        abort(404)
    return send_file(path, mimetype="application/pdf", as_attachment=True,
                     download_name=found.filename)
