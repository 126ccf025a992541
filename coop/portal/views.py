"""Members' own pages (phone first), and the secretary's page of members' logins.

Every member page starts from the member record of the logged-in user
(``services.own_member``); no member URL names another member, and the one id
a member URL carries (a dividend line) is looked up among the member's own
lines, so anything else is a 404.
"""
from __future__ import annotations

from flask import Blueprint, Response, url_for
from flask_login import current_user

from coop import clock
from coop.auth.api import MEMBER, current_coop, roles_required
from coop.cooperatives.api import LegalRegime
from coop.dividends.api import approving_assembly, notice_end
from coop.errors import RecordNotFound
from coop.governance.api import Meeting, upcoming_meetings
from coop.machinery import api as machinery
from coop.members.api import Member
from coop.membership.api import standing_of
from coop.portal import accounts as member_accounts
from coop.portal import disclosures as member_disclosures
from coop.portal import line as member_line
from coop.portal import logins as member_logins
from coop.portal import meetings as member_meetings
from coop.portal import plans as member_plans
from coop.portal import services
from coop.portal.notice import notice as notice_of
from coop.statements import api as statements
from coop.web import owned, render

bp = Blueprint("portal", __name__)
bp.add_url_rule("/me/account", "account", member_accounts.account)
bp.add_url_rule("/me/disclosures", "disclosures", member_disclosures.disclosures)
bp.add_url_rule("/me/disclosures/<int:disclosure_id>", "disclosure", member_disclosures.disclosure)
bp.add_url_rule("/me/plans/<int:plan_id>", "draft_plan", member_plans.draft_plan)
bp.context_processor(member_accounts.nav_context)


def _own_member() -> Member:
    return services.own_member(current_user)


# -- member pages ---------------------------------------------------------------


@bp.get("/me/")
@roles_required(*MEMBER)
def home():
    coop = current_coop()
    member = services.member_of(current_user)
    if member is None:
        return render("portal/home.html", member=None, coop=coop)
    rows = services.holdings(coop, member)
    lines = statements.member_lines(member.id)
    return render("portal/home.html", member=member, coop=coop, rows=rows,
                  total=sum(r.shares for r in rows), latest=lines[0] if lines else None,
                  notice=statements.current_notice(coop.id), mine=standing_of(member),
                  upcoming=upcoming_meetings(coop.id), drafts=member_plans.open_drafts(member))


@bp.get("/me/membership")
@roles_required(*MEMBER)
def membership():
    """The member's own standing: confirmed since, pending, the basis and date
    of acquisition, rights without membership, their open disputes."""
    rceo = current_coop().legal_regime != LegalRegime.SPECIALIZED
    return render("portal/membership.html", mine=standing_of(_own_member()), rceo=rceo)


@bp.get("/me/holdings")
@roles_required(*MEMBER)
def holdings():
    member = _own_member()
    coop = current_coop()
    rows = services.holdings(coop, member)
    return render("portal/holdings.html", member=member, coop=coop, rows=rows,
                  total=sum(r.shares for r in rows), entries=services.history_rows(member))


@bp.get("/me/certificate.pdf")
@roles_required(*MEMBER)
def certificate_pdf():
    """The member's own share certificate of today's holdings: no argument
    names a member, so no other member's can be asked for."""
    return statements.member_certificate_pdf(current_coop(), _own_member(),
                                             clock.today(), url_for("portal.holdings"))


def _lines_page(template: str, **context) -> Response:
    """A page of the member's lines in the effective plans, newest year first."""
    member = _own_member()
    return render(template, member=member, coop=current_coop(),
                  lines=statements.member_lines(member.id), **context)


@bp.get("/me/dividends")
@roles_required(*MEMBER)
def dividends():
    return _lines_page("portal/dividends.html", drafts=member_plans.open_drafts(_own_member()))


@bp.get("/me/dividends/<int:line_id>")
@roles_required(*MEMBER)
def dividend(line_id: int):
    member = _own_member()
    entry = statements.member_line(member.id, line_id)
    return render("portal/dividend.html", member=member, entry=entry,
                  figures=member_line.line_figures(entry.plan, entry.line),
                  assembly=approving_assembly(entry.plan), notice_end=notice_end(entry.plan))


@bp.get("/me/statements")
@roles_required(*MEMBER)
def statement_list():
    return _lines_page("portal/statements.html")


def _own_statement(year: int) -> statements.Statement:
    return statements.statement_of(current_coop(), year, _own_member())


@bp.get("/me/statements/<int:year>")
@roles_required(*MEMBER)
def statement(year: int):
    return render("portal/statement.html", s=_own_statement(year))


@bp.get("/me/statements/<int:year>.pdf")
@roles_required(*MEMBER)
def statement_pdf(year: int):
    s = _own_statement(year)
    return statements.statement_pdf(
        s, title=f"{s.coop.name} {year} 年度{s.coop.words.statement_title}", filename=f"{s.number}.pdf",
        back=url_for("portal.statement", year=year))


@bp.get("/me/notice")
@roles_required(*MEMBER)
def notice():
    member = _own_member()
    coop = current_coop()
    plan = statements.current_notice(coop.id)
    lines = statements.plan_lines(plan) if plan is not None else []
    return render("portal/notice.html", member=member, coop=coop, plan=plan, lines=lines,
                  drafts=member_plans.open_drafts(member),
                  notice=notice_of(plan, lines, member.id) if plan is not None else None,
                  assembly=approving_assembly(plan) if plan is not None else None,
                  notice_end=notice_end(plan) if plan else None)


@bp.get("/me/meetings")
@roles_required(*MEMBER)
def meetings():
    member = _own_member()
    rows = member_meetings.meetings(member)
    return render("portal/meetings.html", member=member,
                  coming=[r for r in rows if r.upcoming], held=[r for r in rows if not r.upcoming])


@bp.get("/me/meetings/<int:meeting_id>")
@roles_required(*MEMBER)
def meeting(meeting_id: int):
    member = _own_member()
    row = member_meetings.meeting(member, owned(Meeting, meeting_id))
    if row is None:
        raise RecordNotFound("Meeting")
    return render("portal/meeting.html", member=member, row=row)


@bp.get("/me/meetings/<int:meeting_id>/plan/<int:item_id>")
@roles_required(*MEMBER)
def meeting_plan(meeting_id: int, item_id: int):
    """A distribution item's plan as disclosed to the members, from its
    disclosure date; before it, or for an item not of this meeting, a 404."""
    member = _own_member()
    disclosed = member_meetings.disclosed_plan(member, owned(Meeting, meeting_id), item_id)
    if disclosed is None:
        raise RecordNotFound("DividendPlan")
    coop_id, year = member.cooperative_id, disclosed.plan.year
    lines = statements.plan_lines(disclosed.plan)
    return render("portal/meeting_plan.html", member=member, coop=current_coop(),
                  d=disclosed, lines=lines, notice=notice_of(disclosed.plan, lines, member.id),
                  services=machinery.service_report(coop_id, year),
                  clients=machinery.client_group_report(coop_id, year))


# -- the secretary: members' logins (coop.portal.logins) -----------------------------

bp.add_url_rule("/member-logins", "logins", member_logins.logins)
bp.add_url_rule("/member-logins/<int:member_id>", "issue_login", member_logins.issue_login,
                methods=["POST"])
bp.add_url_rule("/member-logins/<int:member_id>/enabled", "set_login_enabled",
                member_logins.set_login_enabled, methods=["POST"])
bp.add_url_rule("/member-logins/bulk", "issue_logins", member_logins.issue_logins,
                methods=["POST"])
