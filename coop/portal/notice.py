"""The member's page of the published distribution plan (/me/notice): every
pool the plan splits (the land guarantee, patronage, the rest by shares or by
the book), each line by those pools with its total, and the sums of the
columns, which are the pools to the fen."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from coop.dividends.api import DividendLine, DividendPlan


@dataclass(frozen=True)
class Pool:
    """A part of the distribution that goes to members line by line."""

    label: str
    heading: str  # the column's heading in the lines table
    part_label: str  # a member's part of it, on their own card
    pool_fen: int
    part: Callable[[DividendLine], int]

    def of(self, line: DividendLine) -> int:
        return self.part(line)


def pools(plan: DividendPlan) -> list[Pool]:
    """The plan's pools in the order they are taken: the land guarantee first
    (where there is one), patronage (where there is one), the rest."""
    out = []
    if plan.guaranteed_total_fen:
        out.append(Pool("土地保底收益", "土地保底", "土地保底收益", plan.guaranteed_total_fen,
                        lambda line: line.guaranteed_fen))
    if plan.patronage_pool_fen:
        out.append(Pool("按交易量返还", "按交易量", "按交易量返还", plan.patronage_pool_fen,
                        lambda line: line.patronage_fen))
    if plan.is_by_the_book:
        out.append(Pool("按出资额、公积金份额和补助量化返还", "按出资等",
                        "按出资额、公积金份额和补助量化返还", plan.capital_pool_fen,
                        lambda line: line.capital_fen))
    else:
        out.append(Pool("按股分红总额", "按股分红", "按股分红", plan.capital_pool_fen,
                        lambda line: line.capital_fen))
    return out


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
