"""Paying a plan's lines, recorded as batches (``PaymentBatch``): one line,
every unpaid line at once (全部发放), or the lines of a bank batch-payment
list (银行代发清单), marked paid with method 银行代发 on the day the user
types, skipping the lines paid otherwise since the list was made. Each paid
line points at its batch; the batch's items keep which lines it listed and
paid. A specialized cooperative's converted parts become register entries
(盈余转增) on the payment day. Services flush; the caller commits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, insert, literal, select, update

from coop import clock
from coop.audit.api import AuditEntry
from coop.cooperatives.api import Cooperative
from coop.dividends.constants import BatchKind, ItemState, PayoutMethod, PlanStatus
from coop.dividends.models import DividendLine, DividendPlan, PaymentBatch, PaymentItem
from coop.dividends.reading import notice_end
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.shares.api import SurplusConversion, record_surplus_conversions


MANUAL_METHODS = frozenset(m.value for m in PayoutMethod if m != PayoutMethod.BANK_BATCH)


def payment_errors(plan: DividendPlan, paid_on: date | None, method: str | None,
                   methods: frozenset[str] = MANUAL_METHODS) -> dict[str, str]:
    """What is wrong with a payment's day and method (银行代发 is the bank
    list's own method, not one to pick)."""
    errors = {}
    last = notice_end(plan)
    if paid_on is None:
        errors["paid_on"] = "请填写发放日期"
    elif message := clock.future_error(paid_on, "发放日期"):
        errors["paid_on"] = message
    elif plan.published_at is not None and paid_on < (
            published_on := clock.local_day(plan.published_at)):
        errors["paid_on"] = f"方案于 {published_on.isoformat()} 登记公示，发放日期不能早于公示登记之日"
    elif last is not None and paid_on <= last:
        errors["paid_on"] = f"公示期到 {last.isoformat()} 结束，发放日期应在公示期满之后"
    if method not in methods:
        errors["method"] = "请选择发放方式"
    return errors


def check_payable(plan: DividendPlan) -> None:
    if plan.superseded_by_id is not None:
        raise ServiceError("此版本已被新版本取代，只能查看")
    if plan.status in (PlanStatus.DRAFT, PlanStatus.APPROVED):
        raise ServiceError("方案须表决通过并公示期满后才能发放分红")
    if plan.status == PlanStatus.PAID:
        raise ServiceError("此方案的分红已全部发放")


def settle_status(plan: DividendPlan) -> None:
    """Paid when no payable line is owed any more, else published."""
    unpaid = db.session.scalar(select(func.count()).select_from(DividendLine).where(
        DividendLine.plan_id == plan.id, DividendLine.total_fen > 0,
        DividendLine.paid_on.is_(None)))
    status = PlanStatus.PUBLISHED.value if unpaid else PlanStatus.PAID.value
    if plan.status != status:
        plan.status = status


def convert(plan: DividendPlan, conversions: list[SurplusConversion], paid_on: date,
            user_id: int | None) -> None:
    """The lines' converted parts become register entries (盈余转增) on the
    payment day, citing the resolution that approved the plan; only the rest
    is paid in cash."""
    if conversions:
        record_surplus_conversions(
            db.session.get(Cooperative, plan.cooperative_id), conversions, effective_on=paid_on,
            resolution_no=plan.resolution_no, year=plan.year, recorded_by_id=user_id)


def new_batch(plan: DividendPlan, kind: BatchKind, *, user_id: int | None, line_count: int,
              cash_fen: int, paid_on: date | None = None,
              method: str | None = None) -> PaymentBatch:
    """A batch numbered after the plan's last (1, 2 ...)."""
    last = db.session.scalar(select(func.max(PaymentBatch.number)).where(
        PaymentBatch.plan_id == plan.id)) or 0
    now = clock.utcnow()
    paid = paid_on is not None
    batch = PaymentBatch(cooperative_id=plan.cooperative_id, plan_id=plan.id, number=last + 1,
                         kind=kind.value, line_count=line_count, cash_fen=cash_fen,
                         recorded_by_id=user_id, created_at=now, paid_on=paid_on, method=method,
                         paid_by_id=user_id if paid else None, paid_at=now if paid else None)
    db.session.add(batch)
    db.session.flush()
    return batch


def audit_lines(plan: DividendPlan, batch: PaymentBatch, user_id: int | None, *, count: int,
                paid_on: date | None, method: str | None, reason: str | None = None) -> None:
    """One entry for the lines a batch paid (or whose payment it reversed) in one statement."""
    after = {"paid_on": paid_on.isoformat() if paid_on else None, "payment_method": method,
             "payment_batch_id": batch.id if paid_on else None, "lines": count, "plan_id": plan.id}
    if reason is not None:
        after["reversal_reason"] = reason
    db.session.add(AuditEntry(
        cooperative_id=plan.cooperative_id, user_id=user_id, at=clock.utcnow(), action="update",
        record_type=DividendLine.__tablename__, record_id=f"plan {plan.id}",
        before={"paid_on": None} if paid_on else {"payment_batch_id": batch.id},
        after=after))


def mark_lines_paid(plan: DividendPlan, batch: PaymentBatch, line_ids: list[int] | None,
                    paid_on: date, method: str, *, off_bank_lists: bool = False) -> int:
    """Mark the plan's unpaid payable lines (``line_ids`` of them, or all;
    ``off_bank_lists``: but those on a standing bank list) paid by
    ``batch``; their items say so. Returns how many."""
    chunks = [None] if line_ids is None else [line_ids[i:i + 500]
                                              for i in range(0, len(line_ids), 500)]
    count = 0
    for chunk in chunks:
        count += db.session.execute(
            update(DividendLine.__table__).where(*_owed(plan, chunk, off_bank_lists=off_bank_lists))
            .values(paid_on=paid_on, payment_method=method, payment_batch_id=batch.id)
        ).rowcount or 0
    if batch.kind != BatchKind.BANK:
        db.session.execute(insert(PaymentItem.__table__).from_select(
            ["batch_id", "line_id", "cash_fen", "state"],
            select(literal(batch.id), DividendLine.id,
                   DividendLine.total_fen - DividendLine.converted_fen,
                   literal(ItemState.PAID.value)).where(DividendLine.payment_batch_id == batch.id)))
    return count


def _owed(plan: DividendPlan, line_ids: list[int] | None = None, *, off_bank_lists: bool = False):
    """The plan's unpaid payable lines (of ``line_ids``); ``off_bank_lists``:
    without those a standing bank list sent to the bank."""
    where = [DividendLine.plan_id == plan.id, DividendLine.paid_on.is_(None),
             DividendLine.total_fen > 0]
    if line_ids is not None:
        where.append(DividendLine.id.in_(line_ids))
    if off_bank_lists:
        where.append(DividendLine.id.not_in(_on_standing_lists(plan)))
    return where


def _on_standing_lists(plan: DividendPlan):
    """The lines listed by the plan's bank lists not yet paid nor reversed."""
    return (select(PaymentItem.line_id).join(PaymentBatch, PaymentBatch.id == PaymentItem.batch_id)
            .where(PaymentBatch.plan_id == plan.id, PaymentBatch.kind == BatchKind.BANK.value,
                   PaymentBatch.paid_on.is_(None), PaymentBatch.reversed_at.is_(None)))


def pay_line(plan: DividendPlan, line: DividendLine, *, paid_on: date | None,
             method: str | None, user_id: int | None = None) -> DividendLine:
    check_payable(plan)
    if line.plan_id != plan.id:
        raise ServiceError("这条分红明细不属于此方案")
    if line.paid_on is not None:
        raise ServiceError(f"{line.name} 的分红已于 {line.paid_on.isoformat()} 发放")
    if line.total_fen <= 0:
        raise ServiceError(f"{line.name} 本年度分红为 0，无需发放")
    errors = payment_errors(plan, paid_on, method)
    if errors:
        raise ValidationFailed(errors)
    convert(plan, [SurplusConversion(line.member_id, line.converted_shares)]
            if line.converted_shares else [], paid_on, user_id)
    batch = new_batch(plan, BatchKind.SINGLE, user_id=user_id, line_count=1,
                      cash_fen=line.cash_fen, paid_on=paid_on, method=method)
    db.session.add(PaymentItem(batch_id=batch.id, line_id=line.id, cash_fen=line.cash_fen,
                               state=ItemState.PAID.value))
    line.paid_on, line.payment_method, line.payment_batch_id = paid_on, method, batch.id
    db.session.flush()
    settle_status(plan)
    db.session.flush()
    return line


def pay_all(plan: DividendPlan, *, paid_on: date | None, method: str | None,
            user_id: int | None = None) -> int:
    """Pay every unpaid line in one statement, as one batch; one audit entry
    records the lines. The lines of a standing bank list are left to it: the
    bank pays them, and marking them paid otherwise would pay them twice.
    Refused, nothing changed, when every unpaid line is on such a list."""
    check_payable(plan)
    errors = payment_errors(plan, paid_on, method)
    if errors:
        raise ValidationFailed(errors)
    count, cash = db.session.execute(select(
        func.count(), func.coalesce(func.sum(DividendLine.total_fen - DividendLine.converted_fen), 0))
        .where(*_owed(plan, off_bank_lists=True))).one()
    if not count and (lists := standing_bank_lists(plan)):
        raise ServiceError(
            f"未发放的 {plan.year} 年度分红都在第 {'、'.join(str(b.number) for b in lists)} 号银行代发"
            "清单上，已交银行代发：银行代发后请按清单登记发放；不由银行代发的人，请在其分红明细页逐一登记")
    convert(plan, [SurplusConversion(*row) for row in db.session.execute(
        select(DividendLine.member_id, DividendLine.converted_shares)
        .where(*_owed(plan, off_bank_lists=True), DividendLine.converted_shares > 0)
        .order_by(DividendLine.member_no))], paid_on, user_id)
    batch = new_batch(plan, BatchKind.ALL, user_id=user_id, line_count=count, cash_fen=int(cash),
                      paid_on=paid_on, method=method)
    count = mark_lines_paid(plan, batch, None, paid_on, method, off_bank_lists=True)
    audit_lines(plan, batch, user_id, count=count, paid_on=paid_on, method=method)
    settle_status(plan)
    db.session.flush()
    return count


# -- the bank's batch-payment list -------------------------------------------------


def on_bank_lists(plan: DividendPlan) -> int:
    """How many owed lines a standing bank list holds: the bulk payment leaves them to it."""
    return db.session.scalar(select(func.count()).select_from(DividendLine).where(
        *_owed(plan), DividendLine.id.in_(_on_standing_lists(plan)))) or 0


def standing_bank_lists(plan: DividendPlan) -> list[PaymentBatch]:
    """The plan's bank lists not yet paid (nor reversed), newest first."""
    return list(db.session.scalars(select(PaymentBatch).where(
        PaymentBatch.plan_id == plan.id, PaymentBatch.kind == BatchKind.BANK.value,
        PaymentBatch.paid_on.is_(None), PaymentBatch.reversed_at.is_(None))
        .order_by(PaymentBatch.number.desc())))


def listed_line_ids(batch: PaymentBatch) -> list[int]:
    return list(db.session.scalars(select(PaymentItem.line_id).where(
        PaymentItem.batch_id == batch.id).order_by(PaymentItem.id)))


def record_bank_list(plan: DividendPlan, lines: list[tuple[int, int]],
                     user_id: int | None) -> PaymentBatch | None:
    """The bank list of ``lines`` ((line id, cash fen), in the list's order)
    as a batch: the newest standing list of the plan when it lists exactly
    these lines (a download again gets the same number), else a new one.
    None when no line is listed for the bank."""
    if not lines:
        return None
    wanted = [line_id for line_id, _ in lines]
    latest = next(iter(standing_bank_lists(plan)), None)
    if latest is not None and listed_line_ids(latest) == wanted:
        return latest
    batch = new_batch(plan, BatchKind.BANK, user_id=user_id, line_count=len(lines),
                      cash_fen=sum(cash for _, cash in lines))
    db.session.execute(insert(PaymentItem.__table__), [
        {"batch_id": batch.id, "line_id": line_id, "cash_fen": cash,
         "state": ItemState.LISTED.value} for line_id, cash in lines])
    return batch


@dataclass(frozen=True)
class BankPayment:
    """What paying by a bank list did: the batch, how many lines it marked
    paid, and the names of those it skipped (paid otherwise meanwhile)."""

    batch: PaymentBatch
    paid: int
    skipped: list[str]


def _names(line_ids: list[int]) -> list[str]:
    names: dict[int, str] = {}
    for start in range(0, len(line_ids), 500):
        names.update((i, n) for i, n in db.session.execute(
            select(DividendLine.id, DividendLine.name)
            .where(DividendLine.id.in_(line_ids[start:start + 500]))))
    return [names[i] for i in line_ids]


def pay_bank_list(plan: DividendPlan, batch: PaymentBatch, *, paid_on: date | None,
                  user_id: int | None = None) -> BankPayment:
    """Mark exactly the lines the list ``batch`` listed paid, method 银行代发,
    on ``paid_on``; the lines paid otherwise since are skipped and named.
    Refused, changing nothing, when every listed line was paid meanwhile."""
    check_payable(plan)
    if batch.plan_id != plan.id or batch.kind != BatchKind.BANK:
        raise ServiceError("这不是此方案的银行代发清单")
    if batch.is_reversed or batch.is_paid:
        raise ServiceError(f"第 {batch.number} 号代发清单已于 {batch.paid_on.isoformat()} "
                           "按代发发放" if batch.paid_on else f"第 {batch.number} 号代发清单已撤销")
    method = PayoutMethod.BANK_BATCH.value
    errors = payment_errors(plan, paid_on, method, frozenset({method}))
    if errors:
        raise ValidationFailed(errors)
    listed = listed_line_ids(batch)
    owed = set()
    for start in range(0, len(listed), 500):
        owed.update(db.session.scalars(select(DividendLine.id).where(
            *_owed(plan, listed[start:start + 500]))))
    to_pay = [i for i in listed if i in owed]
    skipped = _names([i for i in listed if i not in owed])
    if not to_pay:
        raise ServiceError(f"第 {batch.number} 号代发清单所列 {len(listed)} 人的分红都已另行发放"
                           f"（{'、'.join(skipped)}），无需再按此清单发放")
    conversions = []
    for start in range(0, len(to_pay), 500):
        conversions += [SurplusConversion(*row) for row in db.session.execute(
            select(DividendLine.member_id, DividendLine.converted_shares)
            .where(DividendLine.id.in_(to_pay[start:start + 500]),
                   DividendLine.converted_shares > 0))]
    convert(plan, conversions, paid_on, user_id)
    count = mark_lines_paid(plan, batch, to_pay, paid_on, method)
    paid_ids = set(to_pay)
    for start in range(0, len(listed), 500):
        chunk = listed[start:start + 500]
        for state, ids in ((ItemState.PAID, [i for i in chunk if i in paid_ids]),
                           (ItemState.SKIPPED, [i for i in chunk if i not in paid_ids])):
            if ids:
                db.session.execute(update(PaymentItem.__table__).where(
                    PaymentItem.batch_id == batch.id, PaymentItem.line_id.in_(ids))
                    .values(state=state.value))
    batch.paid_on, batch.method = paid_on, method
    batch.paid_by_id, batch.paid_at = user_id, clock.utcnow()
    audit_lines(plan, batch, user_id, count=count, paid_on=paid_on, method=method)
    settle_status(plan)
    db.session.flush()
    return BankPayment(batch, count, skipped)
