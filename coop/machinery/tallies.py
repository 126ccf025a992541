"""The ledger's figures of many cooperatives at once (the township and county
overview): a few GROUP BY cooperative_id queries over all of them, never a
query per cooperative. The figures are the ones ``years.year_figures`` gives
one cooperative: frozen for a closed year, computed for an open one by the
same ``surplus.figures``."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable, NamedTuple, Sequence

from sqlalchemy import case, func, or_, select

from coop.cooperatives.api import YearClose
from coop.extensions import db
from coop.machinery import depreciation
from coop.machinery.constants import PaymentMethod
from coop.machinery.firsts import ledger_firsts
from coop.machinery.models import Expense, Machine, OtherIncome, ServiceOrder, ServicePayment, owes
from coop.machinery.periods import in_year
from coop.machinery.receivables import changed_after
from coop.machinery.surplus import YearFigures, carried_into_next_year, figures
from coop.machinery.years import FIGURE_FIELDS

# a receivable is old once its order is more than a year before the day asked
OLD_RECEIVABLE_DAYS = 365


def _closes(ids: list[int], years: tuple[int, ...]) -> dict[tuple[int, int], YearClose]:
    return {(c.cooperative_id, c.year): c for c in db.session.scalars(
        select(YearClose).where(YearClose.cooperative_id.in_(ids), YearClose.year.in_(years)))}


def _grouped(query) -> dict[int, tuple[int, ...]]:
    return {row[0]: tuple(int(v or 0) for v in row[1:]) for row in db.session.execute(query)}


def _by_year(query) -> dict[tuple[int, int], tuple[int, ...]]:
    """(cooperative id, year) -> the figures of a query grouped by both."""
    return {(row[0], int(row[1])): tuple(int(v or 0) for v in row[2:])
            for row in db.session.execute(query) if row[1] is not None}


def _depreciation(ids: list[int], years: list[int]) -> dict[tuple[int, int], int]:
    """(cooperative id, year) -> the year's depreciation of its machines
    (``machine_terms``' columns read as rows, not as records, once for every year)."""
    out: dict[tuple[int, int], int] = {}
    rows = db.session.execute(
        select(Machine.cooperative_id, Machine.original_value_fen, Machine.salvage_rate_bp,
               Machine.useful_life_months, Machine.acquired_on, Machine.disposed_on)
        .where(Machine.cooperative_id.in_(ids)))
    for coop_id, *terms in rows:
        machine = depreciation.Terms(*terms)
        for year in years:
            key = (coop_id, year)
            out[key] = out.get(key, 0) + depreciation.year_amount(machine, year)
    return out


def _year_of(column, years: Sequence[int]):
    """SQL: the year of ``years`` that the date ``column`` falls in (a label
    that GROUP BY names)."""
    return case(*((in_year(column, year), year) for year in years)).label("year")


def _in_years(column, years: Sequence[int]):
    """SQL: ``column`` falls from the first of ``years`` to the last (one
    index range; the days of a year between them not asked have no year)."""
    return column.between(date(min(years), 1, 1), date(max(years), 12, 31))


def year_figures_of(coop_ids: Iterable[int], year: int) -> dict[int, YearFigures]:
    """cooperative id -> the year's figures (every cooperative asked is in it)."""
    return years_figures_of(coop_ids, (year,))[year]


def years_figures_of(coop_ids: Iterable[int], years: Sequence[int]) -> dict[int, dict[int, YearFigures]]:
    """year -> cooperative id -> the year's figures, for each of ``years``
    (every cooperative asked is in each): one pass over each kind of entry
    for all the years."""
    ids, years = list(coop_ids), sorted(set(years))
    closes = _closes(ids, tuple(sorted({y - 1 for y in years} | set(years))))
    member_order = ServiceOrder.member_id.is_not(None)
    on = ServiceOrder.service_on
    in_year_of = _year_of(on, years)
    orders = _by_year(
        select(ServiceOrder.cooperative_id, in_year_of,
               func.sum(case((member_order, ServiceOrder.amount_fen), else_=0)),
               func.sum(case((ServiceOrder.client_id.is_not(None), ServiceOrder.amount_fen), else_=0)))
        .where(ServiceOrder.cooperative_id.in_(ids), _in_years(on, years))
        .group_by(ServiceOrder.cooperative_id, in_year_of))
    on = OtherIncome.received_on
    in_year_of = _year_of(on, years)
    incomes = _by_year(
        select(OtherIncome.cooperative_id, in_year_of,
               func.sum(case((OtherIncome.distributable.is_(True), OtherIncome.amount_fen), else_=0)),
               func.sum(case((OtherIncome.distributable.is_(False), OtherIncome.amount_fen), else_=0)))
        .where(OtherIncome.cooperative_id.in_(ids), _in_years(on, years))
        .group_by(OtherIncome.cooperative_id, in_year_of))
    on = Expense.spent_on
    in_year_of = _year_of(on, years)
    expenses = _by_year(
        select(Expense.cooperative_id, in_year_of, func.sum(Expense.amount_fen))
        .where(Expense.cooperative_id.in_(ids), _in_years(on, years))
        .group_by(Expense.cooperative_id, in_year_of))
    open_ids = sorted({i for i in ids for y in years if (i, y) not in closes})
    depreciation_of = _depreciation(open_ids, years) if open_ids else {}
    out: dict[int, dict[int, YearFigures]] = {}
    for year in years:
        of_year = out[year] = {}
        for coop_id in ids:
            closed = closes.get((coop_id, year))
            if closed is not None:
                of_year[coop_id] = YearFigures(
                    year=year, closed=True, retained_fen=closed.carry_forward_fen,
                    distributed_fen=closed.distributed_fen,
                    **{name: getattr(closed, name) for name in FIGURE_FIELDS})
                continue
            previous = closes.get((coop_id, year - 1))
            carried = (carried_into_next_year(previous.surplus_fen, previous.distributed_fen)
                       if previous is not None else (0, 0))
            members, nonmembers = orders.get((coop_id, year), (0, 0))
            other, grants = incomes.get((coop_id, year), (0, 0))
            of_year[coop_id] = figures(
                year, service_income_members_fen=members, service_income_nonmembers_fen=nonmembers,
                other_income_fen=other, nondistributable_income_fen=grants,
                expenses_fen=expenses.get((coop_id, year), (0,))[0],
                depreciation_fen=depreciation_of.get((coop_id, year), 0),
                carried_surplus_fen=carried[0], carried_loss_fen=carried[1])
    return out


def closed_years_of(coop_ids: Iterable[int], years: Iterable[int]) -> set[tuple[int, int]]:
    """(cooperative id, year) of each of ``years`` the cooperative has closed."""
    return set(db.session.execute(
        select(YearClose.cooperative_id, YearClose.year)
        .where(YearClose.cooperative_id.in_(list(coop_ids)), YearClose.year.in_(list(years)))).all())


def first_ledger_days(coop_ids: Iterable[int]) -> dict[int, date]:
    """cooperative id -> the first day its ledger has anything on (an entry,
    or a machine's acquisition); cooperatives with none are left out. One
    query (``firsts.ledger_firsts``)."""
    return {coop_id: firsts.day for coop_id, firsts in ledger_firsts(coop_ids).items()}


class ReceivableTally(NamedTuple):
    total_fen: int  # what clients owe on ``as_of``
    old_fen: int    # of it, on orders more than a year old


def receivable_tallies(coop_ids: Iterable[int], as_of: date) -> dict[int, ReceivableTally]:
    """cooperative id -> what clients still owe, as ``receivables.receivables``
    counts it (an order less its reversals and payments), and the part of it
    over a year old; cooperatives owed nothing are left out.

    Read from each order's kept ``unpaid_fen`` (every payment and reversal
    so far), through the partial index of the orders that owe; then, for
    the orders that a payment or order reversal dated after ``as_of``
    touched (none on the usual day asked, today), what they owed on
    ``as_of`` instead (``_later_changes``). Every other order owed on
    ``as_of`` what it owes now: nothing dated after it has changed it."""
    ids = list(coop_ids)
    if not ids:
        return {}
    out = kept_receivable_tallies(ids, as_of)
    for coop_id, change in _later_changes(ids, as_of).items():
        kept = out.get(coop_id, ReceivableTally(0, 0))
        out[coop_id] = ReceivableTally(kept.total_fen + change.total_fen,
                                       kept.old_fen + change.old_fen)
    return {coop_id: tally for coop_id, tally in out.items() if tally.total_fen > 0}


def _tallies(query) -> dict[int, ReceivableTally]:
    return {coop_id: ReceivableTally(*values) for coop_id, values in _grouped(query).items()}


def kept_receivable_tallies(coop_ids: Iterable[int], as_of: date) -> dict[int, ReceivableTally]:
    """``receivable_tallies`` from the orders' ``unpaid_fen`` (every payment
    and reversal so far): exact on ``as_of`` when no payment is dated after it."""
    old = ServiceOrder.service_on < as_of - timedelta(days=OLD_RECEIVABLE_DAYS)
    return _tallies(
        select(ServiceOrder.cooperative_id, func.sum(ServiceOrder.unpaid_fen),
               func.sum(case((old, ServiceOrder.unpaid_fen), else_=0)))
        .where(ServiceOrder.cooperative_id.in_(list(coop_ids)), owes(),
               ServiceOrder.service_on <= as_of)
        .group_by(ServiceOrder.cooperative_id))


def _owing(fen):
    """SQL: what an order's balance ``fen`` counts among receivables (nothing
    below nothing: a balance a later-dated payment's reversal would put below
    zero on an earlier day is left out, as ``paid_receivable_tallies`` does)."""
    return case((fen > 0, fen), else_=0)


def _later_changes(ids: list[int], as_of: date) -> dict[int, ReceivableTally]:
    """cooperative id -> by how much the receivables on ``as_of`` differ from
    the kept ones: for each order up to ``as_of`` that a payment or order
    reversal dated after it touched, what it owed on ``as_of`` (its kept
    ``unpaid_fen`` with those payments added back and those reversals taken
    off again) less what it owes now. Reads only the payments and reversals
    dated after ``as_of`` (by their date indexes) and their orders (by id):
    reading every owing order this way cost 1.2 s on SQLite at 1,000,000
    orders (issue 19)."""
    later = changed_after(ids, as_of)
    change = _owing(ServiceOrder.unpaid_fen + later.c.fen) - _owing(ServiceOrder.unpaid_fen)
    old = ServiceOrder.service_on < as_of - timedelta(days=OLD_RECEIVABLE_DAYS)
    return _tallies(select(ServiceOrder.cooperative_id, func.sum(change),
                           func.sum(case((old, change), else_=0)))
                    .join(later, later.c.order_id == ServiceOrder.id)
                    .where(ServiceOrder.reverses_id.is_(None), ServiceOrder.service_on <= as_of)
                    .group_by(ServiceOrder.cooperative_id))


def paid_receivable_tallies(coop_ids: Iterable[int], as_of: date) -> dict[int, ReceivableTally]:
    """``receivable_tallies`` read from the payments dated up to ``as_of``
    and the reversals dated up to it, order by order, as
    ``receivables.receivables`` counts them: the definition the kept
    readings above are tested against."""
    ids = list(coop_ids)
    paid = (select(ServicePayment.order_id, func.sum(ServicePayment.amount_fen).label("paid"))
            .where(ServicePayment.cooperative_id.in_(ids), ServicePayment.paid_on <= as_of)
            .group_by(ServicePayment.order_id).subquery())
    rev = ServiceOrder.__table__.alias("rev")
    reversed_ = (select(rev.c.reverses_id.label("order_id"), func.sum(rev.c.amount_fen).label("rev"))
                 .where(rev.c.reverses_id.is_not(None), rev.c.cooperative_id.in_(ids),
                        rev.c.service_on <= as_of)
                 .group_by(rev.c.reverses_id).subquery())
    outstanding = (ServiceOrder.amount_fen + func.coalesce(reversed_.c.rev, 0)
                   - func.coalesce(paid.c.paid, 0))
    per_order = (
        select(ServiceOrder.cooperative_id.label("coop_id"), ServiceOrder.service_on.label("on"),
               outstanding.label("owed"))
        .outerjoin(paid, paid.c.order_id == ServiceOrder.id)
        .outerjoin(reversed_, reversed_.c.order_id == ServiceOrder.id)
        .where(ServiceOrder.cooperative_id.in_(ids), ServiceOrder.reverses_id.is_(None),
               ServiceOrder.service_on <= as_of, outstanding > 0)
        .subquery())
    old = per_order.c.on < as_of - timedelta(days=OLD_RECEIVABLE_DAYS)
    return _tallies(select(per_order.c.coop_id, func.sum(per_order.c.owed),
                           func.sum(case((old, per_order.c.owed), else_=0)))
                    .group_by(per_order.c.coop_id))


class LargeExpense(NamedTuple):
    cooperative_id: int
    expense_id: int
    spent_on: date
    amount_fen: int
    payee: str
    method: str | None  # None: recorded before the payment method was asked


def large_expenses(coop_ids: Iterable[int], start: date, end: date,
                   threshold_fen: int) -> list[LargeExpense]:
    """Single expenses of at least ``threshold_fen`` dated from ``start`` to
    ``end`` paid in cash, or whose payment method was not recorded (reversals
    and reversed entries left out)."""
    reversed_ids = select(Expense.reverses_id).where(Expense.reverses_id.is_not(None))
    rows = db.session.execute(
        select(Expense.cooperative_id, Expense.id, Expense.spent_on, Expense.amount_fen, Expense.payee,
               Expense.method)
        .where(Expense.cooperative_id.in_(list(coop_ids)), Expense.spent_on.between(start, end),
               Expense.amount_fen >= threshold_fen, Expense.reverses_id.is_(None),
               or_(Expense.method.is_(None), Expense.method == PaymentMethod.CASH.value),
               Expense.id.not_in(reversed_ids))
        .order_by(Expense.cooperative_id, Expense.spent_on, Expense.id))
    return [LargeExpense(*row) for row in rows]
