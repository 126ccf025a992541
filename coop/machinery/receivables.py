"""What clients still owe, aged from the order date."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from coop import clock
from coop.extensions import db
from coop.machinery.constants import ClientKind
from coop.machinery.ledger import AGING_BUCKETS, aging_bucket
from coop.machinery.models import ServiceOrder, ServicePayment


def _paid_subquery(as_of: date):
    return (select(ServicePayment.order_id, func.sum(ServicePayment.amount_fen).label("paid"))
            .where(ServicePayment.paid_on <= as_of)
            .group_by(ServicePayment.order_id).subquery())


def _reversed_subquery():
    rev = ServiceOrder.__table__.alias("rev")
    return (select(rev.c.reverses_id.label("order_id"), func.sum(rev.c.amount_fen).label("rev"))
            .where(rev.c.reverses_id.is_not(None)).group_by(rev.c.reverses_id).subquery())


@dataclass
class ReceivableOrder:
    order: ServiceOrder
    outstanding_fen: int
    bucket: str
    days: int


@dataclass
class ClientReceivable:
    ref: str
    name: str
    kind_label: str
    buckets: dict[str, int] = field(default_factory=lambda: {k: 0 for k, _ in AGING_BUCKETS})
    orders: list[ReceivableOrder] = field(default_factory=list)

    @property
    def total_fen(self) -> int:
        return sum(self.buckets.values())

    @property
    def oldest_days(self) -> int:
        return max((o.days for o in self.orders), default=0)


@dataclass
class Receivables:
    as_of: date
    clients: list[ClientReceivable]

    @property
    def totals(self) -> dict[str, int]:
        out = {k: 0 for k, _ in AGING_BUCKETS}
        for c in self.clients:
            for k, v in c.buckets.items():
                out[k] += v
        return out

    @property
    def total_fen(self) -> int:
        return sum(self.totals.values())


def receivables(coop_id: int, as_of: date | None = None) -> Receivables:
    """Unpaid orders by client, aged from the order date to ``as_of``; a
    payment counts only if received on or before ``as_of``."""
    as_of = as_of or clock.today()
    paid = _paid_subquery(as_of)
    rev = _reversed_subquery()
    outstanding = (ServiceOrder.amount_fen + func.coalesce(rev.c.rev, 0)
                   - func.coalesce(paid.c.paid, 0))
    rows = db.session.execute(
        select(ServiceOrder, outstanding)
        .outerjoin(paid, paid.c.order_id == ServiceOrder.id)
        .outerjoin(rev, rev.c.order_id == ServiceOrder.id)
        .where(ServiceOrder.cooperative_id == coop_id, ServiceOrder.reverses_id.is_(None),
               ServiceOrder.service_on <= as_of, outstanding > 0)
        .order_by(ServiceOrder.service_on, ServiceOrder.id)).unique().all()
    by_client: dict[str, ClientReceivable] = {}
    for order, out in rows:
        ref = order.client_ref
        entry = by_client.get(ref)
        if entry is None:
            label = ClientKind.MEMBER.label if order.member_id else order.client.kind_label
            entry = by_client[ref] = ClientReceivable(ref, order.client_name, label)
        bucket = aging_bucket(order.service_on, as_of)
        entry.buckets[bucket] += out
        entry.orders.append(ReceivableOrder(order, out, bucket, (as_of - order.service_on).days))
    clients = sorted(by_client.values(), key=lambda c: (-c.total_fen, c.name))
    return Receivables(as_of, clients)

