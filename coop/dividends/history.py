"""The payment history of a plan and of a line, as the pages show it: each
batch (one line, all at once, a bank list) with who recorded it and when,
what it paid, and who reversed it and why; a line's payments one by one."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from coop.auth.api import User
from coop.dividends.constants import ItemState
from coop.dividends.models import DividendLine, DividendPlan, PaymentBatch, PaymentItem
from coop.errors import RecordNotFound
from coop.extensions import db


@dataclass(frozen=True)
class ReversedLine:
    name: str
    at: datetime
    by: str
    reason: str


@dataclass(frozen=True)
class BatchRow:
    batch: PaymentBatch
    recorded_by: str
    paid_by: str
    reversed_by: str
    counts: dict[str, int]  # item state -> lines
    standing: int  # lines whose payment by this batch stands
    reversed_lines: list[ReversedLine]  # reversed one by one

    @property
    def can_pay(self) -> bool:
        return self.batch.is_bank_list and not self.batch.is_paid and not self.batch.is_reversed

    @property
    def can_reverse(self) -> bool:
        return self.batch.is_paid and not self.batch.is_reversed and self.standing > 0


def _names(ids: set[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return {i: name for i, name in db.session.execute(
        select(User.id, User.display_name).where(User.id.in_(wanted)))}


def _who(names: dict[int, str], user_id: int | None) -> str:
    return names.get(user_id, "系统") if user_id is not None else "系统"


def plan_history(plan: DividendPlan) -> list[BatchRow]:
    """The plan's batches, newest first."""
    batches = list(db.session.scalars(select(PaymentBatch).where(
        PaymentBatch.plan_id == plan.id).order_by(PaymentBatch.number.desc())))
    if not batches:
        return []
    ids = [b.id for b in batches]
    counts: dict[int, dict[str, int]] = {}
    for batch_id, state, n in db.session.execute(
            select(PaymentItem.batch_id, PaymentItem.state, func.count())
            .where(PaymentItem.batch_id.in_(ids)).group_by(PaymentItem.batch_id, PaymentItem.state)):
        counts.setdefault(batch_id, {})[state] = n
    standing = {batch_id: n for batch_id, n in db.session.execute(
        select(DividendLine.payment_batch_id, func.count()).where(
            DividendLine.plan_id == plan.id, DividendLine.payment_batch_id.in_(ids))
        .group_by(DividendLine.payment_batch_id))}
    one_by_one: dict[int, list[tuple[str, PaymentItem]]] = {}
    for name, item in db.session.execute(
            select(DividendLine.name, PaymentItem).join(DividendLine,
                                                        DividendLine.id == PaymentItem.line_id)
            .join(PaymentBatch, PaymentBatch.id == PaymentItem.batch_id)
            .where(PaymentItem.batch_id.in_(ids), PaymentItem.state == ItemState.REVERSED.value,
                   PaymentBatch.reversed_at.is_(None))
            .order_by(PaymentItem.reversed_at)):
        one_by_one.setdefault(item.batch_id, []).append((name, item))
    names = _names({b.recorded_by_id for b in batches} | {b.paid_by_id for b in batches}
                   | {b.reversed_by_id for b in batches}
                   | {i.reversed_by_id for rows in one_by_one.values() for _, i in rows})
    return [BatchRow(b, _who(names, b.recorded_by_id), _who(names, b.paid_by_id),
                     _who(names, b.reversed_by_id), counts.get(b.id, {}), standing.get(b.id, 0),
                     [ReversedLine(name, i.reversed_at, _who(names, i.reversed_by_id),
                                   i.reversal_reason or "") for name, i in one_by_one.get(b.id, [])])
            for b in batches]


@dataclass(frozen=True)
class LinePayment:
    """One payment of a line: its batch and what became of it."""

    batch: PaymentBatch
    item: PaymentItem
    recorded_by: str
    reversed_by: str


def line_history(line: DividendLine) -> list[LinePayment]:
    """The line's payments, listings and reversals, oldest first."""
    rows = list(db.session.execute(
        select(PaymentItem, PaymentBatch).join(PaymentBatch, PaymentBatch.id == PaymentItem.batch_id)
        .where(PaymentItem.line_id == line.id).order_by(PaymentBatch.number)))
    names = _names({b.paid_by_id or b.recorded_by_id for _, b in rows}
                   | {i.reversed_by_id or b.reversed_by_id for i, b in rows})
    return [LinePayment(b, i, _who(names, b.paid_by_id or b.recorded_by_id),
                        _who(names, i.reversed_by_id or b.reversed_by_id)) for i, b in rows]


def get_batch(plan: DividendPlan, batch_id: int) -> PaymentBatch:
    """The batch ``batch_id`` of ``plan``; ``RecordNotFound`` when it has none."""
    batch = db.session.scalar(select(PaymentBatch).where(
        PaymentBatch.id == batch_id, PaymentBatch.plan_id == plan.id))
    if batch is None:
        raise RecordNotFound(PaymentBatch.__name__)
    return batch
