"""The surplus of a year (DESIGN.md "Surplus"). Pure: no Flask, no database.

surplus = service income (members + non-members) + other distributable income
          - expenses - depreciation + surplus carried from earlier years
          - losses carried from earlier years.
Non-distributable income (government grants) is reported but excluded.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass


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


def carried_into_next_year(surplus: int, carry_forward_fen: int) -> tuple[int, int]:
    """(carried surplus, carried loss) that a closed year hands to the next one.

    A loss carries whole; of a positive surplus only the part the cooperative
    chose to keep undistributed (``carry_forward_fen``) carries.
    """
    if surplus < 0:
        return 0, -surplus
    if carry_forward_fen < 0 or carry_forward_fen > surplus:
        raise ValueError("carry forward must be between 0 and the surplus")
    return carry_forward_fen, 0
