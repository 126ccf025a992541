"""Read-only figures of a year for the reports page and its spreadsheets:
month by month, by service, by client group, by machine, by member."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, extract, func, literal, select

from coop.extensions import db
from coop.machinery import depreciation
from coop.cooperatives.api import outside_village_word
from coop.machinery.constants import ClientKind, ExpenseKind, Service, client_kind_label
from coop.machinery.machines import depreciation_by_month, list_machines, machine_terms
from coop.machinery.models import (
    Expense,
    Machine,
    OtherIncome,
    OutsideClient,
    ServiceOrder,
    ServicePayment,
)
from coop.machinery.periods import in_year
from coop.members.api import Member

MONTHS = tuple(range(1, 13))


def _by_month(query_column, amount_column, coop_column, coop_id, year, *where) -> list[int]:
    month = extract("month", query_column)
    rows = db.session.execute(
        select(month, func.sum(amount_column))
        .where(coop_column == coop_id, in_year(query_column, year), *where)
        .group_by(month))
    out = [0] * 12
    for m, total in rows:
        out[int(m) - 1] = int(total or 0)
    return out


@dataclass
class MonthlyReport:
    year: int
    service_income: list[int]
    other_income: list[int]
    grants: list[int]
    expenses: dict[str, list[int]]
    depreciation: list[int]

    @property
    def expense_total(self) -> list[int]:
        return [sum(v[i] for v in self.expenses.values()) for i in range(12)]

    @property
    def income_total(self) -> list[int]:
        return [a + b for a, b in zip(self.service_income, self.other_income)]

    @property
    def result(self) -> list[int]:
        return [i - e - d for i, e, d in zip(self.income_total, self.expense_total,
                                             self.depreciation)]


def monthly_report(coop_id: int, year: int) -> MonthlyReport:
    expenses = {
        kind.value: _by_month(Expense.spent_on, Expense.amount_fen, Expense.cooperative_id,
                              coop_id, year, Expense.kind == kind.value)
        for kind in ExpenseKind
    }
    return MonthlyReport(
        year=year,
        service_income=_by_month(ServiceOrder.service_on, ServiceOrder.amount_fen,
                                 ServiceOrder.cooperative_id, coop_id, year),
        other_income=_by_month(OtherIncome.received_on, OtherIncome.amount_fen,
                               OtherIncome.cooperative_id, coop_id, year,
                               OtherIncome.distributable.is_(True)),
        grants=_by_month(OtherIncome.received_on, OtherIncome.amount_fen,
                         OtherIncome.cooperative_id, coop_id, year,
                         OtherIncome.distributable.is_(False)),
        expenses=expenses,
        depreciation=depreciation_by_month(coop_id, year),
    )


@dataclass
class GroupLine:
    key: str
    label: str
    orders: int
    area_cmu: int
    amount_fen: int


def service_report(coop_id: int, year: int) -> list[GroupLine]:
    rows = {s: (n, a, t) for s, n, a, t in db.session.execute(
        select(ServiceOrder.service, func.count(ServiceOrder.id), func.sum(ServiceOrder.area_cmu),
               func.sum(ServiceOrder.amount_fen))
        .where(ServiceOrder.cooperative_id == coop_id, in_year(ServiceOrder.service_on, year))
        .group_by(ServiceOrder.service))}
    return [GroupLine(s.value, s.label, int(rows[s][0]), int(rows[s][1] or 0), int(rows[s][2] or 0))
            for s in Service if s.value in rows]


def client_group_report(coop_id: int, year: int) -> list[GroupLine]:
    group = case((ServiceOrder.member_id.is_not(None), literal(ClientKind.MEMBER.value)),
                 else_=OutsideClient.kind)
    rows = {g: (n, a, t) for g, n, a, t in db.session.execute(
        select(group, func.count(ServiceOrder.id), func.sum(ServiceOrder.area_cmu),
               func.sum(ServiceOrder.amount_fen))
        .outerjoin(OutsideClient, OutsideClient.id == ServiceOrder.client_id)
        .where(ServiceOrder.cooperative_id == coop_id, in_year(ServiceOrder.service_on, year))
        .group_by(group))}
    word = outside_village_word(coop_id)
    return [GroupLine(k.value, client_kind_label(k, word),
                      int(rows[k][0]), int(rows[k][1] or 0), int(rows[k][2] or 0))
            for k in ClientKind if k.value in rows]


@dataclass
class MachineLine:
    machine: Machine | None
    orders: int
    area_cmu: int
    fuel_cl: int
    income_fen: int
    fuel_fen: int
    repair_fen: int
    other_fen: int
    depreciation_fen: int

    @property
    def margin_fen(self) -> int:
        return (self.income_fen - self.fuel_fen - self.repair_fen - self.other_fen
                - self.depreciation_fen)

    @property
    def at_loss(self) -> bool:
        return self.margin_fen < 0

    @property
    def name(self) -> str:
        return self.machine.name if self.machine else "未指定农机"


def machine_report(coop_id: int, year: int) -> list[MachineLine]:
    orders = {mid: (n, a, f, t) for mid, n, a, f, t in db.session.execute(
        select(ServiceOrder.machine_id, func.count(ServiceOrder.id),
               func.sum(ServiceOrder.area_cmu), func.sum(ServiceOrder.fuel_cl),
               func.sum(ServiceOrder.amount_fen))
        .where(ServiceOrder.cooperative_id == coop_id, in_year(ServiceOrder.service_on, year))
        .group_by(ServiceOrder.machine_id))}
    costs: dict[tuple[int | None, str], int] = {
        (mid, kind): int(total or 0) for mid, kind, total in db.session.execute(
            select(Expense.machine_id, Expense.kind, func.sum(Expense.amount_fen))
            .where(Expense.cooperative_id == coop_id, in_year(Expense.spent_on, year),
                   Expense.machine_id.is_not(None))
            .group_by(Expense.machine_id, Expense.kind))}
    lines = []
    for machine in list_machines(coop_id):
        n, area, fuel, income = orders.get(machine.id, (0, 0, 0, 0))
        fuel_fen = costs.get((machine.id, ExpenseKind.FUEL.value), 0)
        repair_fen = costs.get((machine.id, ExpenseKind.REPAIR.value), 0)
        other_fen = sum(v for (mid, kind), v in costs.items() if mid == machine.id
                        and kind not in (ExpenseKind.FUEL.value, ExpenseKind.REPAIR.value))
        dep = depreciation.year_amount(machine_terms(machine), year)
        if not (n or fuel_fen or repair_fen or other_fen or dep):
            continue
        lines.append(MachineLine(machine, int(n), int(area or 0), int(fuel or 0),
                                 int(income or 0), fuel_fen, repair_fen, other_fen, dep))
    if None in orders:
        n, area, fuel, income = orders[None]
        lines.append(MachineLine(None, int(n), int(area or 0), int(fuel or 0), int(income or 0),
                                 0, 0, 0, 0))
    return lines


@dataclass
class MemberLine:
    member: Member
    orders: int
    area_cmu: int
    amount_fen: int
    paid_fen: int


def member_report(coop_id: int, year: int) -> list[MemberLine]:
    """Each member's service transactions in the year (amounts as member_transactions)."""
    of_year = in_year(ServiceOrder.service_on, year)
    rows = db.session.execute(
        select(ServiceOrder.member_id, func.count(ServiceOrder.id),
               func.sum(ServiceOrder.area_cmu), func.sum(ServiceOrder.amount_fen))
        .where(ServiceOrder.cooperative_id == coop_id, ServiceOrder.member_id.is_not(None),
               of_year)
        .group_by(ServiceOrder.member_id)).all()
    paid = dict(db.session.execute(
        select(ServiceOrder.member_id, func.sum(ServicePayment.amount_fen))
        .join(ServiceOrder, ServiceOrder.id == ServicePayment.order_id)
        .where(ServiceOrder.cooperative_id == coop_id, ServiceOrder.member_id.is_not(None),
               of_year)
        .group_by(ServiceOrder.member_id)).all())
    members = {m.id: m for m in db.session.scalars(
        select(Member).where(Member.id.in_([r[0] for r in rows])))} if rows else {}
    lines = [MemberLine(members[mid], int(n), int(area or 0), int(total or 0),
                        int(paid.get(mid) or 0)) for mid, n, area, total in rows]
    lines.sort(key=lambda line: line.member.member_no)
    return lines

