"""Money received for service orders: against one order, a client's lump sum
spread over their oldest unpaid orders, and reversals."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from coop import clock
from coop.cooperatives.api import ensure_date_open
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.machinery.clients import resolve_client
from coop.machinery.constants import PaymentMethod
from coop.machinery.models import ServiceOrder, ServicePayment
from coop.machinery.orders import OrderRow, browse_orders, outstanding_fen, refresh_unpaid
from coop.machinery.periods import added, ensure_reversible, reversal_reason
from coop.money import format_yuan


def _lock_order(order: ServiceOrder) -> None:
    """Row lock on PostgreSQL so that two payments cannot both pass the limit."""
    db.session.execute(select(ServiceOrder.id).where(ServiceOrder.id == order.id)
                       .with_for_update())


def _check_payment(paid_on: date | None, amount_fen: int | None, method: str | None) -> None:
    errors = {}
    if paid_on is None:
        errors["paid_on"] = "请填写收款日期"
    elif message := clock.future_error(paid_on, "收款日期"):
        errors["paid_on"] = message
    if amount_fen is None or amount_fen <= 0:
        errors["amount_fen"] = "收款金额必须大于 0"
    if method not in PaymentMethod._value2member_map_:
        errors["method"] = "请选择收款方式"
    if errors:
        raise ValidationFailed(errors)


def record_payment(coop_id: int, order: ServiceOrder, paid_on: date | None, amount_fen: int | None,
                   method: str | None, note: str = "") -> ServicePayment:
    _check_payment(paid_on, amount_fen, method)
    if order.reverses_id is not None:
        raise ServiceError("冲销单不能收款")
    ensure_date_open(coop_id, paid_on, field="paid_on")
    _lock_order(order)
    owed = outstanding_fen(order)
    if amount_fen > owed:
        if owed <= 0:
            raise ValidationFailed({"amount_fen": f"作业单 {order.order_no} 已全部收清，不能再收款"})
        raise ValidationFailed({"amount_fen": f"收款 {format_yuan(amount_fen)} 元超过了未收金额 "
                                              f"{format_yuan(owed)} 元"})
    payment = ServicePayment(cooperative_id=coop_id, order_id=order.id, paid_on=paid_on,
                             amount_fen=amount_fen, method=method, note=(note or "").strip()[:200])
    added(payment)
    refresh_unpaid([order.id])
    return payment


def client_open_orders(coop_id: int, client_ref: str) -> list[OrderRow]:
    """A client's unpaid orders, oldest first."""
    page = browse_orders(coop_id, client_ref=client_ref, unpaid_only=True, per_page=10_000)
    rows = [row for row in page.items if row.outstanding_fen > 0]
    rows.sort(key=lambda row: (row.order.service_on, row.order.id))
    return rows


def record_client_payment(coop_id: int, client_ref: str, paid_on: date | None,
                          amount_fen: int | None, method: str | None,
                          note: str = "") -> list[ServicePayment]:
    """A client pays a lump sum: it settles their oldest unpaid orders first."""
    resolve_client(coop_id, client_ref)
    _check_payment(paid_on, amount_fen, method)
    ensure_date_open(coop_id, paid_on, field="paid_on")
    open_orders = client_open_orders(coop_id, client_ref)
    owed = sum(row.outstanding_fen for row in open_orders)
    if amount_fen > owed:
        raise ValidationFailed({"amount_fen": f"收款 {format_yuan(amount_fen)} 元超过了该客户的"
                                              f"未收总额 {format_yuan(owed)} 元"})
    payments = []
    left = amount_fen
    for row in open_orders:
        if left <= 0:
            break
        part = min(left, row.outstanding_fen)
        payments.append(record_payment(coop_id, row.order, paid_on, part, method, note))
        left -= part
    return payments


def reverse_payment(coop_id: int, payment: ServicePayment, on: date | None,
                    reason: str) -> ServicePayment:
    ensure_reversible(ServicePayment, payment, "收款")
    reason = reversal_reason(coop_id, on, reason)
    reversal = ServicePayment(cooperative_id=coop_id, order_id=payment.order_id, paid_on=on,
                              amount_fen=-payment.amount_fen, method=payment.method,
                              note=f"冲销收款：{reason}"[:200], reverses_id=payment.id)
    added(reversal)
    refresh_unpaid([payment.order_id])
    return reversal
