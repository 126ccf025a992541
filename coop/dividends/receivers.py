"""The distribution plans' answers to governance's signals
(coop.governance.agenda_sources): governance sits below the plans and cannot
ask for them directly. Connected when the module is imported, which the app
factory does for every domain's ``receivers`` module (coop.domains)."""
from __future__ import annotations

from flask import url_for
from sqlalchemy import func, select

from coop import clock
from coop.cooperatives.api import (ACCOUNTANT, SECRETARY, SUPERVISOR, ChecklistStep, Cooperative,
                                   StepState, checklist_requested)
from coop.dividends import approval
from coop.dividends.api import DividendLine, DividendPlan, PlanStatus, effective_plan
from coop.extensions import db
from coop.governance.api import (AgendaItem, PlanChoice, PlanDisclosure, item_decided,
                                 plan_choices_requested, plan_disclosure_requested)
from coop.members.api import Member, MemberStatusChange, reversal_refusals_requested
from coop.tenancy import get_owned


@plan_choices_requested.connect
def plans_to_decide(coop_id: int, **_: object) -> list[PlanChoice]:
    """The cooperative's draft plans of closed years: what a meeting may approve."""
    plans = db.session.scalars(select(DividendPlan).where(
        DividendPlan.cooperative_id == coop_id, DividendPlan.status == PlanStatus.DRAFT.value,
        DividendPlan.is_preview.is_(False)).order_by(DividendPlan.year.desc(),
                                                     DividendPlan.version_no.desc()))
    name = db.session.get(Cooperative, coop_id).words.distribution_plan
    return [PlanChoice(plan.id, plan.year, f"{plan.year} 年度{name}（第 {plan.version_no} 版，草案）",
                       title=f"{plan.year} 年度{name}（第 {plan.version_no} 版）",
                       progress=plan.progress_label)
            for plan in plans]


def _plan_of(item: AgendaItem) -> tuple[Cooperative, DividendPlan]:
    return (db.session.get(Cooperative, item.cooperative_id),
            get_owned(DividendPlan, item.plan_id, item.cooperative_id))


@plan_disclosure_requested.connect
def disclosure_of(item: AgendaItem, **_: object) -> PlanDisclosure:
    """The plan's recorded disclosure, once it may be put to the vote
    (reviewed, disclosed, its year closed); otherwise the decision is refused."""
    coop, plan = _plan_of(item)
    return PlanDisclosure(plan.id, approval.ready_for_vote(coop, plan))


@item_decided.connect
def approve_when_passed(item: AgendaItem, **_: object) -> None:
    """A passed distribution item approves its plan; a failed one leaves it a draft."""
    if item.plan_id is None or not item.passed:
        return
    coop, plan = _plan_of(item)
    approval.approve_by_resolution(coop, plan, item)


def _year_plan(coop_id: int, year: int) -> DividendPlan | None:
    """The year's approved plan, else its latest computed draft."""
    return effective_plan(coop_id, year) or db.session.scalar(
        select(DividendPlan).where(DividendPlan.cooperative_id == coop_id, DividendPlan.year == year,
                                   DividendPlan.status == PlanStatus.DRAFT.value,
                                   DividendPlan.is_preview.is_(False))
        .order_by(DividendPlan.version_no.desc()).limit(1))


@checklist_requested.connect
def plan_steps(coop: Cooperative, *, year: int, **_: object) -> list[ChecklistStep]:
    """The plan of the year just ended, step by step: computed, reviewed by
    the supervisor, disclosed, approved by the meeting, noticed, paid."""
    plan_year = year - 1
    plan = _year_plan(coop.id, plan_year)
    url = url_for("dividends.detail", plan_id=plan.id) if plan else url_for("dividends.index")
    paid_on = None
    if plan is not None and plan.status == PlanStatus.PAID.value:
        paid_on = db.session.scalar(select(func.max(DividendLine.paid_on)).where(
            DividendLine.plan_id == plan.id)) or clock.local_day(plan.published_at)
    dates = ((70, "方案计算", clock.local_day(plan.computed_at) if plan else None,
              frozenset({SECRETARY, ACCOUNTANT})),
             (72, "监事审核", clock.local_day(plan.reviewed_at) if plan else None,
              frozenset({SECRETARY, SUPERVISOR})),
             (74, "方案公开", plan.disclosed_on if plan else None, frozenset({SECRETARY})),
             (76, "成员大会表决通过",
              (plan.assembly_date or clock.local_day(plan.approved_at)) if plan else None,
              frozenset({SECRETARY})),
             (78, "结果公示", plan.notice_start if plan else None, frozenset({SECRETARY})),
             (80, f"{coop.words.member_share}发放", paid_on, frozenset({SECRETARY})))
    review = _review_note(coop, plan)
    return [ChecklistStep(order, f"{plan_year} 年度分配：{label}"
                          + ("（已退回）" if order == 72 and plan is not None and plan.awaits_change else ""),
                          StepState.DONE if done_on else StepState.TODO, done_on, url, roles,
                          note=review if order == 72 and not done_on else "")
            for order, label, done_on, roles in dates]


def _review_note(coop: Cooperative, plan: DividendPlan | None) -> str:
    """Where the supervisor's review stands: waiting, returned to the
    secretary to recompute (with the reason), or changed and waiting again."""
    if plan is None:
        return ""
    if plan.awaits_change:
        return (f"第 {plan.version_no} 版已于 {clock.local_day(plan.returned_at):%Y-%m-%d} 退回"
                f"{coop.words.secretary}修改：{plan.returned_reason}")
    if plan.returned_reason:
        return f"第 {plan.version_no} 版已按退回意见修改，待监事重新审核"
    return f"第 {plan.version_no} 版待审核"


@reversal_refusals_requested.connect
def plan_without_member(member: Member, *, change: MemberStatusChange, **_: object) -> str | None:
    """An approved plan (approved after the change was recorded, of a year
    the change falls in or before) that has no line for the member left
    them out on the strength of the change; an approved plan is a fact, so
    the change stands until a new version of the plan is made."""
    approved = (PlanStatus.APPROVED.value, PlanStatus.PUBLISHED.value, PlanStatus.PAID.value)
    query = select(DividendPlan).where(
        DividendPlan.cooperative_id == member.cooperative_id, DividendPlan.status.in_(approved),
        DividendPlan.approved_at > change.recorded_at,
        ~select(DividendLine.id).where(DividendLine.plan_id == DividendPlan.id,
                                       DividendLine.member_id == member.id).exists())
    if change.on_date is not None:
        query = query.where(DividendPlan.year >= change.on_date.year)
    plan = db.session.scalar(query.order_by(DividendPlan.year, DividendPlan.version_no).limit(1))
    if plan is None:
        return None
    return (f"{plan.year} 年度收益分配方案（第 {plan.version_no} 版）在此变更之后表决通过，方案中没有 "
            f"{member.name}；已通过的方案不能改写，请先制定该方案的新版本再撤销")
