"""Pure rules of the plan workflow (no Flask, no database).

The assembly vote (一户一票): every household with a vote counts once; a plan
passes only when the for-votes reach two thirds of *all* households with a
vote (not just of those present), and the counts add up.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from coop.money import FEN_PER_YUAN

DEFAULT_NOTICE_DAYS = 7
MAX_NOTICE_DAYS = 60


def two_thirds_reached(votes_for: int, households_total: int) -> bool:
    """for >= 2/3 x total, in integers: 3 x for >= 2 x total."""
    return households_total > 0 and votes_for * 3 >= households_total * 2


def votes_needed(households_total: int) -> int:
    """The smallest number of for-votes that reaches two thirds."""
    return -(-households_total * 2 // 3)


def vote_errors(households_total: int | None, households_present: int | None,
                votes_for: int | None, votes_against: int | None,
                votes_abstain: int | None) -> dict[str, str]:
    """Field -> message for every problem with the recorded vote; empty when it passes."""
    errors: dict[str, str] = {}
    counts = {
        "households_total": (households_total, "有表决权的户数"),
        "households_present": (households_present, "到会户数"),
        "votes_for": (votes_for, "赞成票"),
        "votes_against": (votes_against, "反对票"),
        "votes_abstain": (votes_abstain, "弃权票"),
    }
    for name, (value, label) in counts.items():
        if value is None:
            errors[name] = f"请填写{label}"
        elif value < 0:
            errors[name] = f"{label}不能为负数"
    if errors:
        return errors
    assert households_total is not None and households_present is not None
    assert votes_for is not None and votes_against is not None and votes_abstain is not None
    if households_total == 0:
        errors["households_total"] = "有表决权的户数不能为 0"
        return errors
    if households_present > households_total:
        errors["households_present"] = (
            f"到会户数 {households_present} 不能超过有表决权的户数 {households_total}")
        return errors
    cast = votes_for + votes_against + votes_abstain
    if cast != households_present:
        errors["votes_abstain"] = (
            f"赞成 {votes_for} + 反对 {votes_against} + 弃权 {votes_abstain} = {cast}，"
            f"与到会户数 {households_present} 不符（一户一票）")
        return errors
    if not two_thirds_reached(votes_for, households_total):
        errors["votes_for"] = (
            f"赞成票 {votes_for} 户未达到全部 {households_total} 户的三分之二"
            f"（至少需要 {votes_needed(households_total)} 户），方案未获通过")
    return errors


def notice_last_day(notice_start: date, notice_days: int) -> date:
    """The last day of a notice of ``notice_days`` days (both ends counted)."""
    return notice_start + timedelta(days=notice_days - 1)


@dataclass(frozen=True)
class PoolShare:
    """How one line's part of one pool was found: pool x weight / total."""

    pool_fen: int
    weight: int
    total_weight: int
    result_fen: int

    @property
    def floor_fen(self) -> int:
        return self.pool_fen * self.weight // self.total_weight if self.total_weight else 0

    @property
    def remainder(self) -> int:
        """The numerator left over: pool x weight mod total."""
        return self.pool_fen * self.weight % self.total_weight if self.total_weight else 0

    @property
    def extra_fen(self) -> int:
        """1 when this line got one of the left-over fen (largest remainders)."""
        return self.result_fen - self.floor_fen

    def exact_yuan(self, places: int = 4) -> Decimal:
        """The exact share in yuan, for display only."""
        if not self.total_weight:
            return Decimal(0)
        value = Decimal(self.pool_fen * self.weight) / self.total_weight / FEN_PER_YUAN
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
