"""The plan's workflow after it is computed: a draft is recomputed or moved
to another record date (its review and disclosure then no longer hold),
approved through a meeting (coop.dividends.approval), published (公示) and paid; a change after approval is a new draft that
supersedes the effective plan once it is approved itself, the old version
staying readable. Services validate, write and flush; the caller commits once.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from coop import clock
from coop.audit.api import check_version
from coop.cooperatives.api import Cooperative, DistributionMode
from coop.dividends import approval, rules
from coop.dividends.compute import check_record_date, next_version_no, refill
from coop.dividends.constants import PlanStatus
from coop.dividends.models import DividendPlan
from coop.dividends.payments import pay_all, pay_line  # noqa: F401  (the workflow's last step)
from coop.dividends.reading import describe_field, paid_count
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.money import FULL_BP


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
