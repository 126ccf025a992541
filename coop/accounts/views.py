"""The member accounts for the office (成员账户, 农民专业合作社法第四十三条):
every account of a year, one member's account year by year, and the export.
Staff read; nobody writes here (the entries come from approved plans)."""
from __future__ import annotations

from flask import Blueprint, Response, request, send_file

from coop import clock
from coop.accounts import reading
from coop.accounts.exports import accounts_workbook
from coop.accounts.forms import AccountFilterForm
from coop.auth.api import ALL_STAFF, current_coop, current_coop_id, roles_required
from coop.members.api import Member
from coop.web import is_htmx, owned, page_number, render
from coop.workbooks import XLSX_MIMETYPE

bp = Blueprint("accounts", __name__, url_prefix="/accounts")

PER_PAGE = 50


def _not_kept(**context) -> Response:
    return render("accounts/not_kept.html", message=reading.NOT_KEPT, **context)


def _filters() -> tuple[AccountFilterForm, int, list[int]]:
    coop_id = current_coop_id()
    form = AccountFilterForm(request.args)
    years = reading.account_years(coop_id)
    this_year = clock.today().year
    year = form.chosen_year(years, this_year if this_year in years else years[0])
    return form, year, years


@bp.get("/")
@roles_required(*ALL_STAFF)
def index():
    coop = current_coop()
    if not reading.keeps_accounts(coop):
        return _not_kept(coop=coop)
    form, year, _years = _filters()
    q = reading.clean_query(form.q.data)
    form.q.data = q
    context = dict(coop=coop, form=form, year=year, q=q,
                   page=reading.accounts_page(coop.id, year, q, page_number(), PER_PAGE),
                   totals=reading.account_totals(coop.id, year))
    if is_htmx():
        return render("accounts/index.html", block="results", oob=("search_status",), **context)
    return render("accounts/index.html", business=reading.business_by_year(coop.id), **context)


@bp.get("/export.xlsx")
@roles_required(*ALL_STAFF)
def export():
    coop = current_coop()
    if not reading.keeps_accounts(coop):
        return _not_kept(coop=coop)
    _form, year, _years = _filters()
    book = accounts_workbook(coop, year, reading.all_accounts(coop.id, year),
                             reading.account_totals(coop.id, year))
    return send_file(book, as_attachment=True, mimetype=XLSX_MIMETYPE,
                     download_name=f"{coop.code}-{year}-成员账户.xlsx")


@bp.get("/<int:member_id>")
@roles_required(*ALL_STAFF)
def detail(member_id: int):
    member = owned(Member, member_id)
    coop = current_coop()
    if not reading.keeps_accounts(coop):
        return _not_kept(coop=coop, member=member)
    return render("accounts/detail.html", coop=coop, member=member,
                  account=reading.member_account(member))
