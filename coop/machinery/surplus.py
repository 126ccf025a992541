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
from typing import NamedTuple


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

