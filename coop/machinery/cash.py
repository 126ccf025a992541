"""Money that is not a service order: expenses (fuel, repairs, wages...) and
other income (rent, interest, grants), each corrected by a reversing entry."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from coop import clock
from coop.cooperatives.api import ensure_date_open
from coop.errors import ValidationFailed
from coop.extensions import db
from coop.labels import LabelledEnum
from coop.limits import MAX_AMOUNT_FEN
from coop.machinery.constants import ExpenseKind, IncomeKind, PaymentMethod
from coop.machinery.models import Expense, Machine, OtherIncome
from coop.machinery.periods import added, ensure_reversible, in_year, reversal_reason
from coop.tenancy import find_owned


def _check_entry(coop_id: int, date_field: str, on: date | None, kind: str | None,
                 kinds: type[LabelledEnum], kind_message: str, amount_fen: int | None,
                 more: dict[str, str]) -> None:
    """The checks every cash entry shares: a date (today at the latest) in an
    open year, a kind, an amount (and the entry's ``more`` errors)."""
    errors = {}
    if on is None:
        errors[date_field] = "请填写日期"
    elif message := clock.future_error(on, "日期"):
        errors[date_field] = message
    if kind not in kinds._value2member_map_:
        errors["kind"] = kind_message
    if amount_fen is None or amount_fen <= 0:
        errors["amount_fen"] = "金额必须大于 0"
    elif amount_fen > MAX_AMOUNT_FEN:
        errors["amount_fen"] = "金额过大，请核对"
    if errors := {**errors, **more}:
        raise ValidationFailed(errors)
    ensure_date_open(coop_id, on, field=date_field)


def create_expense(coop_id: int, spent_on: date | None, kind: str | None, amount_fen: int | None,
                   machine_id: int | None = None, payee: str = "", note: str = "",
                   method: str | None = PaymentMethod.CASH) -> Expense:
    more = {"machine_id": "找不到所选农机"} if machine_id and find_owned(Machine, machine_id, coop_id) is None else {}
    if method not in set(PaymentMethod):
        more["method"] = "请选择付款方式"
    _check_entry(coop_id, "spent_on", spent_on, kind, ExpenseKind, "请选择费用类别", amount_fen, more)
    return added(Expense(cooperative_id=coop_id, spent_on=spent_on, kind=kind, method=method,
                            amount_fen=amount_fen, machine_id=machine_id or None,
                            payee=(payee or "").strip()[:80], note=(note or "").strip()[:200]))


def reverse_expense(coop_id: int, expense: Expense, on: date | None, reason: str) -> Expense:
    ensure_reversible(Expense, expense, "费用")
    reason = reversal_reason(coop_id, on, reason)
    reversal = Expense(cooperative_id=coop_id, spent_on=on, kind=expense.kind, method=expense.method,
                       machine_id=expense.machine_id, amount_fen=-expense.amount_fen,
                       payee=expense.payee, note=f"冲销：{reason}"[:200], reverses_id=expense.id)
    return added(reversal)


def browse_expenses(coop_id: int, year: int, kind: str | None = None,
                    machine_id: int | None = None) -> list[Expense]:
    query = select(Expense).where(Expense.cooperative_id == coop_id,
                                  in_year(Expense.spent_on, year))
    if kind:
        query = query.where(Expense.kind == kind)
    if machine_id:
        query = query.where(Expense.machine_id == machine_id)
    return list(db.session.scalars(query.order_by(Expense.spent_on.desc(), Expense.id.desc())))


def create_income(coop_id: int, received_on: date | None, kind: str | None,
                  amount_fen: int | None, payer: str = "", note: str = "") -> OtherIncome:
    _check_entry(coop_id, "received_on", received_on, kind, IncomeKind, "请选择收入类别",
                 amount_fen, {})
    return added(OtherIncome(cooperative_id=coop_id, received_on=received_on, kind=kind,
                                distributable=IncomeKind(kind).distributable,
                                amount_fen=amount_fen, payer=(payer or "").strip()[:80],
                                note=(note or "").strip()[:200]))


def reverse_income(coop_id: int, income: OtherIncome, on: date | None,
                   reason: str) -> OtherIncome:
    ensure_reversible(OtherIncome, income, "收入")
    reason = reversal_reason(coop_id, on, reason)
    reversal = OtherIncome(cooperative_id=coop_id, received_on=on, kind=income.kind,
                           distributable=income.distributable, amount_fen=-income.amount_fen,
                           payer=income.payer, note=f"冲销：{reason}"[:200],
                           reverses_id=income.id)
    return added(reversal)


def browse_incomes(coop_id: int, year: int) -> list[OtherIncome]:
    return list(db.session.scalars(select(OtherIncome).where(
        OtherIncome.cooperative_id == coop_id, in_year(OtherIncome.received_on, year))
        .order_by(OtherIncome.received_on.desc(), OtherIncome.id.desc())))
