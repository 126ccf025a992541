"""The ledger's years (figures, year close) and the reports with their
spreadsheets."""
from __future__ import annotations

from datetime import date

from flask import Response, abort, request, send_file
from flask_login import current_user

from coop import clock
from coop.auth.api import Role, current_coop, roles_required
from coop.errors import ServiceError
from coop.machinery import charts, distribution, exports
from coop.machinery.constants import ExpenseKind, IncomeKind
from coop.auth.api import User
from coop.extensions import db
from coop.machinery.forms import CloseYearForm, ReopenYearForm
from coop.machinery import reopening
from coop.machinery.periods import get_year_close
from coop.machinery.receivables import receivables as receivables_as_of
from coop.machinery.reports import (
    client_group_report,
    machine_report,
    member_report,
    monthly_report,
    service_report,
)
from coop.machinery.views.common import (
    READ,
    WRITE,
    as_of_arg,
    bp,
    coop_id,
    ledger_year,
    page_context,
    refusal,
    year_arg,
)
from coop.machinery.years import close_year, ledger_years, year_figures, year_rows
from coop.web import redirect_to, render, save

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/years")
@roles_required(*READ)
def years():
    rows = year_rows(coop_id())
    this_year = clock.today().year
    # the years close in order: the oldest open year that has ended is next
    next_to_close = min((row.year for row in rows if row.close is None and row.year < this_year),
                        default=None)
    return render("machinery/years.html", **page_context(rows=rows, next_to_close=next_to_close,
                                                         this_year=this_year))


def _user_names(requests) -> dict[int, str]:
    ids = {i for r in requests for i in (r.requested_by_id, r.decided_by_id) if i is not None}
    return {i: db.session.get(User, i).display_name for i in ids}


def _year_page(year: int, form: CloseYearForm | None = None, status: int = 200,
               reopen_form: ReopenYearForm | None = None, block: str = "close_form") -> Response:
    coop = coop_id()
    requests = reopening.year_reopenings(coop, year)
    reopen_form = reopen_form or ReopenYearForm(formdata=None)
    fig = year_figures(coop, year)
    if form is None:
        form = CloseYearForm(formdata=None, expected_surplus_fen=fig.surplus_fen)
    form.expected_surplus_fen.data = fig.surplus_fen
    form.expected_surplus_fen.raw_data = [str(fig.surplus_fen)]
    return render("machinery/year.html", block, status=status, **page_context(
        year=year, fig=fig, close=get_year_close(coop, year), form=form,
        message=refusal(form),
        unpaid=None if get_year_close(coop, year) else receivables_as_of(coop, date(year, 12, 31)),
        dist=distribution.year_distribution(coop, year),
        prev_dist=distribution.year_distribution(coop, year - 1),
        reopen_form=reopen_form, reopen_message=refusal(reopen_form),
        reopen_blocked=reopening.reopen_error(coop, year),
        pending=reopening.pending_request(coop, year), reopenings=requests,
        user_names=_user_names(requests),
        status_labels=dict(reopening.ReopenStatus.choices()), is_supervisor=current_user.role == Role.SUPERVISOR.value))


@bp.get("/years/<int:year>")
@roles_required(*READ)
def year_detail(year: int):
    return _year_page(ledger_year(year))


@bp.post("/years/<int:year>/close")
@roles_required(*WRITE)
def year_close(year: int):
    ledger_year(year)
    form = CloseYearForm()
    expected = request.form.get("expected_surplus_fen", "")

    def close():
        if not expected.lstrip("-").isdigit():
            raise ServiceError("请在结账页面核对本年数字后再确认结账")
        return close_year(coop_id(), year, current_user.id, form.carry_forward_fen.data or 0,
                          int(expected), form.note.data)

    return save(form, close, again=lambda status, stale="": _year_page(year, form, status),
                done=lambda _: redirect_to("machinery.year_detail", year=year),
                message=f"{year} 年度已结账，该年度的账目已锁定")


def _reopen_again(year: int, form: ReopenYearForm):
    return lambda status, stale="": _year_page(year, status=status, reopen_form=form,
                                               block="reopen_panel")


@bp.post("/years/<int:year>/reopen")
@roles_required(*WRITE)
def year_reopen_request(year: int):
    ledger_year(year)
    form = ReopenYearForm()
    return save(form, lambda: reopening.request_reopen(coop_id(), year, current_user.id,
                                                       form.reason.data),
                again=_reopen_again(year, form),
                done=lambda _: redirect_to("machinery.year_detail", year=year),
                message=f"已提出 {year} 年度重新开账申请，等待监事确认")


@bp.post("/years/<int:year>/reopen/confirm")
@roles_required(Role.SUPERVISOR.value)
def year_reopen_confirm(year: int):
    ledger_year(year)
    form = ReopenYearForm()
    return save(form, lambda: reopening.confirm_reopen(coop_id(), year, current_user.id),
                again=_reopen_again(year, form),
                done=lambda _: redirect_to("machinery.year_detail", year=year),
                message=f"{year} 年度已重新开账：结账记录已撤销，该年度的账目可以更正，更正后请重新结账",
                validate=False)


@bp.post("/years/<int:year>/reopen/cancel")
@roles_required(*READ)
def year_reopen_cancel(year: int):
    ledger_year(year)
    form = ReopenYearForm()
    return save(form, lambda: reopening.cancel_reopen(coop_id(), year, current_user.id),
                again=_reopen_again(year, form),
                done=lambda _: redirect_to("machinery.year_detail", year=year),
                message=f"{year} 年度的重新开账申请已撤回", validate=False)


def _report_data(year: int) -> dict:
    coop = coop_id()
    return {
        "figures": year_figures(coop, year),
        "monthly": monthly_report(coop, year),
        "by_service": service_report(coop, year),
        "by_group": client_group_report(coop, year),
        "by_machine": machine_report(coop, year),
        "by_member": member_report(coop, year),
    }


@bp.get("/reports")
@roles_required(*READ)
def reports():
    year = year_arg()
    data = _report_data(year)
    monthly = data["monthly"]
    chart_monthly = charts.grouped_bars(
        [f"{m}月" for m in range(1, 13)],
        [("收入", monthly.income_total, "s-income"),
         ("费用", monthly.expense_total, "s-expense"),
         ("折旧", monthly.depreciation, "s-depreciation")],
        title=f"{year} 年逐月收入与费用")
    chart_service = charts.horizontal_bars(
        [(line.label, line.amount_fen) for line in data["by_service"]],
        title=f"{year} 年按作业项目的服务收入", width=480)
    chart_group = charts.horizontal_bars(
        [(line.label, line.amount_fen) for line in data["by_group"]],
        title=f"{year} 年按客户类别的服务收入", width=480)
    chart_machine = charts.horizontal_bars(
        [(line.name, line.margin_fen) for line in data["by_machine"]],
        title=f"{year} 年各农机毛利")
    return render("machinery/reports.html", **page_context(
        year=year, years=ledger_years(coop_id()), chart_monthly=chart_monthly,
        chart_service=chart_service, chart_group=chart_group, chart_machine=chart_machine,
        expense_kinds=list(ExpenseKind), income_kinds=list(IncomeKind), **data))


@bp.get("/reports/<int:year>/<name>.xlsx")
@roles_required(*READ)
def report_xlsx(year: int, name: str):
    if name not in exports.REPORTS or not 2000 <= year <= 2100:
        abort(404)
    coop = current_coop()
    if name == "receivables":
        data = {"receivables": receivables_as_of(coop.id, as_of_arg())}
    else:
        data = _report_data(year)
    return send_file(exports.workbook(name, coop.name, year, data), as_attachment=True,
                     download_name=f"{coop.code}-{year}-{name}.xlsx", mimetype=XLSX)
