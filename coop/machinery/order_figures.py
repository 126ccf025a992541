"""What the order list filters by, and the figures kept with the order mark
(``ORDER_COUNTS``): the list's counts per filter, and the fen every owing
order still owes (the secretary's home page). The writers carry the list's
counts as it opens (the year's orders, unfiltered; every owing order) and
the fen owed forward: a new order adds itself, a payment or reversal moves
them by what it settled or opened again (``shift_owing``), anything else
counts afresh as it commits (issue 19)."""
from __future__ import annotations

import json
from typing import NamedTuple

from sqlalchemy import ColumnElement, bindparam, case, func, select

from coop import clock
from coop.cooperatives.api import MarkCarry, MarkTopic
from coop.database import parse_id
from coop.extensions import db
from coop.machinery.models import ServiceOrder, ServicePayment, owes, unpaid_at_insert
from coop.machinery.periods import in_year, year_bounds


class OrderFilter(NamedTuple):
    """What the order list was filtered by, as ``orders_query`` reads it:
    the key of its kept count."""

    year: int | None
    service: str | None
    client: tuple[str, int] | None  # ("m", member id) or ("c", outside client id)
    unpaid_only: bool


def order_filter(year: int | None, service: str | None, client_ref: str | None,
                 unpaid_only: bool) -> OrderFilter:
    """The filter as the list's arguments give it (a client reference that
    is no id filters nothing)."""
    client = None
    if client_ref:
        kind, _, raw = client_ref.partition(":")
        if (ref_id := parse_id(raw)) is not None:
            client = ("m" if kind == "m" else "c", ref_id)
    return OrderFilter(year or None, service or None, client, unpaid_only)


class PaidAndReversed(NamedTuple):
    """SQL, each correlated to the order of its query: what was paid
    against it, and its reversals' amounts (fen, 0 or less)."""

    paid: ColumnElement[int]
    reversed: ColumnElement[int]


def _paid_and_reversed() -> PaidAndReversed:
    pay, rev = ServicePayment.__table__, ServiceOrder.__table__.alias("rev")
    return PaidAndReversed(
        select(func.coalesce(func.sum(pay.c.amount_fen), 0))
        .where(pay.c.order_id == ServiceOrder.id).scalar_subquery(),
        select(func.coalesce(func.sum(rev.c.amount_fen), 0))
        .where(rev.c.reverses_id == ServiceOrder.id).scalar_subquery())


# built once: an alias's columns are set up anew each time it is built
# (0.6 ms of every order list's request)
PAID_AND_REVERSED = _paid_and_reversed()


class FilterShape(NamedTuple):
    """What a filtered query's conditions depend on, their values apart."""

    year: bool
    service: bool
    client: str | None  # "m" (a member), "c" (an outside client) or None
    unpaid_only: bool


def filter_shape(by: OrderFilter) -> FilterShape:
    return FilterShape(bool(by.year), bool(by.service), by.client[0] if by.client else None,
                       by.unpaid_only)


def filtered(query, shape: FilterShape):
    """``query`` (of the orders) with the conditions of ``shape``, each value
    a bound parameter (``filter_values``)."""
    query = query.where(ServiceOrder.cooperative_id == bindparam("coop_id"))
    if shape.year:
        query = query.where(ServiceOrder.service_on.between(bindparam("year_from"),
                                                            bindparam("year_to")))
    if shape.service:
        query = query.where(ServiceOrder.service == bindparam("service"))
    if shape.client:
        column = ServiceOrder.member_id if shape.client == "m" else ServiceOrder.client_id
        query = query.where(column == bindparam("client_id"))
    if shape.unpaid_only:
        query = query.where(owes())
    return query


def filter_values(coop_id: int, by: OrderFilter) -> dict:
    """The values of ``filtered``'s parameters."""
    values: dict = {"coop_id": coop_id}
    if by.year:
        values["year_from"], values["year_to"] = year_bounds(by.year)
    if by.service:
        values["service"] = by.service
    if by.client:
        values["client_id"] = by.client[1]
    return values


def orders_query(coop_id: int, by: OrderFilter):
    """The orders ``by`` filters, each with what was paid and reversed against it."""
    return filtered(select(ServiceOrder, *PAID_AND_REVERSED),
                    filter_shape(by)).params(filter_values(coop_id, by))


def count_orders(coop_id: int, by: OrderFilter) -> int:
    """The orders ``by`` filters, counted in SQL."""
    counted = orders_query(coop_id, by).with_only_columns(ServiceOrder.id)
    return db.session.scalar(select(func.count()).select_from(counted.subquery()))


def sum_owed(coop_id: int) -> int:
    """The fen every owing order owes, summed from their kept ``unpaid_fen``
    through the partial index. No order owes less than nothing (a payment or
    reversal above what is owed is refused), so the orders left out add nothing."""
    return int(db.session.scalar(select(func.coalesce(func.sum(ServiceOrder.unpaid_fen), 0))
                                 .where(ServiceOrder.cooperative_id == coop_id, owes())) or 0)


class YearIncome(NamedTuple):
    """A year's service income (fen, reversals dated in it included): the
    members' orders and the other clients'."""

    members_fen: int
    clients_fen: int


def sum_income(coop_id: int, year: int) -> YearIncome:
    """The year's service income summed from its orders, in one pass."""
    members, clients = db.session.execute(select(
        func.sum(case((ServiceOrder.member_id.is_not(None), ServiceOrder.amount_fen))),
        func.sum(case((ServiceOrder.client_id.is_not(None), ServiceOrder.amount_fen))))
        .where(ServiceOrder.cooperative_id == coop_id, in_year(ServiceOrder.service_on, year))).one()
    return YearIncome(int(members or 0), int(clients or 0))


# every year's orders that owe something: the unpaid-only list as it opens
OWING = OrderFilter(None, None, None, True)
# the key of the fen they owe (summed, not counted)
OWED_FEN = "owed_fen"
# the keys of a year's income from members' and other clients' orders
INCOME_SIDES = ("members", "clients")
FigureKey = OrderFilter | str


def income_key(year: int, side: str) -> str:
    return f"income_{side}:{year}"


def _income_of(key: FigureKey) -> tuple[str, int] | None:
    """(side, year) of an income key, None for another key."""
    if not isinstance(key, str) or not key.startswith("income_"):
        return None
    side, _, year = key.removeprefix("income_").partition(":")
    if side not in INCOME_SIDES or not year.isdigit():
        raise ValueError(f"not a figure of the orders: {key!r}")
    return side, int(year)


def _carried_keys() -> frozenset[FigureKey]:
    """The figures the writers carry: the year's orders, unfiltered (the list
    as it opens), the owing orders (the unpaid-only list as it opens), the
    fen they owe, and the year's income (the home page's)."""
    year = clock.today().year
    return frozenset({OrderFilter(year, None, None, False), OWING, OWED_FEN,
                      *(income_key(year, side) for side in INCOME_SIDES)})


def _carried_afresh(coop_id: int) -> dict[FigureKey, int]:
    """The carried figures read afresh: what a write that is more than new
    orders, payments and reversals reads (an edit, a deletion, a bulk write,
    the first write of a new year)."""
    figures: dict[FigureKey, int] = {}
    incomes: dict[int, YearIncome] = {}  # both sides of a year from one pass
    for key in _carried_keys():
        if key == OWED_FEN:
            figures[key] = sum_owed(coop_id)
        elif (income := _income_of(key)) is not None:
            side, year = income
            if year not in incomes:
                incomes[year] = sum_income(coop_id, year)
            figures[key] = incomes[year][INCOME_SIDES.index(side)]
        else:
            figures[key] = count_orders(coop_id, key)
    return figures


def _add_orders(_coop_id: int, key: FigureKey, total: int, inserted: list) -> int | None:
    """``total`` with the new orders ``key`` counts: those of the year (the
    year's range of ``orders_query``: ``year_bounds``), or for ``OWING`` those
    that owe their amount as they are inserted, and for ``OWED_FEN`` what they
    owe (what a payment in the same transaction then settles,
    ``shift_owing`` moves). A new payment changes no carried figure."""
    orders = [o for o in inserted if isinstance(o, ServiceOrder)]
    if (income := _income_of(key)) is not None:
        side, year = income
        return total + sum(o.amount_fen for o in orders if o.service_on.year == year and (
            o.member_id if side == "members" else o.client_id) is not None)
    if key == OWED_FEN:
        return total + sum(unpaid_at_insert(o.amount_fen, o.reverses_id) for o in orders)
    if key == OWING:
        return total + sum(1 for o in orders if unpaid_at_insert(o.amount_fen, o.reverses_id) > 0)
    return total + sum(1 for o in orders if o.service_on.year == key.year)


def _key_name(key: FigureKey) -> str:
    return key if isinstance(key, str) else json.dumps(list(key))


def _key_of(name: str) -> FigureKey:
    if name == OWED_FEN:
        return OWED_FEN
    if _income_of(name) is not None:
        return name
    year, service, client, unpaid_only = json.loads(name)
    return OrderFilter(year, service, tuple(client) if client else None, unpaid_only)


# the order list's counts and the fen owed, per cooperative and order mark:
# renewed by every transaction that writes an order or a payment
# (refresh_unpaid's bulk UPDATE says so itself); counting half a million
# owing orders took 30-85 ms on PostgreSQL at 1,000,000 orders, the year's
# 84,000 orders 9-11 ms on SQLite after each new order, and summing what
# the owing orders owe 50-66 ms on SQLite (issue 19).
ORDER_COUNTS: MarkTopic[int] = MarkTopic(
    "orders", (ServiceOrder, ServicePayment), keep=256,
    carry=MarkCarry(keys=_carried_keys, count=_carried_afresh, add=_add_orders,
                    key=_key_name, unkey=_key_of, dump=int, load=int))


def order_count(coop_id: int, by: OrderFilter) -> int:
    """The orders ``by`` filters, as of the cooperative's order mark."""
    return ORDER_COUNTS.get(coop_id, by, lambda: count_orders(coop_id, by))


def owed_fen(coop_id: int) -> int:
    """What the cooperative's clients owe on every order, reversals and
    payments so far included, as of the order mark."""
    return ORDER_COUNTS.get(coop_id, OWED_FEN, lambda: sum_owed(coop_id))


def year_income(coop_id: int, year: int) -> YearIncome:
    """The year's service income as of the order mark (the home page's
    figure: summing the largest cooperative's 86,000 orders of a year took
    31 ms on SQLite and 74 ms on PostgreSQL on each view)."""
    read: list[YearIncome] = []

    def summed(side: int) -> int:
        if not read:
            read.append(sum_income(coop_id, year))
        return read[0][side]

    return YearIncome(*(ORDER_COUNTS.get(coop_id, income_key(year, side), lambda n=n: summed(n))
                        for n, side in enumerate(INCOME_SIDES)))


class Owing(NamedTuple):
    """Of some orders of a cooperative: how many owe, and how much."""

    orders: int
    fen: int


def owing_by_coop(order_ids: list[int], lock: bool = False) -> dict[int, Owing]:
    """How many of these orders owe something and how much, by cooperative
    (every cooperative of the orders named, nothing owed included);
    ``lock``: their rows locked until the transaction ends (PostgreSQL)."""
    query = select(ServiceOrder.cooperative_id, ServiceOrder.unpaid_fen).where(
        ServiceOrder.id.in_(order_ids))
    owing: dict[int, Owing] = {}
    for coop_id, unpaid in db.session.execute(query.with_for_update() if lock else query):
        orders, fen = owing.get(coop_id, (0, 0))
        owing[coop_id] = Owing(orders + (unpaid > 0), fen + max(unpaid, 0))
    return owing


def shift_owing(before: dict[int, Owing], after: dict[int, Owing]) -> None:
    """The carried owing count and fen owed moved by what the current
    transaction changed past the ORM (``owing_by_coop`` of the same orders
    before and after)."""
    for coop_id, was in before.items():
        now = after[coop_id]
        ORDER_COUNTS.shifted(coop_id, OWING, now.orders - was.orders)
        ORDER_COUNTS.shifted(coop_id, OWED_FEN, now.fen - was.fen)
