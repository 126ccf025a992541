"""A closed year's distribution, as the ledger keeps it (docs/rules.md, "The year close and the surplus").

The close retains part of a positive surplus (``carry_forward_fen``); the
year's plan distributes the rest, S = surplus - retained. When a plan is
approved the dividends domain records S here, and the next year carries
exactly what was not distributed: the retained part, or the whole surplus
while no plan is approved. Once the next year is closed its carried figures
are facts, so a year that still has no approved plan can no longer get one:
its surplus went to the next year (else it would be distributed twice).
Services flush; the caller commits.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from coop.cooperatives.api import YearClose
from coop.errors import ServiceError
from coop.extensions import db
from coop.machinery.periods import get_year_close
from coop.machinery.surplus import carried_into_next_year
from coop.money import format_yuan


def _to_distribute(close: YearClose) -> int:
    return max(close.surplus_fen - close.carry_forward_fen, 0)


def awaiting_plan_fen(coop_id: int, year: int) -> int:
    """What a closed year has to distribute and no approved plan distributes
    yet (0 for an open year, a loss, or once a plan is approved)."""
    close = get_year_close(coop_id, year)
    if close is None or close.distributed_fen is not None:
        return 0
    return _to_distribute(close)


def ensure_distributable(coop_id: int, year: int) -> None:
    """Refuse a plan for ``year`` once the next year is closed carrying the
    surplus that no approved plan of ``year`` distributed."""
    awaiting = awaiting_plan_fen(coop_id, year)
    if awaiting and get_year_close(coop_id, year + 1) is not None:
        raise ServiceError(
            f"{year + 1} 年度已经结账：{year} 年度没有表决通过的分配方案，"
            f"本应分配的 {format_yuan(awaiting)} 元已作为未分配盈余结转到 {year + 1} 年度，"
            f"由 {year + 1} 年度的方案分配。不能再为 {year} 年度分配，否则同一笔盈余会分配两次。")


def record_distribution(coop_id: int, year: int, distributed_fen: int) -> YearClose:
    """Record that the approved plan of the closed ``year`` distributes
    ``distributed_fen`` (funds and lines together): what the close did not
    retain. A new version of an approved plan records the same amount again."""
    close = db.session.scalar(select(YearClose).where(
        YearClose.cooperative_id == coop_id, YearClose.year == year).with_for_update())
    if close is None:
        raise ServiceError(f"{year} 年度还没有结账，不能分配")
    expected = _to_distribute(close)
    if distributed_fen != expected:
        raise ServiceError(
            f"方案分配 {format_yuan(distributed_fen)} 元，与 {year} 年度结账确定的可分配盈余 "
            f"{format_yuan(expected)} 元（盈余 {format_yuan(close.surplus_fen)} 元，"
            f"留存结转下年 {format_yuan(close.carry_forward_fen)} 元）不符，请重新计算方案")
    if close.distributed_fen == distributed_fen:
        return close
    ensure_distributable(coop_id, year)
    close.distributed_fen = distributed_fen
    db.session.flush()
    return close


@dataclass(frozen=True)
class YearDistribution:
    """Where a closed year's surplus goes, for its page."""

    surplus_fen: int
    retained_fen: int
    to_distribute_fen: int  # S of the year's plan
    distributed_fen: int | None  # by the approved plan; None while there is none
    carried_surplus_fen: int  # into the next year, as things stand
    carried_loss_fen: int
    next_year_closed: bool

    @property
    def has_surplus(self) -> bool:
        return self.surplus_fen > 0

    @property
    def plan_approved(self) -> bool:
        return self.distributed_fen is not None

    @property
    def awaiting_fen(self) -> int:
        return 0 if self.plan_approved else self.to_distribute_fen


def year_distribution(coop_id: int, year: int) -> YearDistribution | None:
    """None for an open year."""
    close = get_year_close(coop_id, year)
    if close is None:
        return None
    carried = carried_into_next_year(close.surplus_fen, close.distributed_fen)
    return YearDistribution(
        surplus_fen=close.surplus_fen, retained_fen=close.carry_forward_fen,
        to_distribute_fen=_to_distribute(close), distributed_fen=close.distributed_fen,
        carried_surplus_fen=carried.surplus_fen, carried_loss_fen=carried.loss_fen,
        next_year_closed=get_year_close(coop_id, year + 1) is not None)
