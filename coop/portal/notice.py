"""The member's page of the published distribution plan (/me/notice): every
pool the plan splits (the land guarantee, patronage, the rest by shares or by
the book), each line by those pools with its total, and the sums of the
columns, which are the pools to the fen."""
from __future__ import annotations

from dataclasses import dataclass

from coop.dividends.api import DividendLine, DividendPlan, Pool, pools


@dataclass(frozen=True)
class Part:
    pool: Pool
    fen: int


@dataclass(frozen=True)
class NoticeLine:
    line: DividendLine
    parts: list[Part]  # by pool, in the order of ``pools``

    @property
    def total_fen(self) -> int:
        return self.line.total_fen


@dataclass(frozen=True)
class Notice:
    plan: DividendPlan
    pools: list[Pool]
    lines: list[NoticeLine]
    mine: NoticeLine | None  # the member's own line, if they have one

    @property
    def split(self) -> bool:
        """The lines show their parts: there is more than one pool (with one,
        the part is the total)."""
        return len(self.pools) > 1

    @property
    def column_sums(self) -> list[int]:
        """The lines' parts added up by pool: each is the pool, to the fen."""
        return [sum(nl.parts[i].fen for nl in self.lines) for i in range(len(self.pools))]

    @property
    def total_fen(self) -> int:
        return sum(nl.total_fen for nl in self.lines)

    @property
    def pools_total_fen(self) -> int:
        return sum(p.pool_fen for p in self.pools)


def notice(plan: DividendPlan, lines: list[DividendLine], member_id: int) -> Notice:
    taken = pools(plan)
    rows = [NoticeLine(line, [Part(p, p.of(line)) for p in taken]) for line in lines]
    mine = next((r for r in rows if r.line.member_id == member_id), None)
    return Notice(plan, taken, rows, mine)
