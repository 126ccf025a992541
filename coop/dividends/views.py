"""Pages of the annual distribution: plan list, plan detail with its
waterfall and lines, a member's line with the arithmetic, comparison of two
drafts, the printable public notice, and the workflow's forms.

Who may do what: the secretary (admin) and the accountant compute drafts and
record payments; the supervisor reviews a draft (signs it off or returns
it); only the secretary discloses it to the members, publishes and starts a
new version. The meeting that approves a plan is run on the meetings pages
(coop.governance); the accountant reads.
"""
from __future__ import annotations

import io
from typing import Any, Callable

from flask import Blueprint, Response, flash, request, send_file, stream_template
from flask_login import current_user

from coop import clock
from coop.auth.api import ADMIN, ALL_STAFF, Role, current_coop, current_coop_id, roles_required
from coop.cooperatives.api import DistributionMode
from coop.dividends import (approval, bank, exports, fsc_reading, history, payments, reading,
                            reversal, workflow)
from coop.dividends.charts import waterfall_chart
from coop.dividends.compute import compute_plan
from coop.dividends.assembly import approving_assembly
from coop.dividends.notice import (basis_note, disclosure_notes, disclosure_table, notice_page,
                                   notice_rows)
from coop.dividends.forms import (BankPayForm, ComputeForm, DiscloseForm, PayForm, PublishForm,
                                  RecordDateForm, ReturnForm, ReverseForm, ReviewForm,
                                  BatchReverseForm)
from coop.governance.api import decided_item_for_plan, disclosure_wait, regime_of
from coop.dividends.constants import PlanStatus
from coop.dividends.models import DividendLine, DividendPlan, PaymentBatch
from coop.forms import CoopForm, VersionedForm
from coop.workbooks import XLSX_MIMETYPE
from coop.web import id_arg, is_htmx, owned, page_number, redirect_to, render, save

bp = Blueprint("dividends", __name__, url_prefix="/dividends")

WRITERS = (Role.ADMIN.value, Role.ACCOUNTANT.value)
MAX_QUERY = 40


@bp.app_template_filter("share_classes")
def share_classes_filter(share_class: str) -> str:
    """'villager+cadre' -> '村民股、干部股'."""
    return reading.class_labels(share_class or "")


def _coop():
    return current_coop()


def _to_plan(plan: DividendPlan) -> Response:
    return redirect_to("dividends.detail", plan_id=plan.id)


# ---------------------------------------------------------------- list


def _index(form: ComputeForm, status: int = 200) -> Response:
    by_year: dict[int, list[DividendPlan]] = {}
    for plan in reading.plans_of(current_coop_id()):
        by_year.setdefault(plan.year, []).append(plan)
    return render("dividends/index.html", block="compute_form", status=status, form=form,
                  by_year=by_year, can_compute=current_user.role in WRITERS)


@bp.get("/")
@roles_required(*ALL_STAFF)
def index():
    years = reading.plan_years(current_coop_id())
    return _index(ComputeForm(years=years, year=reading.default_year(current_coop_id())))


@bp.post("/compute")
@roles_required(*WRITERS)
def compute():
    form = ComputeForm(years=reading.plan_years(current_coop_id()))
    return save(
        form, lambda: compute_plan(_coop(), form.year.data, basis=form.weight_basis.data,
                                   record_date=form.record_date.data),
        again=lambda status, stale="": _index(form, status), done=_to_plan, field="year",
        message=lambda plan: f"{plan.year} 年度分配方案草案（第 {plan.version_no} 版）已计算")


# ---------------------------------------------------------------- detail


def _workflow_forms(plan: DividendPlan) -> dict:
    today = clock.today()
    forms: dict[str, CoopForm] = {}
    if plan.is_draft:
        forms["record_form"] = RecordDateForm(formdata=None, record_date=plan.record_date,
                                              conversion_bp=plan.conversion_bp,
                                              version=plan.version)
        forms["review_form"] = ReviewForm(formdata=None, version=plan.version)
        forms["return_form"] = ReturnForm(formdata=None, version=plan.version)
        forms["disclose_form"] = DiscloseForm(formdata=None, version=plan.version,
                                              disclosed_on=today)
    elif plan.is_approved:
        forms["publish_form"] = PublishForm(formdata=None, version=plan.version,
                                            notice_start=max(today, plan.assembly_date or today))
    elif plan.is_published:
        forms["pay_form"] = PayForm(formdata=None, paid_on=today)
    return forms


def _search() -> str:
    return request.args.get("q", "").strip()[:MAX_QUERY]


def _lines(plan: DividendPlan, q: str) -> dict[str, Any]:
    """What the lines block renders: a page of lines, and the plan's totals
    only when its footer shows them (all lines on one page, no search)."""
    lines = reading.browse_lines(plan, q, page_number())
    shows_totals = not q and lines.pages <= 1 and lines.items
    return {"plan": plan, "q": q, "lines": lines,
            "totals": reading.pool_totals(plan) if shows_totals else None}


def _prefix(batch_id: int) -> str:
    """Each batch's forms have their own field names (and ids) on the page."""
    return f"batch{batch_id}"


def _payment_forms(plan: DividendPlan, batches: list[history.BatchRow],
                   failed: PaymentBatch | None = None,
                   form: CoopForm | None = None) -> dict[int, dict[str, CoopForm]]:
    """batch id -> its forms (pay by a bank list, reverse), the one that
    failed as it was posted."""
    forms: dict[int, dict[str, CoopForm]] = {}
    for row in batches:
        mine = {}
        if row.can_pay:
            mine["pay"] = BankPayForm(formdata=None, paid_on=clock.today(),
                                      prefix=_prefix(row.batch.id))
        if row.can_reverse and reversal.closed_refusal(plan, row.batch.paid_on) is None:
            mine["reverse"] = BatchReverseForm(formdata=None, prefix=_prefix(row.batch.id))
        forms[row.batch.id] = mine
    if failed is not None and form is not None:
        forms.setdefault(failed.id, {})["reverse" if isinstance(form, ReverseForm) else "pay"] = form
    return forms


def _detail(plan: DividendPlan, status: int = 200, block: str | None = None, stale: str = "",
            failed: PaymentBatch | None = None, **forms: CoopForm) -> Response:
    batch_form = forms.pop("batch_form", None)
    batches = history.plan_history(plan) if plan.is_noticed else []
    context = {**_workflow_forms(plan), **forms, **_lines(plan, _search())}
    if context["totals"] is None:
        context["totals"] = reading.pool_totals(plan)
    steps = reading.waterfall(plan)
    paid, payable = reading.paid_count(plan), reading.payable_count(plan)
    return render(
        "dividends/detail.html", block=block, status=status, stale=stale, steps=steps,
        chart=waterfall_chart(steps, steps[0].amount_fen), nothing=reading.nothing_text(plan),
        stages=reading.stages(plan), collective=reading.collective_lines(plan),
        notice_end=reading.notice_end(plan), paid=paid, payable=payable, unpaid=payable - paid,
        siblings=reading.siblings(plan),
        supersedes=reading.plan_by_id(plan.supersedes_id),
        superseded_by=reading.plan_by_id(plan.superseded_by_id),
        decided=decided_item_for_plan(plan.cooperative_id, plan.id),
        can_write=current_user.role in WRITERS, can_vote=current_user.role == Role.ADMIN,
        # the supervisor signs a draft off once, and may return it until the meeting decides
        can_review=(current_user.role == Role.SUPERVISOR and plan.status == PlanStatus.DRAFT
                    and not plan.is_preview),
        awaiting_review=reading.awaiting_review(plan, current_user.role),
        accounts=fsc_reading.account_totals(plan) if plan.is_by_the_book else None,
        conversion_text=fsc_reading.plan_conversion_text(plan),
        grants_note=fsc_reading.grants_note(plan) if plan.is_by_the_book else "",
        bank_counts=bank.bank_counts(plan) if plan.is_published and bank.refusal(plan) is None else None,
        on_bank_lists=payments.on_bank_lists(plan) if plan.is_published else 0,
        batches=batches, batch_forms=_payment_forms(plan, batches, failed, batch_form),
        closed_notes={row.batch.id: note for row in batches if row.can_reverse
                      and (note := reversal.closed_refusal(plan, row.batch.paid_on))},
        failed_batch=failed.id if failed is not None else None,
        **context)


@bp.get("/<int:plan_id>")
@roles_required(*ALL_STAFF)
def detail(plan_id: int):
    plan = owned(DividendPlan, plan_id)
    if is_htmx():  # a search keystroke or a page of lines: only the lines block
        return render("dividends/detail.html", block="lines", oob=("lines_status",),
                      **_lines(plan, _search()))
    return _detail(plan)


def _step(plan: DividendPlan, form: VersionedForm | PayForm, block: str,
          action: Callable[[DividendPlan], Any], message: str | Callable[[Any], str],
          field: str | None) -> Response:
    """One workflow step: its errors come back in the same form block."""
    return save(form, lambda: action(plan),
                again=lambda status, stale="": _detail(plan, status, block, stale,
                                                       **{block: form}),
                done=lambda _result: _to_plan(plan), message=message, field=field)


@bp.post("/<int:plan_id>/record-date")
@roles_required(*WRITERS)
def change_record_date(plan_id: int):
    plan = owned(DividendPlan, plan_id)  # before the form: another's plan is a 404
    form = RecordDateForm()
    return _step(plan, form, "record_form",
                 lambda plan: workflow.change_draft(_coop(), plan, record_date=form.record_date.data,
                                                    conversion_bp=form.conversion_bp.data,
                                                    expected_version=form.version.data),
                 "草案已按新的股权登记日和转增比例重新计算" if plan.mode == DistributionMode.SPECIALIZED
                 else "草案已按新的股权登记日重新计算", None)


@bp.post("/<int:plan_id>/review")
@roles_required(Role.SUPERVISOR.value)
def review(plan_id: int):
    plan = owned(DividendPlan, plan_id)
    form = ReviewForm()
    return _step(plan, form, "review_form",
                 lambda plan: approval.review_plan(plan, note=form.note.data, user_id=current_user.id,
                                                   expected_version=form.version.data),
                 "监事已审核通过；可以向成员公开", None)


@bp.post("/<int:plan_id>/return")
@roles_required(Role.SUPERVISOR.value)
def return_plan(plan_id: int):
    plan = owned(DividendPlan, plan_id)
    form = ReturnForm()
    return _step(plan, form, "return_form",
                 lambda plan: approval.return_plan(plan, reason=form.reason.data,
                                                   user_id=current_user.id,
                                                   expected_version=form.version.data),
                 "方案已退回，修改后须重新审核", None)


@bp.post("/<int:plan_id>/disclose")
@roles_required(*ADMIN)
def disclose(plan_id: int):
    plan = owned(DividendPlan, plan_id)
    form = DiscloseForm()
    return _step(plan, form, "disclose_form",
                 lambda plan: approval.disclose_plan(plan, disclosed_on=form.disclosed_on.data,
                                                     expected_version=form.version.data),
                 _disclosed_message, None)


def _disclosed_message(plan: DividendPlan) -> str:
    wait = disclosure_wait(regime_of(current_coop()))
    return (f"方案自 {plan.disclosed_on:%Y-%m-%d} 起向成员公开。依照{wait.law}，表决此方案的会议"
            f"须在公开满 {wait.days} 日后召开，最早 {wait.earliest_meeting_on(plan.disclosed_on):%Y-%m-%d}。")


@bp.post("/<int:plan_id>/publish")
@roles_required(*ADMIN)
def publish(plan_id: int):
    plan = owned(DividendPlan, plan_id)
    form = PublishForm()
    return _step(plan, form, "publish_form",
                 lambda plan: workflow.publish_plan(plan, notice_start=form.notice_start.data,
                                                    notice_days=form.notice_days.data,
                                                    expected_version=form.version.data),
                 "已公示；公示表可打印张贴", None)


@bp.post("/<int:plan_id>/pay")
@roles_required(*WRITERS)
def pay_all(plan_id: int):
    plan = owned(DividendPlan, plan_id)
    form = PayForm()
    return _step(plan, form, "pay_form",
                 lambda plan: workflow.pay_all(plan, paid_on=form.paid_on.data,
                                               method=form.method.data, user_id=current_user.id),
                 lambda count: f"已登记 {count} 人的分红发放", "paid_on")


def _refused(form: CoopForm, plan_id: int) -> Callable[..., Response]:
    """A button with no fields of its own: a refusal is flashed on the plan's page."""
    def again(_status: int, stale: str = "") -> Response:
        for message in ([stale] if stale else form.form_errors):
            flash(message, "error")
        return redirect_to("dividends.detail", plan_id=plan_id)
    return again


@bp.post("/<int:plan_id>/recompute")
@roles_required(*WRITERS)
def recompute(plan_id: int):
    plan = owned(DividendPlan, plan_id)
    form = VersionedForm()
    return save(form, lambda: workflow.recompute(_coop(), plan, expected_version=form.version.data),
                again=_refused(form, plan_id), done=_to_plan, validate=False,
                message="草案已按最新账目和股权重新计算")


@bp.post("/<int:plan_id>/new-version")
@roles_required(*ADMIN)
def new_version(plan_id: int):
    plan = owned(DividendPlan, plan_id)
    form = CoopForm()
    return save(form, lambda: workflow.new_version(_coop(), plan),
                again=_refused(form, plan_id), done=_to_plan, validate=False,
                message=lambda draft: (f"已另立第 {draft.version_no} 版草案；"
                                       f"表决通过后取代第 {plan.version_no} 版"))


# ---------------------------------------------------------------- lines


def _line_page(plan: DividendPlan, line: DividendLine, form: PayForm, status: int = 200,
               reverse_form: ReverseForm | None = None, block: str = "line_pay") -> Response:
    writer = current_user.role in WRITERS and plan.is_current
    closed = reversal.closed_refusal(plan, line.paid_on)
    return render("dividends/line.html", block=block, status=status, plan=plan, line=line,
                  calc=reading.line_arithmetic(plan, line), form=form,
                  reverse_form=reverse_form or ReverseForm(formdata=None),
                  payments=history.line_history(line),
                  can_pay=writer and plan.is_published and line.is_owed,
                  can_reverse=writer and line.paid_on is not None and closed is None,
                  closed_note=closed)


@bp.get("/<int:plan_id>/lines/<int:line_id>")
@roles_required(*ALL_STAFF)
def line(plan_id: int, line_id: int):
    plan = owned(DividendPlan, plan_id)
    return _line_page(plan, reading.get_line(plan, line_id),
                      PayForm(formdata=None, paid_on=clock.today()))


@bp.post("/<int:plan_id>/lines/<int:line_id>/pay")
@roles_required(*WRITERS)
def pay_line(plan_id: int, line_id: int):
    plan = owned(DividendPlan, plan_id)
    row = reading.get_line(plan, line_id)
    form = PayForm()
    return save(form, lambda: workflow.pay_line(plan, row, paid_on=form.paid_on.data,
                                                method=form.method.data, user_id=current_user.id),
                again=lambda status, stale="": _line_page(plan, row, form, status),
                done=lambda _line: redirect_to("dividends.line", plan_id=plan_id, line_id=line_id),
                message=lambda paid: f"已登记 {paid.name} 的分红发放", field="paid_on")


@bp.post("/<int:plan_id>/lines/<int:line_id>/reverse")
@roles_required(*WRITERS)
def reverse_line(plan_id: int, line_id: int):
    plan = owned(DividendPlan, plan_id)
    row = reading.get_line(plan, line_id)
    form = ReverseForm()
    return save(form, lambda: reversal.reverse_line(plan, row, reason=form.reason.data,
                                                    user_id=current_user.id),
                again=lambda status, stale="": _line_page(
                    plan, row, PayForm(formdata=None, paid_on=clock.today()), status,
                    reverse_form=form, block="line_reverse"),
                done=lambda _line: redirect_to("dividends.line", plan_id=plan_id, line_id=line_id),
                message=lambda line: f"已撤销 {line.name} 的分红发放，重新列为未发放", field="reason")


# ---------------------------------------------------------------- compare, notice, export


@bp.get("/compare")
@roles_required(*ALL_STAFF)
def compare():
    a = owned(DividendPlan, id_arg("a") or 0)
    b = owned(DividendPlan, id_arg("b") or 0)
    refusal = reading.comparison_refusal(a, b)
    if refusal:
        flash(refusal, "error")
        return _to_plan(a)
    return render("dividends/compare.html", c=reading.compare(a, b),
                  steps_a=reading.waterfall(a), steps_b=reading.waterfall(b))


@bp.get("/<int:plan_id>/notice")
@roles_required(*ALL_STAFF)
def notice(plan_id: int):
    plan = owned(DividendPlan, plan_id)
    if plan.is_draft:
        flash("草案不能公示：请先经成员（代表）大会表决通过", "warning")
        return _to_plan(plan)
    return _lines_page("dividends/notice.html", plan, notice_end=reading.notice_end(plan),
                       basis=basis_note(plan), assembly=approving_assembly(plan))


@bp.get("/<int:plan_id>/disclosure")
@roles_required(*ALL_STAFF)
def disclosure(plan_id: int):
    """The draft as disclosed to the members before the meeting, to print."""
    plan = owned(DividendPlan, plan_id)
    if not plan.is_disclosed:
        flash("方案尚未向成员公开：请先经监事审核，再由书记公开", "warning")
        return _to_plan(plan)
    return _lines_page("dividends/disclosure.html", plan, steps=reading.waterfall(plan),
                       law=disclosure_wait(regime_of(_coop())).law, table=disclosure_table(plan),
                       notes=disclosure_notes(plan),
                       assembly=approving_assembly(plan))


def _lines_page(template: str, plan: DividendPlan, **context: Any) -> Response:
    """One page of the plan's lines on screen (htmx: only the table and its
    pager); with ``?all=1`` every line, to print, streamed as it renders."""
    context.update(plan=plan, totals=reading.pool_totals(plan), coop=_coop())
    if request.args.get("all"):
        return Response(stream_template(template, rows=notice_rows(plan), lines=None,
                                        first=1, q="", **context))
    q = (request.args.get("q") or "").strip()[:50]
    lines = notice_page(plan, page_number(), q)
    return render(template, block="lines", rows=lines.items, lines=lines, q=q,
                  first=(lines.page - 1) * lines.per_page + 1, **context)


@bp.get("/<int:plan_id>/export.csv")
@roles_required(*ALL_STAFF)
def export_csv(plan_id: int):
    plan = owned(DividendPlan, plan_id)
    stream = io.StringIO()
    reading.write_csv(stream, plan)
    filename = f"dividends-{plan.year}-v{plan.version_no}.csv"
    return Response("\ufeff" + stream.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={filename}"})


@bp.get("/<int:plan_id>/export.xlsx")
@roles_required(*ALL_STAFF)
def export_xlsx(plan_id: int):
    plan = owned(DividendPlan, plan_id)
    return send_file(exports.plan_workbook(_coop(), plan), mimetype=XLSX_MIMETYPE, as_attachment=True,
                     download_name=f"{_coop().code}-{plan.year}-分红明细-第{plan.version_no}版.xlsx")


@bp.post("/<int:plan_id>/bank-list.xlsx")
@roles_required(*WRITERS)
def bank_list(plan_id: int):
    """The bank's batch-payment list of the plan's owed lines, and those to pay
    in cash; the lines it lists for the bank are recorded as a numbered batch."""
    plan = owned(DividendPlan, plan_id)
    form = CoopForm()
    return save(form, lambda: bank.make_bank_list(plan, current_user.id),
                again=_refused(form, plan_id), done=lambda listed: _bank_file(plan, listed))


def _bank_file(plan: DividendPlan, listed: bank.BankList) -> Response:
    number = f"-第{listed.batch.number}号" if listed.batch is not None else ""
    return send_file(bank.bank_list_workbook(_coop(), plan, listed), mimetype=XLSX_MIMETYPE,
                     as_attachment=True,
                     download_name=f"{_coop().code}-{plan.year}-银行代发清单{number}-第{plan.version_no}版.xlsx")


# ---------------------------------------------------------------- payments: bank list, reversal


def _batch_step(plan: DividendPlan, batch: PaymentBatch, form: CoopForm,
                action: Callable[[], Any], message: Callable[[Any], str], field: str) -> Response:
    """A batch's own form on the plan page: its errors come back in the payments block."""
    return save(form, action,
                again=lambda status, stale="": _detail(plan, status, "payments", stale,
                                                       failed=batch, batch_form=form),
                done=lambda _result: _to_plan(plan), message=message, field=field)


@bp.post("/<int:plan_id>/payments/<int:batch_id>/pay")
@roles_required(*WRITERS)
def pay_bank_list(plan_id: int, batch_id: int):
    plan = owned(DividendPlan, plan_id)
    batch = history.get_batch(plan, batch_id)
    form = BankPayForm(prefix=_prefix(batch.id))
    return _batch_step(
        plan, batch, form,
        lambda: payments.pay_bank_list(plan, batch, paid_on=form.paid_on.data,
                                       user_id=current_user.id),
        lambda done: (f"已按第 {batch.number} 号代发清单登记 {done.paid} 人的分红发放（银行代发）"
                      + (f"；{len(done.skipped)} 人此前已另行发放，未重复登记：{'、'.join(done.skipped)}"
                         if done.skipped else "")), "paid_on")


@bp.post("/<int:plan_id>/payments/<int:batch_id>/reverse")
@roles_required(*WRITERS)
def reverse_batch(plan_id: int, batch_id: int):
    plan = owned(DividendPlan, plan_id)
    batch = history.get_batch(plan, batch_id)
    form = BatchReverseForm(prefix=_prefix(batch.id))
    return _batch_step(
        plan, batch, form,
        lambda: reversal.reverse_batch(plan, batch, reason=form.reason.data,
                                       user_id=current_user.id),
        lambda count: f"已撤销第 {batch.number} 号发放：{count} 人重新列为未发放", "reason")
