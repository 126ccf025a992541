"""Service orders: numbering, entry, edits in an open year, reversals of a
closed year's orders, and the lists of orders with what was paid."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, NamedTuple

from sqlalchemy import Integer, bindparam, case, cast, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from coop import clock
from coop.audit.api import check_version
from coop.cooperatives.api import ensure_date_open, ensure_record_editable, is_year_locked
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.limits import MAX_AREA_CMU, MAX_FUEL_CL, MAX_PRICE_FEN
from coop.machinery.clients import resolve_client
from coop.machinery.constants import Service
from coop.machinery.ledger import order_amount
from coop.machinery.models import Machine, OrderCounter, ServiceOrder, ServicePayment, owed
from coop.machinery.order_figures import (PAID_AND_REVERSED, order_count, order_filter, orders_query,
                                          owing_by_coop, shift_owing)
from coop.machinery.periods import (FieldLabels, added, in_year, length_errors,
                                    reversal_reason)
from coop.machinery.prices import price_for
from coop.money import format_mu, format_yuan
from coop.paging import Page
from coop.tenancy import find_owned

describe_order_field = FieldLabels(
    {"service_on": "作业日期", "member_id": "成员", "client_id": "客户", "service": "作业项目",
     "plot": "地块", "area_cmu": "面积", "unit_price_fen": "单价", "amount_fen": "金额",
     "machine_id": "农机", "operator": "机手", "fuel_cl": "油耗", "note": "备注"},
    enums={"service": Service}, hundredths={"area_cmu": "亩", "fuel_cl": "升"})

def _highest_order_no(coop_id: int, year: int) -> int:
    """The highest number among the year's orders in the table (0 if none),
    compared as numbers: '2026-100000' comes after '2026-99999'. Read as a
    range ('.' follows '-') that the (cooperative_id, order_no) index serves;
    SQLite's LIKE would walk every order of the cooperative."""
    return db.session.scalar(
        select(func.max(cast(func.substr(ServiceOrder.order_no, len(f"{year}-") + 1), Integer)))
        .where(ServiceOrder.cooperative_id == coop_id, ServiceOrder.order_no >= f"{year}-",
               ServiceOrder.order_no < f"{year}.")) or 0


_COUNTER = OrderCounter.__table__
_COUNTER_OF = (_COUNTER.c.cooperative_id == bindparam("coop_id"), _COUNTER.c.year == bindparam("of_year"))
# built once: every order entered runs them
_COUNT_UP = (update(_COUNTER).where(*_COUNTER_OF).values(last_no=_COUNTER.c.last_no + 1)
             .returning(_COUNTER.c.last_no))


def _next_order_no(coop_id: int, year: int) -> str:
    """Take the next order number of ``year``: its counter goes up by one.

    The UPDATE holds the counter (SQLite's write lock, PostgreSQL's row lock)
    until the transaction ends, so two clerks saving at the same moment get
    consecutive numbers. A year's first order here starts the counter after
    the highest number already used (orders entered before counters existed).
    """
    counter = {"coop_id": coop_id, "of_year": year}
    for _ in range(3):
        n = db.session.connection().execute(_COUNT_UP, counter).scalar()
        if n is not None:
            return f"{year}-{n:05d}"
        n = _highest_order_no(coop_id, year) + 1
        try:
            with db.session.begin_nested():
                db.session.execute(insert(_COUNTER).values(cooperative_id=coop_id, year=year,
                                                           last_no=n))
            return f"{year}-{n:05d}"
        except IntegrityError:  # another clerk started the counter first: take the next
            continue
    raise ServiceError("作业单编号分配失败，请重试")


def _insert_numbered(coop_id: int, order: ServiceOrder, year: int) -> None:
    """Add ``order`` with the next number of ``year`` from its counter. Should
    that number be taken all the same (an order written without the counter,
    e.g. by an import), the insert hits the unique constraint inside a
    savepoint and the number after is taken."""
    for attempt in range(10):
        order.order_no = _next_order_no(coop_id, year)
        try:
            with db.session.begin_nested():
                db.session.add(order)
            return
        except IntegrityError as exc:
            if "order_no" not in str(exc.orig) or attempt == 9:
                raise


@dataclass
class OrderInput:
    service_on: date | None
    client_ref: str | None = None
    client_text: str | None = None
    service: str | None = None
    plot: str = ""
    area_cmu: int | None = None
    unit_price_fen: int | None = None
    machine_id: int | None = None
    operator: str = ""
    fuel_cl: int | None = 0
    note: str = ""


def _order_values(coop_id: int, data: OrderInput) -> dict[str, Any]:
    errors: dict[str, str] = {}
    client = None
    try:
        client = resolve_client(coop_id, data.client_ref, data.client_text)
    except ServiceError as exc:
        errors["client"] = exc.message
    if data.service_on is None:
        errors["service_on"] = "请填写作业日期"
    elif message := clock.future_error(data.service_on, "作业日期"):
        errors["service_on"] = message
    if data.service not in Service._value2member_map_:
        errors["service"] = "请选择作业项目"
    if data.area_cmu is None or data.area_cmu <= 0:
        errors["area_cmu"] = "面积必须大于 0"
    elif data.area_cmu > MAX_AREA_CMU:
        errors["area_cmu"] = "面积过大，请核对"
    price = data.unit_price_fen
    if price is None and client is not None and data.service_on and "service" not in errors:
        price = price_for(coop_id, data.service_on.year, data.service, client.is_member)
    if price is None:
        errors.setdefault("unit_price_fen", "请填写单价（价格表中没有这一项）")
    elif not 0 <= price <= MAX_PRICE_FEN:
        errors["unit_price_fen"] = "单价应在 0 到 10,000 元/亩之间"
    fuel = data.fuel_cl or 0
    if fuel < 0 or fuel > MAX_FUEL_CL:
        errors["fuel_cl"] = "油耗应在 0 到 100,000 升之间"
    errors.update(length_errors(ServiceOrder, {"plot": data.plot, "operator": data.operator},
                                 {"plot": "地块", "operator": "机手"}))
    machine = None
    if data.machine_id:
        machine = find_owned(Machine, data.machine_id, coop_id)
        if machine is None:
            errors["machine_id"] = "找不到所选农机"
        elif data.service_on and machine.disposed_on and data.service_on > machine.disposed_on:
            errors["machine_id"] = f"{machine.name} 已于 {machine.disposed_on} 处置"
    if errors:
        raise ValidationFailed(errors)
    values = {
        "service_on": data.service_on,
        "member_id": client.member.id if client.member else None,
        "client_id": client.client.id if client.client else None,
        "service": data.service,
        "plot": (data.plot or "").strip()[:80],
        "area_cmu": data.area_cmu,
        "unit_price_fen": price,
        "amount_fen": order_amount(data.area_cmu, price),
        "machine_id": machine.id if machine else None,
        "operator": (data.operator or "").strip()[:40],
        "fuel_cl": fuel,
        "note": (data.note or "").strip(),
    }
    return values


def create_order(coop_id: int, data: OrderInput) -> ServiceOrder:
    values = _order_values(coop_id, data)
    ensure_date_open(coop_id, values["service_on"], field="service_on")
    order = ServiceOrder(cooperative_id=coop_id, **values)
    _insert_numbered(coop_id, order, values["service_on"].year)
    db.session.flush()
    return order


def paid_fen(order: ServiceOrder) -> int:
    return db.session.scalar(select(func.coalesce(func.sum(ServicePayment.amount_fen), 0))
                             .where(ServicePayment.order_id == order.id))


def reversed_fen(order: ServiceOrder) -> int:
    """Sum of the (negative) reversals of an order."""
    return db.session.scalar(select(func.coalesce(func.sum(ServiceOrder.amount_fen), 0))
                             .where(ServiceOrder.reverses_id == order.id))


def reversed_area(order: ServiceOrder) -> int:
    return db.session.scalar(select(func.coalesce(func.sum(ServiceOrder.area_cmu), 0))
                             .where(ServiceOrder.reverses_id == order.id))


def outstanding_fen(order: ServiceOrder) -> int:
    return order.amount_fen + reversed_fen(order) - paid_fen(order)


def unpaid_now():
    """What an order owes today, computed afresh from its payments and
    reversals (the value ``unpaid_fen`` keeps)."""
    paid, reversed_ = PAID_AND_REVERSED
    return case((ServiceOrder.reverses_id.is_(None), ServiceOrder.amount_fen + reversed_ - paid),
                else_=0)


def refresh_unpaid(order_ids: Iterable[int]) -> None:
    """Recompute ``unpaid_fen`` of these orders in the current transaction:
    every write of an order's amount, a payment or a reversal calls it, so
    the unpaid-only list and count read one indexed column (issue 19).

    The rows are locked first (PostgreSQL): a concurrent write to the same
    order commits before the UPDATE below takes its snapshot, so it counts.
    The UPDATE is past the ORM's flush: it renews the order mark itself, and
    moves the owing orders' count and the fen they owe, carried with it, by
    what it settled or opened again."""
    ids = sorted(set(order_ids))
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        before = owing_by_coop(chunk, lock=True)
        db.session.execute(update(ServiceOrder)
                           .where(ServiceOrder.id.in_(chunk))
                           .values(unpaid_fen=unpaid_now())
                           .execution_options(synchronize_session="fetch"))
        shift_owing(before, owing_by_coop(chunk))


def update_order(coop_id: int, order: ServiceOrder, data: OrderInput,
                 expected_version: int | None) -> ServiceOrder:
    if order.reverses_id is not None:
        raise ServiceError("冲销单不能修改")
    ensure_record_editable(coop_id, order.service_on, "作业单")
    values = _order_values(coop_id, data)
    ensure_date_open(coop_id, values["service_on"], field="service_on")
    check_version(order, expected_version, describe_order_field)
    paid = paid_fen(order)
    if values["amount_fen"] < paid:
        raise ValidationFailed({"area_cmu": f"修改后金额 {format_yuan(values['amount_fen'])} 元"
                                f"少于已收款 {format_yuan(paid)} 元，请先冲销收款"})
    if values["service_on"].year != order.service_on.year:
        order.order_no = _next_order_no(coop_id, values["service_on"].year)
    for key, value in values.items():
        setattr(order, key, value)
    db.session.flush()
    refresh_unpaid([order.id])
    return order


def delete_order(coop_id: int, order: ServiceOrder) -> None:
    """An order entered by mistake in an open year, with no payments, may be deleted.

    This is consistent with DESIGN.md: only closed years are append-only
    (corrected by reversing entries); an open year's orders may be edited,
    and a deletion is an edit that the audit log records with every value of
    the order (action "delete"). Once money was received against the order -
    even if that payment was reversed later - the order stays, so the payment
    history keeps pointing at it."""
    ensure_record_editable(coop_id, order.service_on, "作业单")
    if order.reverses_id is not None:
        raise ServiceError("冲销单不能删除")
    if db.session.scalar(select(ServicePayment.id).where(ServicePayment.order_id == order.id)):
        raise ServiceError("该作业单已有收款记录（包括已冲销的收款），不能删除；"
                           "如有录错，请直接修改作业单")
    if db.session.scalar(select(ServiceOrder.id).where(ServiceOrder.reverses_id == order.id)):
        raise ServiceError("该作业单已有冲销记录，不能删除")
    db.session.delete(order)
    db.session.flush()


def reverse_order(coop_id: int, order: ServiceOrder, on: date, area_cmu: int | None,
                  reason: str) -> ServiceOrder:
    """Reverse all or part (``area_cmu``) of an order of a closed year with a
    negative order dated ``on`` in an open year."""
    if order.reverses_id is not None:
        raise ServiceError("冲销单不能再冲销")
    if not is_year_locked(coop_id, order.service_on.year):
        raise ServiceError(f"{order.service_on.year} 年度尚未结账，请直接修改作业单")
    reason = reversal_reason(coop_id, on, reason)
    remaining_area = order.area_cmu + reversed_area(order)
    remaining_amount = order.amount_fen + reversed_fen(order)
    if remaining_area <= 0:
        raise ServiceError("该作业单已全部冲销")
    if area_cmu is None or area_cmu == remaining_area:
        area_cmu, amount = remaining_area, remaining_amount
    elif not 0 < area_cmu < remaining_area:
        raise ValidationFailed({"area_cmu": f"冲销面积应大于 0 且不超过 {format_mu(remaining_area)} 亩"})
    else:
        amount = order_amount(area_cmu, order.unit_price_fen)
    unpaid = remaining_amount - paid_fen(order)
    if amount > unpaid:
        raise ServiceError(f"该作业单尚未收款 {format_yuan(unpaid)} 元，冲销金额 {format_yuan(amount)} 元"
                           "超过了未收部分；请先冲销多收的款项")
    reversal = ServiceOrder(
        cooperative_id=coop_id, order_no=_next_order_no(coop_id, on.year), service_on=on,
        member_id=order.member_id, client_id=order.client_id, service=order.service,
        plot=order.plot, area_cmu=-area_cmu, unit_price_fen=order.unit_price_fen,
        amount_fen=-amount, machine_id=order.machine_id, operator=order.operator, fuel_cl=0,
        note=f"冲销 {order.order_no}：{reason}", reverses_id=order.id)
    added(reversal)
    refresh_unpaid([order.id])
    return reversal


class OrderRow(NamedTuple):
    """An order of a list with what was paid and reversed against it."""

    order: ServiceOrder
    paid_fen: int
    reversed_fen: int
    outstanding_fen: int  # 0 for a reversal

    @property
    def owes(self) -> bool:
        return self.outstanding_fen > 0


def _order_rows(rows) -> list[OrderRow]:
    return [OrderRow(o, p, r, owed(o.amount_fen, r, p, o.reverses_id)) for o, p, r in rows]


def browse_orders(coop_id: int, year: int | None = None, service: str | None = None,
                  client_ref: str | None = None, unpaid_only: bool = False,
                  page: int = 1, per_page: int = 50) -> Page:
    """Orders newest first, each with (order, paid, reversed, outstanding).

    Paid and reversed sums are correlated subqueries of the orders on the
    page, and the count reads only the orders: joining the sums of every
    payment and reversal made the page take 4 s at 1,000,000 orders (issue 8
    load test). The count is kept per filter until the cooperative's orders
    or payments are written (``ORDER_COUNTS``)."""
    by = order_filter(year, service, client_ref, unpaid_only)
    query = orders_query(coop_id, by)
    total = order_count(coop_id, by)
    page = max(1, page)
    rows = db.session.execute(query.order_by(ServiceOrder.service_on.desc(),
                                             ServiceOrder.id.desc())
                              .limit(per_page).offset((page - 1) * per_page)).unique().all()
    return Page(_order_rows(rows), page, per_page, total)


def year_orders(coop_id: int, year: int, service: str | None = None,
                unpaid_only: bool = False) -> list[OrderRow]:
    """Every order of ``year`` (filtered like the list), oldest first: the export."""
    query = orders_query(coop_id, order_filter(year, service, None, unpaid_only))
    rows = db.session.execute(query.order_by(ServiceOrder.service_on, ServiceOrder.id)).unique().all()
    return _order_rows(rows)


def year_payments(coop_id: int, year: int) -> list[ServicePayment]:
    """Every payment received in ``year`` (reversals included), oldest first: the export."""
    return list(db.session.scalars(select(ServicePayment).where(
        ServicePayment.cooperative_id == coop_id, in_year(ServicePayment.paid_on, year))
        .order_by(ServicePayment.paid_on, ServicePayment.id)))


def orders_of(payments: list[ServicePayment]) -> dict[int, ServiceOrder]:
    """The orders ``payments`` were received against, by id, in one query."""
    ids = {p.order_id for p in payments}
    if not ids:
        return {}
    return {o.id: o for o in db.session.scalars(select(ServiceOrder).where(ServiceOrder.id.in_(ids)))}


def recent_orders(coop_id: int, limit: int = 8) -> list[ServiceOrder]:
    return list(db.session.scalars(select(ServiceOrder).where(
        ServiceOrder.cooperative_id == coop_id).order_by(ServiceOrder.id.desc()).limit(limit)))


def order_payments(order: ServiceOrder) -> list[ServicePayment]:
    return list(db.session.scalars(select(ServicePayment).where(
        ServicePayment.order_id == order.id).order_by(ServicePayment.paid_on, ServicePayment.id)))


def order_reversals(order: ServiceOrder) -> list[ServiceOrder]:
    return list(db.session.scalars(select(ServiceOrder).where(
        ServiceOrder.reverses_id == order.id).order_by(ServiceOrder.id)))

