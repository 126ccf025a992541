"""What clients still owe, aged from the order date.

The report sums each client's unpaid orders in one grouped query. As of a
day on or after the cooperative's last payment and order reversal it reads
what each order keeps owing (``service_orders.unpaid_fen``, kept by
``orders.refresh_unpaid``) through the partial index of the orders that
owe by client; as of an earlier day, each order's kept balance with the
payments and order reversals dated after that day added back
(``changed_after``: only those are read). The database orders and pages
the clients (``receivables_page``). A client's order lines are read when asked for
(``client_lines``), not with the report (issue 19)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import NamedTuple

from sqlalchemy import (BigInteger, ColumnElement, Select, and_, case, cast, func, literal_column,
                        select, union_all)
from sqlalchemy.sql import Subquery

from coop import clock
from coop.cooperatives.api import outside_village_word
from coop.extensions import db
from coop.limits import INT64_MAX
from coop.machinery.constants import ClientKind, Service, client_kind_label
from coop.machinery.ledger import AGING_BUCKETS, aging_bucket
from coop.machinery.models import OutsideClient, ServiceOrder, ServicePayment, owes
from coop.members.api import Member
from coop.paging import Page

CLIENTS_PER_PAGE = 100


def changed_after(coop_ids: list[int], as_of: date) -> Subquery:
    """order id, fen: what the cooperatives' payments (and their reversals)
    and order reversals dated after ``as_of`` took off what each order they
    touched owes now; added back, it gives what the order owed on ``as_of``
    (a reversal, like a register entry, counts from its own date). Reads
    only those dated after ``as_of``, by their date indexes."""
    rev = ServiceOrder.__table__.alias("rev")
    changes = union_all(
        select(ServicePayment.order_id.label("order_id"), ServicePayment.amount_fen.label("fen"))
        .where(ServicePayment.cooperative_id.in_(coop_ids), ServicePayment.paid_on > as_of),
        select(rev.c.reverses_id, -rev.c.amount_fen)
        .where(rev.c.cooperative_id.in_(coop_ids), rev.c.reverses_id.is_not(None),
               rev.c.service_on > as_of)).subquery()
    return (select(changes.c.order_id, cast(func.sum(changes.c.fen), BigInteger).label("fen"))
            .group_by(changes.c.order_id).subquery())


class OwedOrders(NamedTuple):
    """A part of the orders that owed something on the report's day: what
    each owed, the conditions a query of ``service_orders`` asks, and what
    was paid and reversed after the day (``changed_after``), joined to each
    order (``outer``: to the orders it touched, if any) or none."""

    owed: ColumnElement
    where: tuple
    later: Subquery | None = None
    outer: bool = False

    def read(self, query: Select) -> Select:
        if self.later is not None:
            query = query.join(self.later, self.later.c.order_id == ServiceOrder.id,
                               isouter=self.outer)
        return query.where(*self.where)


def _owed_orders(coop_id: int, as_of: date, by_date: bool = True, *,
                 of_client: ColumnElement | None = None) -> list[OwedOrders]:
    """The orders that owed something on ``as_of`` (given on or before it),
    of one client when ``of_client`` (a condition on ``ServiceOrder``), in
    one part or two.

    As of a day after which nothing was paid or reversed, each order's kept
    ``unpaid_fen`` through the partial indexes of the orders that owe. As of
    an earlier day, the same orders with what was paid and reversed after
    it added back, and the orders settled since that owed then, read by id
    from the payments and reversals dated after the day (``changed_after``):
    every other order owed then what it owes now. Reading every order with
    its payments and reversals up to the day took 2.4-2.9 s at 1,000,000
    orders (issue 19).

    ``by_date`` False: the caller's condition picks the index (one client's
    orders), so the cooperative is compared as an expression no index of
    (cooperative, date) serves: without statistics SQLite would walk every
    owing order of the cooperative by date instead."""
    def mine(coop):
        return (coop == coop_id, ServiceOrder.reverses_id.is_(None), ServiceOrder.service_on <= as_of,
                *(() if of_client is None else (of_client,)))

    by_expression = ServiceOrder.cooperative_id + literal_column("0")
    owes_now = (*mine(ServiceOrder.cooperative_id if by_date else by_expression), owes())
    if not paid_after(coop_id, as_of):
        return [OwedOrders(ServiceOrder.unpaid_fen, owes_now)]
    later = changed_after([coop_id], as_of)
    owed = ServiceOrder.unpaid_fen + func.coalesce(later.c.fen, 0)
    return [OwedOrders(owed, (*owes_now, owed > 0), later, outer=True),
            # read from the later payments and reversals, each order by its id (no
            # index of the orders serves the conditions): the cooperative's orders
            # up to the day are ten times as many
            OwedOrders(owed, (*mine(by_expression), ~owes(), owed > 0), later)]


def paid_after(coop_id: int, as_of: date) -> bool:
    """Whether any payment, payment reversal or order reversal of the
    cooperative is dated after ``as_of``: then the kept balances are not
    that day's."""
    if db.session.scalar(select(ServicePayment.id).where(
            ServicePayment.cooperative_id == coop_id, ServicePayment.paid_on > as_of).limit(1)):
        return True
    return db.session.scalar(select(ServiceOrder.id).where(
        ServiceOrder.cooperative_id == coop_id, ServiceOrder.service_on > as_of,
        ServiceOrder.reverses_id.is_not(None)).limit(1)) is not None


class OrderLine(NamedTuple):
    """What the report shows of an unpaid order (read as columns: loading
    500,000 orders with their eager-loaded member, client and machine took
    25 s of the report's time at 200,000 orders, issue 19)."""

    id: int
    order_no: str
    service_on: date
    service: str

    @property
    def service_label(self) -> str:
        return Service(self.service).label


@dataclass
class ReceivableOrder:
    order: OrderLine
    outstanding_fen: int
    bucket: str
    days: int


@dataclass
class ClientReceivable:
    ref: str
    name: str
    kind_label: str
    buckets: dict[str, int] = field(default_factory=lambda: {k: 0 for k, _ in AGING_BUCKETS})
    order_count: int = 0
    oldest_days: int = 0

    @property
    def total_fen(self) -> int:
        return sum(self.buckets.values())

    @property
    def anchor(self) -> str:
        return "rec-" + self.ref.replace(":", "-")


class ClientRow(NamedTuple):
    """A client's line of the grouped query, as read."""

    member_id: int | None
    client_id: int | None
    bucket_0_30: int
    bucket_31_90: int
    bucket_over_90: int
    total_fen: int
    order_count: int
    oldest: date
    member_name: str | None
    client_name: str | None
    client_kind: str | None


_BUCKET_KEYS = tuple(key for key, _ in AGING_BUCKETS)


def _client(row: ClientRow, as_of: date, outside_word: str) -> ClientReceivable:
    buckets = {"0_30": row.bucket_0_30, "31_90": row.bucket_31_90,
               "over_90": row.bucket_over_90}
    if row.member_id:
        ref, name, label = f"m:{row.member_id}", row.member_name, ClientKind.MEMBER.label
    else:
        ref, name = f"c:{row.client_id}", row.client_name
        label = client_kind_label(row.client_kind, outside_word)
    return ClientReceivable(ref, name, label, buckets, row.order_count, (as_of - row.oldest).days)


@dataclass
class Receivables:
    """Every owing client's line (``rows``, in the report's order) and the
    totals: the export and the year's close list them all."""

    as_of: date
    rows: list[ClientRow]
    outside_word: str

    @property
    def client_count(self) -> int:
        return len(self.rows)

    @cached_property
    def totals(self) -> dict[str, int]:
        return {key: sum(getattr(row, f"bucket_{key}") for row in self.rows)
                for key in _BUCKET_KEYS}

    @property
    def total_fen(self) -> int:
        return sum(self.totals.values())

    @cached_property
    def clients(self) -> list[ClientReceivable]:
        return [_client(row, self.as_of, self.outside_word) for row in self.rows]


@dataclass
class ReceivablesPage:
    """One page of the report: its clients (``clients``, a ``Page``) and the
    figures over every owing client."""

    as_of: date
    client_count: int
    totals: dict[str, int]
    clients: Page

    @property
    def total_fen(self) -> int:
        return sum(self.totals.values())


class Report(NamedTuple):
    """The report's query: the clients grouped with their names and kinds
    (``named``), the report's order, and the grouped subquery it reads."""

    as_of: date
    named: Select
    order: tuple
    grouped: Subquery


def _report(coop_id: int, as_of: date | None) -> Report:
    """The owing clients, one grouped query (each client's buckets, total,
    order count and oldest order), with their names and kinds; the order is
    the largest total first, then the name by its characters' code points
    (Python's order of str; "C" on PostgreSQL, whose default collation
    orders Chinese its own way), then the record."""
    as_of = as_of or clock.today()
    client = (ServiceOrder.member_id, ServiceOrder.client_id)
    parts = [part.read(select(*client, *_bucket_sums(ServiceOrder.service_on, part.owed, as_of),
                              func.count().label("order_count"),
                              func.min(ServiceOrder.service_on).label("oldest")))
             .group_by(*client) for part in _owed_orders(coop_id, as_of)]
    g = parts[0].subquery() if len(parts) == 1 else _regrouped(parts)
    name = func.coalesce(Member.name, OutsideClient.name)
    if db.session.get_bind().dialect.name == "postgresql":
        name = name.collate("C")
    named = (select(g, Member.name, OutsideClient.name, OutsideClient.kind)
             .outerjoin(Member, Member.id == g.c.member_id)
             .outerjoin(OutsideClient, OutsideClient.id == g.c.client_id))
    order = (g.c.total_fen.desc(), name, func.coalesce(g.c.member_id, 0),
             func.coalesce(g.c.client_id, 0))
    return Report(as_of, named, order, g)


def receivables(coop_id: int, as_of: date | None = None) -> Receivables:
    """Unpaid orders by client, aged from the order date to ``as_of``; a
    payment counts only if received on or before ``as_of``. Every owing
    client, in the report's order."""
    report = _report(coop_id, as_of)
    rows = [ClientRow._make(row) for row in db.session.connection().execute(
        report.named.order_by(*report.order))]
    return Receivables(report.as_of, rows, outside_village_word(coop_id))


def receivables_page(coop_id: int, as_of: date | None = None, number: int = 1,
                     per_page: int = CLIENTS_PER_PAGE) -> ReceivablesPage:
    """Page ``number`` of the report (past the end, the last page) with the
    totals over every client: one query, the totals as window sums over the
    grouped clients, the database ordering them and handing over the page."""
    report = _report(coop_id, as_of)
    g = report.grouped
    over = (func.count().over(),
            *(cast(func.sum(g.c[key]).over(), BigInteger) for key in _BUCKET_KEYS))
    query = report.named.add_columns(*over).order_by(*report.order).limit(per_page)
    number = max(1, number)
    rows = db.session.connection().execute(query.offset((number - 1) * per_page)).all()
    if not rows and number > 1:
        count = db.session.scalar(select(func.count()).select_from(g))
        number = max(1, -(-count // per_page))
        rows = db.session.connection().execute(query.offset((number - 1) * per_page)).all()
    count, totals = 0, dict.fromkeys(_BUCKET_KEYS, 0)
    if rows:
        count, totals = rows[0][-4], dict(zip(_BUCKET_KEYS, map(int, rows[0][-3:])))
    word = outside_village_word(coop_id)
    clients = [_client(ClientRow._make(row[:-4]), report.as_of, word) for row in rows]
    return ReceivablesPage(report.as_of, count, totals, Page(clients, number, per_page, count))


def client_index(coop_id: int, ref: str, as_of: date | None = None) -> int | None:
    """Where the client ``m:<id>``/``c:<id>`` is in the report (0 first), if
    it owes: its rank in the report's order, counted by the database."""
    kind, _, raw = ref.partition(":")
    if kind not in ("m", "c") or not raw.isdigit() or int(raw) > INT64_MAX:
        return None
    report = _report(coop_id, as_of)
    ranked = report.named.add_columns(
        func.row_number().over(order_by=report.order).label("rank")).subquery()
    mine, other = ((ranked.c.member_id, ranked.c.client_id) if kind == "m"
                   else (ranked.c.client_id, ranked.c.member_id))
    rank = db.session.scalar(select(ranked.c.rank).where(mine == int(raw), other.is_(None)))
    return None if rank is None else rank - 1


def _bucket_sums(service_on: ColumnElement, owed: ColumnElement, as_of: date) -> list:
    """The sum of ``owed`` in each aging bucket (``ledger.aging_bucket``:
    0-30 days, 31-90, over 90) as SQL over the order date, and in all."""
    day30, day90 = as_of - timedelta(days=30), as_of - timedelta(days=90)
    return [cast(func.sum(expr), BigInteger).label(label) for expr, label in (
        (case((service_on >= day30, owed), else_=0), "0_30"),
        (case((and_(service_on < day30, service_on >= day90), owed), else_=0), "31_90"),
        (case((service_on < day90, owed), else_=0), "over_90"), (owed, "total_fen"))]


@dataclass
class ClientLines:
    """One client's unpaid orders on the report's day, oldest first."""

    as_of: date
    ref: str
    orders: list[ReceivableOrder]

    @property
    def total_fen(self) -> int:
        return sum(o.outstanding_fen for o in self.orders)


def _regrouped(parts: list[Select]) -> Subquery:
    """The clients of several parts, each grouped by client, grouped again."""
    both = union_all(*parts).subquery()
    client = (both.c.member_id, both.c.client_id)
    sums = [cast(func.sum(both.c[key]), BigInteger).label(key) for key in (*_BUCKET_KEYS, "total_fen")]
    return (select(*client, *sums, cast(func.sum(both.c.order_count), BigInteger).label("order_count"),
                   func.min(both.c.oldest).label("oldest"))
            .group_by(*client).subquery())


def client_lines(coop_id: int, *, member_id: int | None = None, client_id: int | None = None,
                 as_of: date | None = None) -> ClientLines:
    """The unpaid orders of one client (a member or an outside client) as of
    ``as_of``, each with what it owed, its bucket and age."""
    as_of = as_of or clock.today()
    if member_id is not None:
        who, ref = ServiceOrder.member_id == member_id, f"m:{member_id}"
    else:
        who, ref = ServiceOrder.client_id == client_id, f"c:{client_id}"
    lines = union_all(*(part.read(select(ServiceOrder.id, ServiceOrder.order_no,
                                         ServiceOrder.service_on, ServiceOrder.service,
                                         part.owed.label("owed")))
                        for part in _owed_orders(coop_id, as_of, by_date=False, of_client=who))
                      ).subquery()
    rows = db.session.execute(select(lines).order_by(lines.c.service_on, lines.c.id)).all()
    return ClientLines(as_of, ref, [
        ReceivableOrder(OrderLine(order_id, order_no, service_on, service), int(owed),
                        aging_bucket(service_on, as_of), (as_of - service_on).days)
        for order_id, order_no, service_on, service, owed in rows])
