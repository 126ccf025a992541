"""The roster pages: the versions (each with its filing, overdue ones
marked), making version 1, one version with its differences from the one
before, recording its filing, and the filing itself (.xlsx, the printed A4
page and its PDF: full ID numbers, the secretary only)."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, current_app, make_response, render_template, send_file, url_for
from flask_login import current_user

from coop import clock, pdf
from coop.auth.api import ADMIN, ALL_STAFF, Role, current_coop, current_coop_id, roles_required
from coop.errors import ServiceError
from coop.membership import rosters
from coop.membership.blueprint import bp, is_rceo
from coop.membership.filing import filing_filename, filing_paper, filing_workbook
from coop.membership.list_forms import FilingForm, FirstVersionForm
from coop.membership.models import RosterVersion
from coop.membership.roster_rules import FILING_DAYS, FILING_HEADERS, shown
from coop.paging import Page
from coop.web import owned, page_number, redirect_to, render, save
from coop.workbooks import XLSX_MIMETYPE

PER_PAGE = 100


def _coop_id() -> int:
    return current_coop_id()


def _can_run() -> bool:
    return current_user.role == Role.ADMIN


def _index_page(form: FirstVersionForm | None = None, status: int = 200):
    versions = rosters.versions_of(_coop_id())
    today = clock.today()
    return render("membership/rosters.html", block="first_version", status=status,
                  versions=versions, filings={v.id: rosters.filing_of(v, today) for v in versions},
                  overdue=rosters.overdue_versions(_coop_id(), today), filing_days=FILING_DAYS,
                  form=form or FirstVersionForm(formdata=None), can_run=_can_run(),
                  rule=rosters.filing_rule(current_coop()), rceo=is_rceo())


@bp.get("/rosters")
@roles_required(*ALL_STAFF)
def rosters_index():
    return _index_page()


@bp.post("/rosters")
@roles_required(*ADMIN)
def first_version():
    form = FirstVersionForm()
    return save(form, lambda: rosters.make_next_version(current_coop(), user_id=current_user.id),
                message=lambda v: f"已编制成员名册第 {v.number} 版（{v.member_count} 人）",
                again=lambda status, stale="": _index_page(form, status),
                done=lambda v: redirect_to("membership.roster", roster_id=v.id))


def _roster_page(version: RosterVersion, *, form: FilingForm | None = None, status: int = 200,
                 block: str | None = None, stale: str = ""):
    rows = rosters.rows_of(version)
    page = page_number()
    if form is None:
        form = FilingForm(formdata=None, version=version.version,
                          filed_on=version.filed_on or clock.today(), filed_with=version.filed_with,
                          receipt_no=version.receipt_no or "")
    return render("membership/roster.html", block=block, status=status, roster=version,
                  page=Page(rows[(page - 1) * PER_PAGE: page * PER_PAGE], page, PER_PAGE, len(rows)),
                  diff=rosters.diff_of(version), previous=rosters.previous_of(version),
                  filing=rosters.filing_of(version), form=form, stale=stale, can_run=_can_run(),
                  shown=shown, basis_labels=rosters.BASIS_LABELS, filing_days=FILING_DAYS)


@bp.get("/rosters/<int:roster_id>")
@roles_required(*ALL_STAFF)
def roster(roster_id: int):
    return _roster_page(owned(RosterVersion, roster_id))


@bp.post("/rosters/<int:roster_id>/filing")
@roles_required(*ADMIN)
def record_filing(roster_id: int):
    version = owned(RosterVersion, roster_id)
    form = FilingForm()
    return save(form, lambda: rosters.record_filing(
        version, filed_on=form.filed_on.data, filed_with=form.filed_with.data or "",
        receipt_no=form.receipt_no.data or "", expected_version=form.version.data),
        field="filed_on", message=lambda v: f"已记录第 {v.number} 版的备案（{v.filed_on:%Y-%m-%d}）",
        again=lambda status, stale="": _roster_page(version, form=form, status=status,
                                                    block="filing_panel", stale=stale),
        done=lambda v: redirect_to("membership.roster", roster_id=v.id))


# -- the filing ----------------------------------------------------------------------

def _paper(roster_id: int):
    return filing_paper(current_coop(), owned(RosterVersion, roster_id))


@bp.get("/rosters/<int:roster_id>/filing")
@roles_required(*ADMIN)
def filing_print(roster_id: int):
    return render("membership/filing.html", flashes=False, paper=_paper(roster_id),
                  columns=FILING_HEADERS, pdf=False)


@bp.get("/rosters/<int:roster_id>/filing.xlsx")
@roles_required(*ADMIN)
def filing_xlsx(roster_id: int):
    paper = _paper(roster_id)
    return send_file(filing_workbook(paper), mimetype=XLSX_MIMETYPE, as_attachment=True,
                     download_name=filing_filename(paper, "xlsx"))


@bp.get("/rosters/<int:roster_id>/filing.pdf")
@roles_required(*ADMIN)
def filing_pdf(roster_id: int):
    paper = _paper(roster_id)
    html = render_template("membership/filing.html", paper=paper, columns=FILING_HEADERS, pdf=True)
    try:
        data = pdf.render_pdf([html], base_url=current_app.root_path, stylesheets=pdf.paper_stylesheets(
            current_app.static_folder, ["papers.css", "membership-papers.css"],
            ["papers-pdf.css", "membership-papers-pdf.css"]))
    except ServiceError as exc:
        return render("pdf_unavailable.html", status=503, message=exc.message, back_label="返回名册",
                      back=url_for("membership.roster", roster_id=roster_id))
    resp: Response = make_response(data)
    resp.headers["Content-Type"] = "application/pdf"
    resp.headers["Content-Disposition"] = (
        f"attachment; filename=\"roster-{paper.version.number}.pdf\"; "
        f"filename*=UTF-8''{quote(filing_filename(paper, 'pdf'))}")
    return resp
