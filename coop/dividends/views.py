"""Pages of the annual distribution: plan list, plan detail with its
waterfall and lines, a member's line with the arithmetic, comparison of two
drafts, the printable public notice, and the workflow's forms.

Who may do what: the secretary (admin) and the accountant compute drafts and
record payments; only the secretary records the assembly's vote, publishes
and starts a new version; the supervisor reads everything.
"""
from __future__ import annotations

import io

from flask import Blueprint, Response, flash, request
from flask_login import current_user

from coop import clock
from coop.auth.access import ADMIN, ALL_STAFF, roles_required
from coop.auth.models import Role
from coop.dividends import reading, workflow
from coop.dividends.compute import compute_plan
from coop.dividends.forms import ApproveForm, ComputeForm, PayForm, PublishForm, RecordDateForm
from coop.dividends.models import DividendPlan, PlanStatus
from coop.errors import ServiceError, StaleRecordError
from coop.extensions import db
from coop.forms import VersionedForm
from coop.web import id_arg, owned, page_number, redirect_to, render

bp = Blueprint("dividends", __name__, url_prefix="/dividends")

WRITERS = (Role.ADMIN.value, Role.ACCOUNTANT.value)


@bp.app_template_filter("share_classes")
def share_classes_filter(share_class: str) -> str:
    """'villager+cadre' -> '村民股、干部股'."""
    return reading.class_labels(share_class or "")


def _coop():
    return current_user.cooperative


# ---------------------------------------------------------------- list


def _index(form: ComputeForm, status: int = 200):
    plans = reading.plans_of(current_user.cooperative_id)
    by_year: dict[int, list[DividendPlan]] = {}
    for plan in plans:
        by_year.setdefault(plan.year, []).append(plan)
    return render("dividends/index.html", block="compute_form", status=status, form=form,
                  by_year=by_year, can_compute=current_user.role in WRITERS)


@bp.get("/")
@roles_required(*ALL_STAFF)
def index():
    years = reading.plan_years(current_user.cooperative_id)
    return _index(ComputeForm(years=years, year=reading.default_year(current_user.cooperative_id)))


@bp.post("/compute")
@roles_required(*WRITERS)
def compute():
    form = ComputeForm(years=reading.plan_years(current_user.cooperative_id))
    if not form.validate():
        return _index(form, 422)
    try:
        plan = compute_plan(_coop(), form.year.data, basis=form.weight_basis.data,
                                     record_date=form.record_date.data)
    except ServiceError as exc:
        db.session.rollback()
        form.add_service_errors(exc, "year")
        return _index(form, 422)
    db.session.commit()
    flash(f"{plan.year} 年度分配方案草案（第 {plan.version_no} 版）已计算", "success")
    return redirect_to("dividends.detail", plan_id=plan.id)


# ---------------------------------------------------------------- detail


def _workflow_forms(plan: DividendPlan) -> dict:
    today = clock.today()
    forms = {}
    if plan.status == PlanStatus.DRAFT:
        forms["record_form"] = RecordDateForm(formdata=None, record_date=plan.record_date,
                                              version=plan.version)
        forms["approve_form"] = ApproveForm(
            formdata=None, version=plan.version,
            households_total=workflow.households_with_a_vote(plan.cooperative_id, today))
    elif plan.status == PlanStatus.APPROVED:
        forms["publish_form"] = PublishForm(formdata=None, version=plan.version,
                                            notice_start=max(today, plan.assembly_date or today))
    elif plan.status == PlanStatus.PUBLISHED:
        forms["pay_form"] = PayForm(formdata=None, paid_on=today)
    return forms


def _detail(plan: DividendPlan, status: int = 200, block: str | None = None, **forms):
    q = request.args.get("q", "").strip()[:40]
    page = page_number()
    context = dict(_workflow_forms(plan))
    context.update(forms)
    siblings = [p for p in reading.plans_of_year(plan.cooperative_id, plan.year) if p.id != plan.id]
    return render(
        "dividends/detail.html", block=block, status=status, plan=plan, q=q,
        lines=reading.browse_lines(plan, q, page), totals=reading.pool_totals(plan),
        steps=reading.waterfall(plan), nothing=reading.nothing_text(plan),
        collective=reading.collective_lines(plan),
        notice_end=reading.notice_end(plan), paid=reading.paid_count(plan),
        payable=reading.payable_count(plan), siblings=siblings,
        supersedes=db.session.get(DividendPlan, plan.supersedes_id) if plan.supersedes_id else None,
        superseded_by=(db.session.get(DividendPlan, plan.superseded_by_id)
                       if plan.superseded_by_id else None),
        role=current_user.role, writers=WRITERS, **context)


@bp.get("/<int:plan_id>")
@roles_required(*ALL_STAFF)
def detail(plan_id: int):
    plan = owned(DividendPlan, plan_id)
    return _detail(plan, block="lines")


def _workflow_step(plan_id: int, form_class, block: str, action, success: str):
    """Run one workflow step; errors come back in the same form block."""
    plan = owned(DividendPlan, plan_id)
    form = form_class()
    if form.validate():
        try:
            action(plan, form)
        except StaleRecordError as exc:
            db.session.rollback()
            plan = owned(DividendPlan, plan_id)
            form.version.data = plan.version
            return _detail(plan, 409, block, stale=exc.message, **{block: form})
        except ServiceError as exc:
            db.session.rollback()
            plan = owned(DividendPlan, plan_id)
            form.add_service_errors(exc, next(iter(form._fields)))
        else:
            db.session.commit()
            if success:
                flash(success, "success")
            return redirect_to("dividends.detail", plan_id=plan.id)
    return _detail(plan, 422, block, **{block: form})


@bp.post("/<int:plan_id>/record-date")
@roles_required(*WRITERS)
def change_record_date(plan_id: int):
    return _workflow_step(
        plan_id, RecordDateForm, "record_form",
        lambda plan, f: workflow.change_draft(_coop(), plan, record_date=f.record_date.data,
                                              expected_version=f.version.data),
        "草案已按新的股权登记日重新计算")


@bp.post("/<int:plan_id>/recompute")
@roles_required(*WRITERS)
def recompute(plan_id: int):
    plan = owned(DividendPlan, plan_id)
    form = VersionedForm()
    try:
        workflow.recompute(_coop(), plan, expected_version=form.version.data)
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect_to("dividends.detail", plan_id=plan_id)
    db.session.commit()
    flash("草案已按最新账目和股权重新计算", "success")
    return redirect_to("dividends.detail", plan_id=plan.id)


@bp.post("/<int:plan_id>/approve")
@roles_required(*ADMIN)
def approve(plan_id: int):
    return _workflow_step(
        plan_id, ApproveForm, "approve_form",
        lambda plan, f: workflow.approve_plan(
            _coop(), plan, assembly_date=f.assembly_date.data,
            households_total=f.households_total.data,
            households_present=f.households_present.data, votes_for=f.votes_for.data,
            votes_against=f.votes_against.data, votes_abstain=f.votes_abstain.data,
            resolution_no=f.resolution_no.data, expected_version=f.version.data),
        "分配方案已表决通过，内容已冻结")


@bp.post("/<int:plan_id>/publish")
@roles_required(*ADMIN)
def publish(plan_id: int):
    return _workflow_step(
        plan_id, PublishForm, "publish_form",
        lambda plan, f: workflow.publish_plan(plan, notice_start=f.notice_start.data,
                                              notice_days=f.notice_days.data,
                                              expected_version=f.version.data),
        "已公示；公示表可打印张贴")


@bp.post("/<int:plan_id>/pay")
@roles_required(*WRITERS)
def pay_all(plan_id: int):
    def action(plan, f):
        count = workflow.pay_all(plan, paid_on=f.paid_on.data, method=f.method.data,
                                 user_id=current_user.id)
        flash(f"已登记 {count} 户的分红发放", "success")
    return _workflow_step(plan_id, PayForm, "pay_form", action, "")


@bp.post("/<int:plan_id>/new-version")
@roles_required(*ADMIN)
def new_version(plan_id: int):
    plan = owned(DividendPlan, plan_id)
    try:
        draft = workflow.new_version(_coop(), plan)
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect_to("dividends.detail", plan_id=plan_id)
    db.session.commit()
    flash(f"已另立第 {draft.version_no} 版草案；表决通过后取代第 {plan.version_no} 版", "success")
    return redirect_to("dividends.detail", plan_id=draft.id)


# ---------------------------------------------------------------- lines


def _line(plan: DividendPlan, line_id: int):
    return reading.get_line(plan, line_id)


def _line_page(plan, line, form: PayForm, status: int = 200):
    return render("dividends/line.html", block="line_pay", status=status, plan=plan, line=line,
                  calc=reading.line_arithmetic(plan, line), form=form,
                  can_pay=(current_user.role in WRITERS and plan.status == PlanStatus.PUBLISHED
                           and plan.superseded_by_id is None and line.paid_on is None
                           and line.total_fen > 0))


@bp.get("/<int:plan_id>/lines/<int:line_id>")
@roles_required(*ALL_STAFF)
def line(plan_id: int, line_id: int):
    plan = owned(DividendPlan, plan_id)
    return _line_page(plan, _line(plan, line_id), PayForm(formdata=None, paid_on=clock.today()))


@bp.post("/<int:plan_id>/lines/<int:line_id>/pay")
@roles_required(*WRITERS)
def pay_line(plan_id: int, line_id: int):
    plan = owned(DividendPlan, plan_id)
    row = _line(plan, line_id)
    form = PayForm()
    if form.validate():
        try:
            workflow.pay_line(plan, row, paid_on=form.paid_on.data, method=form.method.data)
        except ServiceError as exc:
            db.session.rollback()
            plan, row = owned(DividendPlan, plan_id), _line(owned(DividendPlan, plan_id), line_id)
            form.add_service_errors(exc, "paid_on")
        else:
            db.session.commit()
            flash(f"已登记 {row.name} 的分红发放", "success")
            return redirect_to("dividends.line", plan_id=plan_id, line_id=line_id)
    return _line_page(plan, row, form, 422)


# ---------------------------------------------------------------- compare, notice, export


@bp.get("/compare")
@roles_required(*ALL_STAFF)
def compare():
    a = owned(DividendPlan, id_arg("a") or 0)
    b = owned(DividendPlan, id_arg("b") or 0)
    try:
        comparison = reading.compare(a, b)
    except ServiceError as exc:
        flash(exc.message, "error")
        return redirect_to("dividends.detail", plan_id=a.id)
    return render("dividends/compare.html", c=comparison,
                  steps_a=reading.waterfall(a), steps_b=reading.waterfall(b))


@bp.get("/<int:plan_id>/notice")
@roles_required(*ALL_STAFF)
def notice(plan_id: int):
    plan = owned(DividendPlan, plan_id)
    if plan.status == PlanStatus.DRAFT:
        flash("草案不能公示：请先经成员（代表）大会表决通过", "warning")
        return redirect_to("dividends.detail", plan_id=plan.id)
    return render("dividends/notice.html", plan=plan, rows=reading.notice_rows(plan),
                  totals=reading.pool_totals(plan), notice_end=reading.notice_end(plan),
                  coop=_coop())


@bp.get("/<int:plan_id>/export.csv")
@roles_required(*ALL_STAFF)
def export_csv(plan_id: int):
    plan = owned(DividendPlan, plan_id)
    stream = io.StringIO()
    reading.write_csv(stream, plan)
    filename = f"dividends-{plan.year}-v{plan.version_no}.csv"
    return Response("\ufeff" + stream.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={filename}"})
