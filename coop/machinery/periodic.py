"""The ledger over any run of days, for the financial disclosure (财务公开):
income by kind, expenses by kind, depreciation, cash in and out, what clients
owe at the end, and the single amounts over a threshold one by one.

Orders count on their date (income as earned), payments, other income and
expenses on theirs; a reversal counts on its own date with its sign, so a
run of days adds up to the year (each quarter's figures sum to
``year_figures``)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from coop.extensions import db
from coop.machinery import depreciation
from coop.machinery.constants import ExpenseKind, IncomeKind, Service
from coop.machinery.firsts import ledger_firsts
from coop.machinery.machines import list_machines, machine_terms
from coop.machinery.models import Expense, OtherIncome, ServiceOrder, ServicePayment


@dataclass(frozen=True)
class KindAmount:
    """An amount of one kind: ``key`` the stored kind, ``label`` as shown."""

    key: str
    label: str
    amount_fen: int


@dataclass(frozen=True)
class LedgerItem:
    """One entry of the ledger whose amount is over the threshold."""

    on: date
    side: str  # "income" or "expense"
    kind: str  # its kind's label
    counterparty: str
    amount_fen: int
    note: str = ""


@dataclass(frozen=True)
class PeriodLedger:
    """What the ledger says of the days ``starts_on`` to ``ends_on``."""

    starts_on: date
    ends_on: date
    service_income: list[KindAmount]
    other_income: list[KindAmount]
    expenses: list[KindAmount]
    depreciation_fen: int
    payments_received_fen: int
    other_received_fen: int
    paid_fen: int
    receivables_fen: int  # billed less received, both up to ``ends_on``
    items: list[LedgerItem]

    @property
    def income_fen(self) -> int:
        return sum(k.amount_fen for k in (*self.service_income, *self.other_income))

    @property
    def expenses_fen(self) -> int:
        return sum(k.amount_fen for k in self.expenses)

    @property
    def received_fen(self) -> int:
        return self.payments_received_fen + self.other_received_fen


def _between(column, starts_on: date, ends_on: date):
    return column.between(starts_on, ends_on)


def _by_kind(model, kind_column, date_column, coop_id: int, starts_on: date, ends_on: date,
             kinds) -> list[KindAmount]:
    rows = dict(db.session.execute(
        select(kind_column, func.sum(model.amount_fen))
        .where(model.cooperative_id == coop_id, _between(date_column, starts_on, ends_on))
        .group_by(kind_column)).all())
    return [KindAmount(k.value, k.label, int(rows[k.value])) for k in kinds
            if rows.get(k.value)]


def _sum(query) -> int:
    return int(db.session.scalar(query) or 0)


def depreciation_between(coop_id: int, starts_on: date, ends_on: date) -> int:
    """Depreciation of the calendar months from ``starts_on``'s to ``ends_on``'s."""
    months = []
    year, month = starts_on.year, starts_on.month
    while (year, month) <= (ends_on.year, ends_on.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return sum(depreciation.month_amount(machine_terms(m), y, mo)
               for m in list_machines(coop_id) for y, mo in months)


def _items(coop_id: int, starts_on: date, ends_on: date, over_fen: int) -> list[LedgerItem]:
    """Orders, other income and expenses whose single amount (either sign) is over ``over_fen``."""
    big = lambda column: func.abs(column) > over_fen  # noqa: E731
    items = [LedgerItem(o.service_on, "income", f"作业收入·{Service.label_of(o.service)}",
                        o.client_name, o.amount_fen, o.order_no)
             for o in db.session.scalars(select(ServiceOrder).where(
                 ServiceOrder.cooperative_id == coop_id,
                 _between(ServiceOrder.service_on, starts_on, ends_on),
                 big(ServiceOrder.amount_fen)))]
    items += [LedgerItem(i.received_on, "income", IncomeKind.label_of(i.kind), i.payer,
                         i.amount_fen, i.note)
              for i in db.session.scalars(select(OtherIncome).where(
                  OtherIncome.cooperative_id == coop_id,
                  _between(OtherIncome.received_on, starts_on, ends_on),
                  big(OtherIncome.amount_fen)))]
    items += [LedgerItem(e.spent_on, "expense", ExpenseKind.label_of(e.kind), e.payee,
                         e.amount_fen, e.machine.name if e.machine else e.note)
              for e in db.session.scalars(select(Expense).where(
                  Expense.cooperative_id == coop_id,
                  _between(Expense.spent_on, starts_on, ends_on),
                  big(Expense.amount_fen)))]
    return sorted(items, key=lambda i: (i.on, i.side != "income", -abs(i.amount_fen)))


def period_ledger(coop_id: int, starts_on: date, ends_on: date,
                  major_over_fen: int | None = None) -> PeriodLedger:
    """The ledger of the days ``starts_on`` to ``ends_on`` (both included);
    the single items over ``major_over_fen`` when it is given."""
    received = _sum(select(func.sum(ServicePayment.amount_fen)).where(
        ServicePayment.cooperative_id == coop_id,
        _between(ServicePayment.paid_on, starts_on, ends_on)))
    other_income = _by_kind(OtherIncome, OtherIncome.kind, OtherIncome.received_on, coop_id,
                            starts_on, ends_on, IncomeKind)
    expenses = _by_kind(Expense, Expense.kind, Expense.spent_on, coop_id, starts_on, ends_on,
                        ExpenseKind)
    billed = _sum(select(func.sum(ServiceOrder.amount_fen)).where(
        ServiceOrder.cooperative_id == coop_id, ServiceOrder.service_on <= ends_on))
    paid_in = _sum(select(func.sum(ServicePayment.amount_fen)).where(
        ServicePayment.cooperative_id == coop_id, ServicePayment.paid_on <= ends_on))
    return PeriodLedger(
        starts_on=starts_on, ends_on=ends_on,
        service_income=_by_kind(ServiceOrder, ServiceOrder.service, ServiceOrder.service_on,
                                coop_id, starts_on, ends_on, Service),
        other_income=other_income, expenses=expenses,
        depreciation_fen=depreciation_between(coop_id, starts_on, ends_on),
        payments_received_fen=received,
        other_received_fen=sum(k.amount_fen for k in other_income),
        paid_fen=sum(k.amount_fen for k in expenses),
        receivables_fen=billed - paid_in,
        items=[] if major_over_fen is None else _items(coop_id, starts_on, ends_on, major_over_fen))


def first_ledger_day(coop_id: int) -> date | None:
    """The first day the ledger has anything on: an entry, or a machine's acquisition."""
    firsts = ledger_firsts([coop_id]).get(coop_id)
    return firsts.day if firsts else None
