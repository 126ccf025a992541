"""A specialized cooperative's plan from the books (农民专业合作社法 arts
42-44): the member accounts' balances before the year, the capital on the
record date and the year's grants (``coop.accounts``), the members on the
record date; the pure calculation is :mod:`coop.dividends.fsc`. Reads only:
``coop.dividends.compute`` writes the plan and its lines.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import repeat
from typing import Callable, Iterator, Mapping

from sqlalchemy import and_, or_, select

from coop.accounts.api import balances_before, capital_fen, year_grants_fen
from coop.cooperatives.api import Cooperative
from coop.dividends.calculation import PlanInputs
from coop.dividends.fsc import FscInputs, FscResult, calculate_fsc_plan
from coop.dividends.models import DividendPlan
from coop.extensions import db
from coop.members.api import Member, MemberStatus

# the columns a specialized plan's lines have beyond the joint-stock ones
FSC_LINE_COLUMNS = ("capital_basis_fen", "reserve_share_fen", "reserve_total_fen",
                    "grant_share_fen", "grants_total_fen", "converted_fen", "converted_shares")
LEFT = (MemberStatus.WITHDRAWN.value, MemberStatus.DECEASED.value, MemberStatus.LOST.value)


def members_on(coop_id: int, on: date) -> list[int]:
    """The ids of the cooperative's members on ``on``: joined by then (or
    with no date) and still members, or gone only after it; a member awaiting
    confirmation is none."""
    m = Member.__table__
    joined = or_(m.c.joined_on.is_(None), m.c.joined_on <= on)
    still = or_(m.c.status == MemberStatus.ACTIVE.value,
                and_(m.c.status.in_(LEFT), m.c.status_changed_on > on))
    return list(db.session.scalars(select(m.c.id).where(m.c.cooperative_id == coop_id, joined,
                                                        still)))


def active_members(coop_id: int, ids: set[int]) -> set[int]:
    """Those of ``ids`` who are members now: they may take new shares."""
    m = Member.__table__
    return ids & set(db.session.scalars(select(m.c.id).where(
        m.c.cooperative_id == coop_id, m.c.status == MemberStatus.ACTIVE.value)))


@dataclass(frozen=True)
class AccountFigures:
    """What the member accounts give the year's plan, by member id."""

    capital_fen: Mapping[int, int]
    reserve_before_fen: Mapping[int, int]
    grants_before_fen: Mapping[int, int]
    year_grants_fen: int
    members: list[int]

    @classmethod
    def gather(cls, coop: Cooperative, year: int, on: date) -> "AccountFigures":
        before = balances_before(coop.id, year)
        return cls(capital_fen=capital_fen(coop.id, on),
                   reserve_before_fen={m: b.reserve_fen for m, b in before.items() if b.reserve_fen},
                   grants_before_fen={m: b.grants_fen for m, b in before.items() if b.grants_fen},
                   year_grants_fen=year_grants_fen(coop.id, year), members=members_on(coop.id, on))

    @property
    def member_ids(self) -> set[int]:
        """Everyone who may have a line because of their account."""
        return {*self.capital_fen, *self.reserve_before_fen, *self.grants_before_fen,
                *self.members}

    def inputs(self, coop: Cooperative, plan: DividendPlan,
               keyed: Callable[[Mapping[int, int]], dict[str, int]]) -> FscInputs[str]:
        """The pure calculation's inputs, keyed by member number like the plan's."""
        numbers = keyed(dict.fromkeys(self.members, 1))
        convertible = keyed(dict.fromkeys(active_members(coop.id, set(self.members)), 1))
        return FscInputs(
            reserve_basis=plan.reserve_basis, capital_fen=keyed(self.capital_fen),
            reserve_before_fen=keyed(self.reserve_before_fen),
            grants_before_fen=keyed(self.grants_before_fen), year_grants_fen=self.year_grants_fen,
            members=tuple(numbers), conversion_bp=plan.conversion_bp,
            par_value_fen=plan.par_value_fen, convertible=frozenset(convertible))


def calculate(plan: DividendPlan, coop: Cooperative, inputs: PlanInputs[str],
              accounts: AccountFigures,
              keyed: Callable[[Mapping[int, int]], dict[str, int]]) -> FscResult[str]:
    """Snapshot the specialized inputs into ``plan`` and calculate (PlanError
    when the plan cannot stand)."""
    plan.reserve_basis = coop.reserve_basis
    plan.year_grants_fen = accounts.year_grants_fen
    plan.member_count = len(accounts.members)
    result = calculate_fsc_plan(inputs, accounts.inputs(coop, plan, keyed))
    plan.rest_weight_fen = result.rest_weight_fen
    plan.converted_fen = result.converted_fen
    plan.converted_shares = result.converted_shares
    return result


def share_weight_column(result: FscResult[str], weights: Mapping[str, int]) -> Iterator[int]:
    """Each line's share weight (shares on the record date, or share-days):
    the line's ``weight`` as in joint-stock mode, while the rest pool goes by
    the accounts' weights."""
    return map(weights.get, result.plan.columns.keys, repeat(0))


def clear(plan: DividendPlan) -> None:
    """A joint-stock plan has none of the specialized figures."""
    plan.reserve_basis = ""
    plan.year_grants_fen = plan.member_count = plan.conversion_bp = 0
    plan.rest_weight_fen = plan.converted_fen = plan.converted_shares = 0
