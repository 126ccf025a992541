"""The ledger's years: which to show, their figures (frozen once closed,
computed from the ledger while open), and the year close."""
from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import and_, func, select

from coop import clock
from coop.cooperatives.api import YearClose, is_year_locked, latest_closed_year
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.machinery import depreciation
from coop.machinery.firsts import ledger_firsts
from coop.machinery.machines import depreciation_for_year
from coop.machinery.models import Expense, OtherIncome, ServiceOrder
from coop.machinery.order_figures import sum_income, year_income
from coop.machinery.periods import added, closed_years, get_year_close, in_year, is_year_closed
from coop.machinery.surplus import YearFigures, carried_into_next_year, figures
from coop.money import format_yuan

FIGURE_FIELDS = ("service_income_members_fen", "service_income_nonmembers_fen",
                 "other_income_fen", "nondistributable_income_fen", "expenses_fen",
                 "depreciation_fen", "carried_surplus_fen", "carried_loss_fen", "surplus_fen")


def _sum(query) -> int:
    return int(db.session.scalar(query) or 0)


def _computed_figures(coop_id: int, year: int, kept: bool = False) -> YearFigures:
    members, nonmembers = year_income(coop_id, year) if kept else sum_income(coop_id, year)
    income_in_year = and_(OtherIncome.cooperative_id == coop_id,
                          in_year(OtherIncome.received_on, year))
    other = _sum(select(func.sum(OtherIncome.amount_fen)).where(
        income_in_year, OtherIncome.distributable.is_(True)))
    grants = _sum(select(func.sum(OtherIncome.amount_fen)).where(
        income_in_year, OtherIncome.distributable.is_(False)))
    expenses = _sum(select(func.sum(Expense.amount_fen)).where(
        Expense.cooperative_id == coop_id, in_year(Expense.spent_on, year)))
    previous = get_year_close(coop_id, year - 1)
    carried_surplus, carried_loss = (
        carried_into_next_year(previous.surplus_fen, previous.distributed_fen)
        if previous is not None else (0, 0))
    return figures(year, service_income_members_fen=members,
                   service_income_nonmembers_fen=nonmembers, other_income_fen=other,
                   nondistributable_income_fen=grants, expenses_fen=expenses,
                   depreciation_fen=depreciation_for_year(coop_id, year),
                   carried_surplus_fen=carried_surplus, carried_loss_fen=carried_loss)


def year_figures(coop_id: int, year: int, kept: bool = False) -> YearFigures:
    """The figures of a year: as closed (frozen) for a closed year, computed
    from the ledger for an open one. ``kept``: the service income as the
    order mark keeps it (``order_figures.year_income``; the home page), not
    summed afresh (what a close, a plan and the reports read)."""
    closed = get_year_close(coop_id, year)
    if closed is not None:
        return YearFigures(year=year, closed=True, retained_fen=closed.carry_forward_fen,
                           distributed_fen=closed.distributed_fen,
                           **{name: getattr(closed, name) for name in FIGURE_FIELDS})
    return _computed_figures(coop_id, year, kept)


def member_transactions(coop_id: int, year: int) -> dict[int, int]:
    """member id -> the member's service transactions of the year (fen), net of
    reversals dated in the year; members with no positive total are left out.
    The patronage basis of the specialized mode."""
    rows = db.session.execute(
        select(ServiceOrder.member_id, func.sum(ServiceOrder.amount_fen))
        .where(ServiceOrder.cooperative_id == coop_id, ServiceOrder.member_id.is_not(None),
               in_year(ServiceOrder.service_on, year))
        .group_by(ServiceOrder.member_id)
        .having(func.sum(ServiceOrder.amount_fen) > 0))
    return {member_id: int(total) for member_id, total in rows}


def _first_activity_year(coop_id: int) -> int | None:
    """The first year with an entry, or with the first machine's depreciation
    (from the month after its acquisition)."""
    firsts = ledger_firsts([coop_id]).get(coop_id)
    if firsts is None:
        return None
    years = [firsts.entry.year] if firsts.entry else []
    if firsts.acquired:
        years.append(depreciation.first_month_after(firsts.acquired)[0])
    return min(years)


def ledger_years(coop_id: int, closed: set[int] | None = None) -> list[int]:
    """Years to show: from the first year with any entry to the current year
    (``closed``: the closed years, when the caller has read them)."""
    first = _first_activity_year(coop_id)
    this_year = clock.today().year
    closed = closed_years(coop_id) if closed is None else closed
    start = min([y for y in (first, *closed) if y is not None], default=this_year)
    return list(range(start, max(this_year, *closed, start) + 1))


def close_year(coop_id: int, year: int, user_id: int | None, carry_forward_fen: int = 0,
               expected_surplus_fen: int | None = None, note: str = "") -> YearClose:
    """Lock a year with its figures. Earlier years with entries must be closed first."""
    if is_year_locked(coop_id, year):
        raise ServiceError(f"{year} 年度已经结账" if is_year_closed(coop_id, year)
                           else f"{latest_closed_year(coop_id)} 年度已结账，更早的 {year} 年度不能再结账")
    if year >= clock.today().year:
        raise ServiceError(f"{year} 年度还没有结束，12 月 31 日以后才能结账")
    first = _first_activity_year(coop_id)
    if first is not None:
        closed = closed_years(coop_id)
        still_open = [y for y in range(first, year) if y not in closed]
        if still_open:
            raise ServiceError(f"请先结账 {still_open[0]} 年度（各年度须按顺序结账）")
    # What the previous year carries changes when its plan is approved
    # (coop.machinery.distribution): its row is locked so that cannot cross this close.
    db.session.scalar(select(YearClose).where(
        YearClose.cooperative_id == coop_id, YearClose.year == year - 1).with_for_update())
    result = _computed_figures(coop_id, year)
    if expected_surplus_fen is not None and expected_surplus_fen != result.surplus_fen:
        raise ServiceError("结账期间账目已有变动（盈余由 "
                           f"{format_yuan(expected_surplus_fen)} 元变为 {format_yuan(result.surplus_fen)} 元），"
                           "请核对新的数字后再确认结账")
    carry_forward_fen = carry_forward_fen or 0
    if carry_forward_fen < 0 or (carry_forward_fen > max(result.surplus_fen, 0)):
        raise ValidationFailed({"carry_forward_fen": "留存不分配、结转下年的盈余应在 0 到本年盈余之间"})
    row = YearClose(cooperative_id=coop_id, year=year, closed_at=clock.utcnow(),
                    closed_by_id=user_id, carry_forward_fen=carry_forward_fen,
                    note=(note or "").strip()[:200],
                    **{name: getattr(result, name) for name in FIGURE_FIELDS})
    return added(row)


class YearRow(NamedTuple):
    """A year of the years page: its close (None while open) and figures."""

    year: int
    close: YearClose | None
    figures: YearFigures


def year_rows(coop_id: int) -> list[YearRow]:
    """The ledger's years, newest first."""
    closes = {c.year: c for c in db.session.scalars(
        select(YearClose).where(YearClose.cooperative_id == coop_id))}
    return [YearRow(year, closes.get(year), year_figures(coop_id, year))
            for year in reversed(ledger_years(coop_id))]
