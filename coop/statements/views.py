"""Statements for the office: a year's list, one statement, the batch print page,
PDFs of one member (drawn in the request) and of the whole year (a queued job
with progress, see jobs.py)."""
from __future__ import annotations

from flask import Blueprint, Response, abort, request, send_file, url_for
from flask_login import current_user

from coop.auth.api import ADMIN, ALL_STAFF, current_coop, current_coop_id, roles_required
from coop.dividends.api import browse_lines, effective_plan
from coop.extensions import db
from coop.forms import CoopForm
from coop.members.api import Member
from coop.statements import certificates, jobs, services
from coop.statements.numerals import capital_yuan
from coop.statements.downloads import statement_pdf as statement_pdf_response
from coop.statements.models import StatementJob
from coop.web import is_htmx, owned, page_number, redirect_to, render, save

bp = Blueprint("statements", __name__, url_prefix="/statements")

LINES_PER_PAGE = 50

bp.add_app_template_filter(capital_yuan, "capital_yuan")


@bp.get("/")
@roles_required(*ALL_STAFF)
def index():
    coop = current_coop()
    years = services.statement_years(coop.id)
    year = request.args.get("year", type=int)
    if year not in years:
        year = years[0] if years else None
    plan = effective_plan(coop.id, year) if year else None
    q = request.args.get("q", "").strip()
    lines = browse_lines(plan, q, page_number(), LINES_PER_PAGE) if plan is not None else None
    return render("statements/index.html", block="lines", oob=("lines_status",), coop=coop, years=years, year=year,
                  plan=plan, lines=lines, q=q, logins_link=current_user.role in ADMIN,
                  payout=services.payout(plan) if plan is not None else None,
                  my_jobs=jobs.recent_of(coop.id, current_user.id))


def _statement(year: int, member_id: int) -> services.Statement:
    return services.statement_of(current_coop(), year, owned(Member, member_id))


@bp.get("/<int:year>/members/<int:member_id>")
@roles_required(*ALL_STAFF)
def statement(year: int, member_id: int):
    return render("statements/statement.html", s=_statement(year, member_id))


@bp.get("/<int:year>/members/<int:member_id>.pdf")
@roles_required(*ALL_STAFF)
def statement_pdf(year: int, member_id: int):
    s = _statement(year, member_id)
    return statement_pdf_response(
        s, title=f"{s.coop.name} {year} 年度{s.coop.words.statement_title} {s.member.name}",
        filename=f"{s.number}-{s.member.name}.pdf",
        back=url_for("statements.statement", year=year, member_id=member_id))


@bp.get("/<int:year>/print")
@roles_required(*ALL_STAFF)
def batch(year: int):
    plan = services.year_plan(current_coop_id(), year)
    statements = services.build_statements(current_coop(), plan)
    return render("statements/batch.html", plan=plan, statements=statements, year=year)


def _job_block(job_status: jobs.JobStatus | None, year: int, form: CoopForm | None = None,
               status: int = 200) -> Response:
    """The job's progress, or (``job_status`` None) why the job was refused, on ``form``."""
    return render("statements/job.html", block="job", job_status=job_status, form=form,
                  year=year, status=status)


def _queued(job: StatementJob) -> Response:
    """After the commit: the worker reads the job from the database."""
    jobs.dispatch(job.cooperative_id)
    db.session.refresh(job)  # a worker (or, in testing, the queue at once) may have moved it on
    if is_htmx():
        return _job_block(jobs.status(job), job.year)
    return redirect_to("statements.job", token=job.token)


@bp.post("/<int:year>/pdf")
@roles_required(*ALL_STAFF)
def batch_pdf(year: int):
    services.year_plan(current_coop_id(), year)
    form = CoopForm()
    return save(form, lambda: jobs.create(current_coop_id(), current_user.id, year),
                validate=False, done=_queued,
                again=lambda status, stale="": _job_block(None, year, form, status))


@bp.get("/jobs/<token>")
@roles_required(*ALL_STAFF)
def job(token: str):
    found = jobs.get(token, current_coop_id())
    return _job_block(jobs.status(found), found.year)


@bp.get("/jobs/<token>/download")
@roles_required(*ALL_STAFF)
def job_download(token: str):
    found = jobs.get(token, current_coop_id())
    if not found.ready:
        abort(404)
    path = jobs.pdf_path(found)
    if not path.exists():
        abort(404)
    return send_file(path, mimetype="application/pdf", as_attachment=True,
                     download_name=found.filename)


# -- share certificates as PDF (the screen and print pages are the register's) --------------


@bp.get("/certificates/<int:member_id>.pdf")
@roles_required(*ALL_STAFF)
def certificate_pdf(member_id: int):
    member = owned(Member, member_id)
    back = url_for("shares.certificate", member_id=member.id)
    on = certificates.as_of(request.args.get("on"))
    if on is None:
        return certificates.bad_date(back)
    return certificates.member_certificate_pdf(current_coop(), member, on, back)


@bp.get("/certificates.pdf")
@roles_required(*ALL_STAFF)
def certificates_pdf():
    back = url_for("shares.certificates")
    on = certificates.as_of(request.args.get("on"))
    if on is None:
        return certificates.bad_date(back)
    return certificates.all_certificates_pdf(current_coop(), on, back, page_number())
