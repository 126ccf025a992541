"""The plan's workflow after it is computed: a draft is recomputed or moved
to another record date (its review and disclosure then no longer hold),
approved through a meeting (coop.dividends.approval), published (公示) and paid; a change after approval is a new draft that
supersedes the effective plan once it is approved itself, the old version
staying readable. Services validate, write and flush; the caller commits once.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, update

from coop import clock
from coop.audit.api import AuditEntry, check_version
from coop.cooperatives.api import Cooperative, DistributionMode
from coop.dividends import approval, rules
from coop.dividends.compute import check_record_date, next_version_no, refill
from coop.dividends.models import DividendLine, DividendPlan, PayoutMethod, PlanStatus
from coop.dividends.reading import describe_field, notice_end, paid_count
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.money import FULL_BP
from coop.shares.api import SurplusConversion, record_surplus_conversions


def recompute(coop: Cooperative, plan: DividendPlan, *, expected_version: int | None = None
              ) -> DividendPlan:
    _ensure_draft(plan)
    check_version(plan, expected_version, describe_field)
    refill(plan, coop)
    approval.reopen(plan)
    return plan


def new_version(coop: Cooperative, plan: DividendPlan) -> DividendPlan:
    """A new draft that will supersede the effective ``plan`` once approved."""
    if plan.status == PlanStatus.DRAFT:
        raise ServiceError("草案可以直接重新计算，不需要另立新版本")
    if plan.superseded_by_id is not None:
        raise ServiceError("此版本已被新版本取代，请在当前有效的版本上修改")
    if paid_count(plan):
        raise ServiceError("此方案已有分红发放记录，不能再另立新版本")
    existing = db.session.scalar(select(DividendPlan).where(
        DividendPlan.supersedes_id == plan.id, DividendPlan.status == PlanStatus.DRAFT,
        DividendPlan.weight_basis == plan.weight_basis))
    if existing is not None:
        return existing
    draft = DividendPlan(cooperative_id=coop.id, year=plan.year,
                         version_no=next_version_no(coop.id, plan.year),
                         supersedes_id=plan.id, weight_basis=plan.weight_basis,
                         record_date=plan.record_date, mode=coop.distribution_mode,
                         conversion_bp=plan.conversion_bp)
    db.session.add(draft)
    db.session.flush()
    refill(draft, coop)
    return draft


def change_draft(coop: Cooperative, plan: DividendPlan, *, record_date: date | None,
                 conversion_bp: int | None = None,
                 expected_version: int | None = None) -> DividendPlan:
    """Move a draft's record date, and in specialized mode set the part of
    the distributable surplus turned into capital (None: unchanged); recompute."""
    _ensure_draft(plan)
    check_version(plan, expected_version, describe_field)
    plan.record_date = check_record_date(plan.year, record_date)
    if conversion_bp is not None:
        plan.conversion_bp = check_conversion(coop, conversion_bp)
    refill(plan, coop)
    approval.reopen(plan)
    return plan


def check_conversion(coop: Cooperative, conversion_bp: int) -> int:
    """The share of each member's distributable total turned into capital
    (FSC art 44 para 3): specialized mode only, 0 to 100 %."""
    if conversion_bp and coop.distribution_mode != DistributionMode.SPECIALIZED:
        raise ValidationFailed({"conversion_bp": (
            "盈余转为出资是农民专业合作社的分配方式（《农民专业合作社法》第四十四条），"
            "按股分红的合作社不适用")})
    if not 0 <= conversion_bp <= FULL_BP:
        raise ValidationFailed({"conversion_bp": "转为出资的比例应在 0% 到 100% 之间"})
    return conversion_bp


def _ensure_draft(plan: DividendPlan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise ServiceError(
            f"此方案{plan.status_label}，内容已冻结，不能修改；如需修改请“另立新版本”")


def _ensure_current(plan: DividendPlan) -> None:
    if plan.superseded_by_id is not None:
        raise ServiceError("此版本已被新版本取代，只能查看")


def publish_plan(plan: DividendPlan, *, notice_start: date | None,
                 notice_days: int | None = rules.DEFAULT_NOTICE_DAYS,
                 expected_version: int | None = None) -> DividendPlan:
    """Record the public notice (公示): it starts no earlier than today, the
    day it is published, and the time of publication is kept."""
    _ensure_current(plan)
    if plan.status != PlanStatus.APPROVED:
        if plan.status == PlanStatus.DRAFT:
            raise ServiceError("草案须经成员（代表）大会表决通过后才能公示")
        raise ServiceError(f"此方案{plan.status_label}")
    check_version(plan, expected_version, describe_field)
    published_at, published_on = clock.utcnow(), clock.today()
    errors = {}
    if notice_start is None:
        errors["notice_start"] = "请填写公示开始日期"
    elif plan.assembly_date and notice_start < plan.assembly_date:
        errors["notice_start"] = f"公示开始日期不能早于大会日期 {plan.assembly_date.isoformat()}"
    elif notice_start < published_on:
        errors["notice_start"] = (
            f"公示开始日期不能早于公示登记当日 {published_on.isoformat()}：公示期从张贴之日起算，"
            "不能补登已经过去的日期")
    if notice_days is None:
        errors["notice_days"] = "请填写公示天数"
    elif not 1 <= notice_days <= rules.MAX_NOTICE_DAYS:
        errors["notice_days"] = f"公示天数应在 1 到 {rules.MAX_NOTICE_DAYS} 天之间（通常 7 天）"
    if errors:
        raise ValidationFailed(errors)
    plan.notice_start = notice_start
    plan.notice_days = notice_days
    plan.published_at = published_at
    plan.status = PlanStatus.PUBLISHED
    db.session.flush()
    return plan



def _payment_errors(plan: DividendPlan, paid_on: date | None, method: str | None) -> dict[str, str]:
    errors = {}
    last = notice_end(plan)
    if paid_on is None:
        errors["paid_on"] = "请填写发放日期"
    elif paid_on > clock.today():
        errors["paid_on"] = "发放日期不能晚于今天"
    elif plan.published_at is not None and paid_on < (
            published_on := clock.local(plan.published_at).date()):
        errors["paid_on"] = f"方案于 {published_on.isoformat()} 登记公示，发放日期不能早于公示登记之日"
    elif last is not None and paid_on <= last:
        errors["paid_on"] = f"公示期到 {last.isoformat()} 结束，发放日期应在公示期满之后"
    if method not in set(PayoutMethod):
        errors["method"] = "请选择发放方式"
    return errors


def _check_payable(plan: DividendPlan) -> None:
    _ensure_current(plan)
    if plan.status in (PlanStatus.DRAFT, PlanStatus.APPROVED):
        raise ServiceError("方案须表决通过并公示期满后才能发放分红")
    if plan.status == PlanStatus.PAID:
        raise ServiceError("此方案的分红已全部发放")


def _mark_paid_if_complete(plan: DividendPlan) -> None:
    unpaid = db.session.scalar(select(func.count()).select_from(DividendLine).where(
        DividendLine.plan_id == plan.id, DividendLine.total_fen > 0,
        DividendLine.paid_on.is_(None)))
    if not unpaid:
        plan.status = PlanStatus.PAID


def _convert(plan: DividendPlan, conversions: list[SurplusConversion], paid_on: date,
             user_id: int | None) -> None:
    """The lines' converted parts become register entries (盈余转增) on the
    payment day, citing the resolution that approved the plan; only the rest
    is paid in cash."""
    if conversions:
        record_surplus_conversions(
            db.session.get(Cooperative, plan.cooperative_id), conversions, effective_on=paid_on,
            resolution_no=plan.resolution_no, year=plan.year, recorded_by_id=user_id)


def pay_line(plan: DividendPlan, line: DividendLine, *, paid_on: date | None,
             method: str | None, user_id: int | None = None) -> DividendLine:
    _check_payable(plan)
    if line.plan_id != plan.id:
        raise ServiceError("这条分红明细不属于此方案")
    if line.paid_on is not None:
        raise ServiceError(f"{line.name} 的分红已于 {line.paid_on.isoformat()} 发放")
    if line.total_fen <= 0:
        raise ServiceError(f"{line.name} 本年度分红为 0，无需发放")
    errors = _payment_errors(plan, paid_on, method)
    if errors:
        raise ValidationFailed(errors)
    _convert(plan, [SurplusConversion(line.member_id, line.converted_shares)]
             if line.converted_shares else [], paid_on, user_id)
    line.paid_on, line.payment_method = paid_on, method
    db.session.flush()
    _mark_paid_if_complete(plan)
    db.session.flush()
    return line


def pay_all(plan: DividendPlan, *, paid_on: date | None, method: str | None,
            user_id: int | None = None) -> int:
    """Pay every unpaid line in one statement; one audit entry records it."""
    _check_payable(plan)
    errors = _payment_errors(plan, paid_on, method)
    if errors:
        raise ValidationFailed(errors)
    unpaid = (DividendLine.plan_id == plan.id, DividendLine.paid_on.is_(None),
              DividendLine.total_fen > 0)
    _convert(plan, [SurplusConversion(*row) for row in db.session.execute(
        select(DividendLine.member_id, DividendLine.converted_shares)
        .where(*unpaid, DividendLine.converted_shares > 0).order_by(DividendLine.member_no))],
             paid_on, user_id)
    result = db.session.execute(
        update(DividendLine.__table__)
        .where(DividendLine.plan_id == plan.id, DividendLine.paid_on.is_(None),
               DividendLine.total_fen > 0)
        .values(paid_on=paid_on, payment_method=method))
    count = result.rowcount or 0
    db.session.add(AuditEntry(
        cooperative_id=plan.cooperative_id, user_id=user_id, at=clock.utcnow(),
        action="update", record_type=DividendLine.__tablename__, record_id=f"plan {plan.id}",
        before={"paid_on": None},
        after={"paid_on": paid_on.isoformat() if paid_on else None, "payment_method": method,
               "lines": count, "plan_id": plan.id}))
    _mark_paid_if_complete(plan)
    db.session.flush()
    return count
