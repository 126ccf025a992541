"""Pure rules of the plan workflow (no Flask, no database): the public
notice's days and a line's arithmetic. The meeting's vote is
coop.governance.rules.check_resolution."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from coop.money import FEN_PER_YUAN

DEFAULT_NOTICE_DAYS = 7
MAX_NOTICE_DAYS = 60


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

    def exact_yuan_text(self) -> str:
        """The exact share grouped by thousands, like every other amount a person reads."""
        return f"{self.exact_yuan():,}"
