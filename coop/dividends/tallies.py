"""The dividends of many cooperatives at once (the township and county
overview): one GROUP BY cooperative_id over the lines of each cooperative's
effective plan of a year, never a query per cooperative."""
from __future__ import annotations

from datetime import date, datetime
from typing import Iterable, NamedTuple

from sqlalchemy import case, func, select

from coop.dividends.constants import PayoutMethod, PlanStatus
from coop.dividends.models import DividendLine, DividendPlan
from coop.extensions import db
from coop.members.api import MemberKind


class DividendTally(NamedTuple):
    plan_id: int
    status: str
    approved_at: datetime | None
    approved_fen: int    # the lines of the approved plan, added up
    paid_fen: int        # of them, the lines paid out
    collective_fen: int  # the collective entity's lines (the collective's income)


def _effective(ids: list[int], year: int):
    return (DividendPlan.cooperative_id.in_(ids), DividendPlan.year == year,
            DividendPlan.status != PlanStatus.DRAFT, DividendPlan.superseded_by_id.is_(None))


def dividend_tallies(coop_ids: Iterable[int], year: int) -> dict[int, DividendTally]:
    """cooperative id -> the figures of its effective (approved, published or
    paid, not superseded) plan for ``year``; cooperatives without one are left out."""
    ids = list(coop_ids)
    rows = db.session.execute(
        select(DividendPlan.cooperative_id, DividendPlan.id, DividendPlan.status,
               DividendPlan.approved_at,
               func.coalesce(func.sum(DividendLine.total_fen), 0),
               func.coalesce(func.sum(case((DividendLine.paid_on.is_not(None), DividendLine.total_fen),
                                           else_=0)), 0),
               func.coalesce(func.sum(case((DividendLine.kind == MemberKind.COLLECTIVE,
                                            DividendLine.total_fen), else_=0)), 0))
        .outerjoin(DividendLine, DividendLine.plan_id == DividendPlan.id)
        .where(*_effective(ids, year))
        .group_by(DividendPlan.cooperative_id, DividendPlan.id, DividendPlan.status,
                  DividendPlan.approved_at))
    return {row[0]: DividendTally(row[1], row[2], row[3], int(row[4]), int(row[5]), int(row[6]))
            for row in rows}


def drafts_progress(coop_ids: Iterable[int], year: int) -> dict[int, str]:
    """cooperative id -> how far its draft plan for ``year`` has come on its
    way to the meeting ('草案（待监事审核）'), for those with a draft (not a
    preview of a year still open); the latest draft where a cooperative has two."""
    ids = list(coop_ids)
    drafts = db.session.scalars(select(DividendPlan).where(
        DividendPlan.cooperative_id.in_(ids), DividendPlan.year == year,
        DividendPlan.status == PlanStatus.DRAFT, DividendPlan.is_preview.is_(False))
        .order_by(DividendPlan.id))
    return {plan.cooperative_id: plan.progress_label for plan in drafts}


def paid_in_year(coop_ids: Iterable[int], year: int) -> dict[int, int]:
    """cooperative id -> dividends paid out in ``year`` (lines paid that year,
    whatever year's plan they belong to)."""
    rows = db.session.execute(
        select(DividendPlan.cooperative_id, func.sum(DividendLine.total_fen))
        .join(DividendLine, DividendLine.plan_id == DividendPlan.id)
        .where(DividendPlan.cooperative_id.in_(list(coop_ids)),
               DividendLine.paid_on.between(date(year, 1, 1), date(year, 12, 31)))
        .group_by(DividendPlan.cooperative_id))
    return {coop_id: int(total) for coop_id, total in rows}


class CashDividend(NamedTuple):
    cooperative_id: int
    plan_id: int
    plan_year: int
    member_no: str
    name: str
    paid_on: date
    cash_fen: int


def large_cash_dividends(coop_ids: Iterable[int], start: date, end: date,
                         threshold_fen: int) -> list[CashDividend]:
    """Lines paid in cash from ``start`` to ``end`` whose cash part is at least ``threshold_fen``."""
    cash = DividendLine.total_fen - DividendLine.converted_fen
    rows = db.session.execute(
        select(DividendPlan.cooperative_id, DividendPlan.id, DividendPlan.year, DividendLine.member_no,
               DividendLine.name, DividendLine.paid_on, cash)
        .join(DividendLine, DividendLine.plan_id == DividendPlan.id)
        .where(DividendPlan.cooperative_id.in_(list(coop_ids)),
               DividendLine.payment_method == PayoutMethod.CASH,
               DividendLine.paid_on.between(start, end), cash >= threshold_fen)
        .order_by(DividendPlan.cooperative_id, DividendLine.paid_on, DividendLine.member_no))
    return [CashDividend(*row) for row in rows]
