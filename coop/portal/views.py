"""Members' own pages (phone first), and the secretary's page of members' logins.

Every member page starts from ``current_member()``, the member record of the
logged-in user; no member URL names another member, and the one id a member
URL carries (a dividend line) is looked up among the member's own lines, so
anything else is a 404.
"""
from __future__ import annotations

from flask import Blueprint, abort, request, url_for
from flask_login import current_user

from coop.auth.access import ADMIN, MEMBER, roles_required
from coop.errors import ServiceError
from coop.extensions import db
from coop.members.models import Member
from coop.portal import services
from coop.statements import pdf
from coop.statements import services as statements
from coop.statements.views import pdf_response, pdf_unavailable
from coop.web import page_number, render

bp = Blueprint("portal", __name__)

LOGINS_PER_PAGE = 50


def current_member() -> Member | None:
    return services.member_of(current_user)


def _member_or_404() -> Member:
    member = current_member()
    if member is None:
        abort(404)
    return member


# -- member pages ---------------------------------------------------------------


@bp.get("/me/")
@roles_required(*MEMBER)
def home():
    member = current_member()
    if member is None:
        return render("portal/home.html", member=None, coop=current_user.cooperative)
    coop = current_user.cooperative
    rows = services.holdings(coop, member)
    lines = statements.member_lines(member.id)
    return render("portal/home.html", member=member, coop=coop, rows=rows,
                  total=sum(r.shares for r in rows), latest=lines[0] if lines else None,
                  notice=statements.current_notice(coop.id))


@bp.get("/me/holdings")
@roles_required(*MEMBER)
def holdings():
    member = _member_or_404()
    coop = current_user.cooperative
    rows = services.holdings(coop, member)
    entries = services.history(member)
    return render("portal/holdings.html", member=member, coop=coop, rows=rows,
                  total=sum(r.shares for r in rows), entries=entries,
                  valuation=statements.valuation)


@bp.get("/me/dividends")
@roles_required(*MEMBER)
def dividends():
    member = _member_or_404()
    return render("portal/dividends.html", member=member,
                  lines=statements.member_lines(member.id))


@bp.get("/me/dividends/<int:line_id>")
@roles_required(*MEMBER)
def dividend(line_id: int):
    member = _member_or_404()
    found = statements.member_line(member.id, line_id)
    if found is None:
        abort(404)
    plan, line = found
    return render("portal/dividend.html", member=member, plan=plan, line=line,
                  notice_end=statements.notice_end(plan))


@bp.get("/me/statements")
@roles_required(*MEMBER)
def statement_list():
    member = _member_or_404()
    return render("portal/statements.html", member=member,
                  lines=statements.member_lines(member.id))


def _own_statement(year: int) -> statements.Statement:
    member = _member_or_404()
    s = statements.statement_for(current_user.cooperative, year, member.id)
    if s is None:
        abort(404)
    return s


@bp.get("/me/statements/<int:year>")
@roles_required(*MEMBER)
def statement(year: int):
    return render("portal/statement.html", s=_own_statement(year))


@bp.get("/me/statements/<int:year>.pdf")
@roles_required(*MEMBER)
def statement_pdf(year: int):
    s = _own_statement(year)
    try:
        data = pdf.render_pdf([s], f"{s.coop.name} {year} 年度股金分红对账单")
    except ServiceError as exc:
        return pdf_unavailable(exc.message, url_for("portal.statement", year=year))
    return pdf_response(data, f"{s.number}.pdf")


@bp.get("/me/notice")
@roles_required(*MEMBER)
def notice():
    member = _member_or_404()
    coop = current_user.cooperative
    plan = statements.current_notice(coop.id)
    lines = statements.plan_lines(plan) if plan is not None else []
    return render("portal/notice.html", member=member, coop=coop, plan=plan, lines=lines,
                  notice_end=statements.notice_end(plan) if plan else None)


# -- the secretary: members' logins ------------------------------------------------


@bp.get("/member-logins")
@roles_required(*ADMIN)
def logins():
    coop = current_user.cooperative
    q = request.args.get("q", "")
    page = page_number()
    return render("portal/logins.html", block="login_rows",
                  rows=services.login_rows(coop, q, page, LOGINS_PER_PAGE), q=q)


@bp.post("/member-logins/<int:member_id>")
@roles_required(*ADMIN)
def issue_login(member_id: int):
    coop = current_user.cooperative
    member = services.get_member(coop, member_id)
    if member is None:
        abort(404)
    try:
        user, password, created = services.issue_member_login(coop, member)
    except ServiceError as exc:
        db.session.rollback()
        return render("portal/logins.html",
                      rows=services.login_rows(coop, member.member_no, 1, LOGINS_PER_PAGE),
                      q=member.member_no, error=exc.message, status=422)
    db.session.commit()
    return render("portal/slip.html", coop=coop, member=member, user=user, password=password,
                  created=created, login_url=url_for("auth.login", _external=True))
