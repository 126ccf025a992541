"""Reversing a payment (撤销发放) with a reason: one line, or a whole batch
(the lines one 全部发放 or bank-list payment marked), before the next step
depends on it. The line is owed again and the plan, if it was paid in full,
is published again; the batch and its items keep who paid when and who
reversed why, and the audit log records both.

What a payment's reversal must not undo, refused with nothing changed:
- a payment dated in a closed year: the closed year is a fact;
- a specialized cooperative's payment that turned surplus into capital
  (盈余转增, 农民专业合作社法第四十四条第三款) when a later year's plan has
  been approved since: its figures rest on that capital. Otherwise the
  register entries of the conversion are reversed in the same step by
  reversing entries (the register stays append-only), and refused when the
  register's rules refuse them (the shares were transferred or redeemed).
The statements are drawn from the lines when printed, so a statement printed
again shows the line owed. Services flush; the caller commits."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from coop import clock
from coop.cooperatives.api import Cooperative, latest_closed_year
from coop.dividends.constants import ItemState, PlanStatus
from coop.dividends.models import DividendLine, DividendPlan, PaymentBatch, PaymentItem
from coop.dividends.payments import audit_lines, settle_status
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.shares.api import reverse_surplus_conversions, standing_conversions

REASON_MAX = 180
FSC_ART_44_3 = "《农民专业合作社法》第四十四条第三款"


def clean_reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed({"reason": "请填写撤销发放的原因，例如：误登记了未领取的成员"})
    if len(text) > REASON_MAX:
        raise ValidationFailed({"reason": f"原因不能超过 {REASON_MAX} 个字"})
    return text


def closed_refusal(plan: DividendPlan, paid_on: date | None) -> str | None:
    """Why a payment on ``paid_on`` can no longer be reversed: its year is closed."""
    closed = latest_closed_year(plan.cooperative_id)
    if paid_on is None or closed is None or paid_on.year > closed:
        return None
    return (f"这次发放的日期 {paid_on.isoformat()} 属于已结账的 {closed} 年度："
            "已结账年度的记录是定案的事实，不能撤销发放")


def _check_open(plan: DividendPlan, paid_on: date) -> None:
    if (message := closed_refusal(plan, paid_on)) is not None:
        raise ServiceError(message)


def _later_plan(plan: DividendPlan, paid_on: date) -> DividendPlan | None:
    """A plan of a later year approved (or further) whose year includes the
    payment day or comes after it: its figures read the capital as it was."""
    return db.session.scalar(select(DividendPlan).where(
        DividendPlan.cooperative_id == plan.cooperative_id, DividendPlan.year > plan.year,
        DividendPlan.year >= paid_on.year, DividendPlan.status != PlanStatus.DRAFT.value,
        DividendPlan.is_preview.is_(False)).order_by(DividendPlan.year).limit(1))


def _undo_conversions(plan: DividendPlan, lines: list[DividendLine], paid_on: date,
                      reason: str, user_id: int | None) -> int:
    """Reverse the register entries the payment of ``lines`` wrote (盈余转增);
    returns how many shares went back."""
    converting = [line.member_id for line in lines if line.converted_shares > 0]
    entries = standing_conversions(plan.cooperative_id, converting, effective_on=paid_on,
                                   resolution_no=plan.resolution_no)
    if not entries:
        return 0
    later = _later_plan(plan, paid_on)
    if later is not None:
        raise ServiceError(
            f"这次发放已把应分盈余登记为出资（盈余转增，{FSC_ART_44_3}），而 {later.year} 年度分配方案"
            f"（第 {later.version_no} 版）{later.status_label}，它的计算包含这些出资；"
            "不能再撤销这次发放")
    reverse_surplus_conversions(db.session.get(Cooperative, plan.cooperative_id), entries,
                                reason=reason, recorded_by_id=user_id)
    return sum(e.shares for e in entries)


def reverse_line(plan: DividendPlan, line: DividendLine, *, reason: str | None,
                 user_id: int | None = None) -> DividendLine:
    """The payment of one line undone: the line is owed again."""
    if line.plan_id != plan.id:
        raise ServiceError("这条分红明细不属于此方案")
    reason = clean_reason(reason)
    if line.paid_on is None:
        raise ServiceError(f"{line.name} 的分红尚未发放，无需撤销")
    _check_open(plan, line.paid_on)
    _undo_conversions(plan, [line], line.paid_on, reason, user_id)
    item = db.session.scalar(select(PaymentItem).where(
        PaymentItem.batch_id == line.payment_batch_id, PaymentItem.line_id == line.id))
    if item is not None:
        item.state = ItemState.REVERSED.value
        item.reversed_at, item.reversed_by_id, item.reversal_reason = clock.utcnow(), user_id, reason
    line.paid_on, line.payment_method, line.payment_batch_id = None, None, None
    db.session.flush()
    settle_status(plan)
    db.session.flush()
    return line


def reverse_batch(plan: DividendPlan, batch: PaymentBatch, *, reason: str | None,
                  user_id: int | None = None) -> int:
    """The payment of every line ``batch`` paid and still stands undone in
    one step; returns how many lines are owed again."""
    if batch.plan_id != plan.id:
        raise ServiceError("这个发放批次不属于此方案")
    reason = clean_reason(reason)
    if batch.is_reversed:
        raise ServiceError(f"第 {batch.number} 号发放已于 "
                           f"{clock.local(batch.reversed_at):%Y-%m-%d} 撤销，不能重复撤销")
    if not batch.is_paid:
        raise ServiceError(f"第 {batch.number} 号代发清单还没有按代发发放，无需撤销")
    lines = list(db.session.scalars(select(DividendLine).where(
        DividendLine.plan_id == plan.id, DividendLine.payment_batch_id == batch.id)))
    if not lines:
        raise ServiceError(f"第 {batch.number} 号发放的各人已逐一撤销，没有可撤销的发放")
    _check_open(plan, batch.paid_on)
    _undo_conversions(plan, lines, batch.paid_on, reason, user_id)
    now = clock.utcnow()
    ids = [line.id for line in lines]
    for start in range(0, len(ids), 500):
        db.session.execute(update(PaymentItem.__table__).where(
            PaymentItem.batch_id == batch.id, PaymentItem.line_id.in_(ids[start:start + 500]),
            PaymentItem.state == ItemState.PAID.value).values(
            state=ItemState.REVERSED.value, reversed_at=now, reversed_by_id=user_id,
            reversal_reason=reason))
    count = db.session.execute(update(DividendLine.__table__).where(
        DividendLine.plan_id == plan.id, DividendLine.payment_batch_id == batch.id)
        .values(paid_on=None, payment_method=None, payment_batch_id=None)).rowcount or 0
    for line in lines:
        db.session.expire(line)
    batch.reversed_at, batch.reversed_by_id, batch.reversal_reason = now, user_id, reason
    audit_lines(plan, batch, user_id, count=count, paid_on=None, method=None, reason=reason)
    settle_status(plan)
    db.session.flush()
    return count
