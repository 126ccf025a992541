"""The surplus of a year (docs/rules.md, "The year close and the surplus"). Pure: no Flask, no database.

surplus = service income (members + non-members) + other distributable income
          - expenses - depreciation + surplus carried from earlier years
          - losses carried from earlier years.
Non-distributable income (government grants) is reported but excluded.

At the close a part of a positive surplus may be retained (kept
undistributed); the year's plan distributes the rest, S = surplus - retained.
What a year carries into the next is exactly what it did not distribute:
surplus - distributed (the retained part once the plan is approved, all of it
while no plan is), or the whole loss. So over any run of years paid out +
funds + carried forward = the years' own results, to the fen.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import NamedTuple, Protocol


@dataclass(frozen=True)
class YearFigures:
    year: int
    service_income_members_fen: int
    service_income_nonmembers_fen: int
    other_income_fen: int            # distributable other income only
    nondistributable_income_fen: int  # government grants: shown, never distributed
    expenses_fen: int
    depreciation_fen: int
    carried_surplus_fen: int
    carried_loss_fen: int
    surplus_fen: int
    closed: bool = False
    retained_fen: int = 0  # kept undistributed at the close (0 while the year is open)
    distributed_fen: int | None = None  # by the year's approved plan; None while there is none

    @property
    def to_distribute_fen(self) -> int:
        """S of the year's plan: the surplus less what was retained at the close."""
        return self.surplus_fen - self.retained_fen

    @property
    def service_income_fen(self) -> int:
        return self.service_income_members_fen + self.service_income_nonmembers_fen

    @property
    def operating_result_fen(self) -> int:
        """The year's own result, before anything carried."""
        return (self.service_income_fen + self.other_income_fen
                - self.expenses_fen - self.depreciation_fen)

    @property
    def rows(self) -> list["SurplusRow"]:
        """The surplus computation, row by row (templates/machinery/_figures.html)."""
        return surplus_rows(self)

    def as_dict(self) -> dict:
        return asdict(self)


def surplus_fen(service_income_members_fen: int, service_income_nonmembers_fen: int,
                other_income_fen: int, expenses_fen: int, depreciation_fen: int,
                carried_surplus_fen: int = 0, carried_loss_fen: int = 0) -> int:
    return (service_income_members_fen + service_income_nonmembers_fen + other_income_fen
            - expenses_fen - depreciation_fen + carried_surplus_fen - carried_loss_fen)


def figures(year: int, *, service_income_members_fen: int, service_income_nonmembers_fen: int,
            other_income_fen: int, nondistributable_income_fen: int, expenses_fen: int,
            depreciation_fen: int, carried_surplus_fen: int = 0, carried_loss_fen: int = 0,
            closed: bool = False) -> YearFigures:
    if carried_surplus_fen < 0 or carried_loss_fen < 0:
        raise ValueError("carried amounts are non-negative")
    return YearFigures(
        year=year,
        service_income_members_fen=service_income_members_fen,
        service_income_nonmembers_fen=service_income_nonmembers_fen,
        other_income_fen=other_income_fen,
        nondistributable_income_fen=nondistributable_income_fen,
        expenses_fen=expenses_fen,
        depreciation_fen=depreciation_fen,
        carried_surplus_fen=carried_surplus_fen,
        carried_loss_fen=carried_loss_fen,
        surplus_fen=surplus_fen(service_income_members_fen, service_income_nonmembers_fen,
                                other_income_fen, expenses_fen, depreciation_fen,
                                carried_surplus_fen, carried_loss_fen),
        closed=closed,
    )


class Carried(NamedTuple):
    """What a closed year hands to the next one."""

    surplus_fen: int
    loss_fen: int


def carried_into_next_year(surplus: int, distributed_fen: int | None) -> Carried:
    """What a year did not distribute: a loss carries whole; of a positive
    surplus, what its approved plan did not distribute (all of it while no
    plan is approved)."""
    if surplus <= 0:
        return Carried(0, -surplus)
    distributed = distributed_fen or 0
    if not 0 <= distributed <= surplus:
        raise ValueError("the distributed amount must be between 0 and the surplus")
    return Carried(surplus - distributed, 0)



class SurplusRow(NamedTuple):
    """A row of a surplus table (templates/_surplus.html)."""

    label: str
    amount_fen: int
    kind: str = ""     # "" a figure, "total" a result, "aside" shown but outside the sum
    cell_id: str = ""  # the amount cell's id, for the one figure a page is found by

    @property
    def is_total(self) -> bool:
        return self.kind == "total"

    @property
    def is_negative(self) -> bool:
        return self.amount_fen < 0


class Figures(Protocol):
    """A year's figures: YearFigures, or the snapshot a distribution plan keeps."""

    service_income_members_fen: int
    service_income_nonmembers_fen: int
    other_income_fen: int
    nondistributable_income_fen: int
    expenses_fen: int
    depreciation_fen: int
    carried_surplus_fen: int
    carried_loss_fen: int
    surplus_fen: int
    retained_fen: int

    @property
    def to_distribute_fen(self) -> int: ...


def surplus_rows(f: Figures, *, after_retention: bool = False) -> list[SurplusRow]:
    """How a year's surplus is computed, row by row; carried amounts and
    grants only when there are any. ``after_retention`` (a plan's page):
    what the close retained comes off, ending with the distributable S;
    otherwise (the ledger's pages) it ends with the year's surplus."""
    rows = [SurplusRow("服务收入（本社成员）", f.service_income_members_fen),
            SurplusRow("服务收入（非成员）", f.service_income_nonmembers_fen),
            SurplusRow("其他可分配收入", f.other_income_fen),
            SurplusRow("减：费用", f.expenses_fen),
            SurplusRow("减：折旧", f.depreciation_fen)]
    if f.carried_surplus_fen:
        rows.append(SurplusRow("加：上年结转未分配盈余", f.carried_surplus_fen))
    if f.carried_loss_fen:
        rows.append(SurplusRow("减：上年结转亏损", f.carried_loss_fen))
    if not after_retention:
        rows.append(SurplusRow("本年可分配盈余", f.surplus_fen, "total", "surplus"))
    elif f.retained_fen:
        rows += [SurplusRow("本年盈余", f.surplus_fen, "total"),
                 SurplusRow("减：年度结账时留存（结转下年）", f.retained_fen)]
    if after_retention:
        rows.append(SurplusRow("可分配盈余", f.to_distribute_fen, "total"))
    if f.nondistributable_income_fen:
        rows.append(SurplusRow("政府补助（不可分配，不计入盈余）", f.nondistributable_income_fen,
                               "aside"))
    return rows
