"""An approved specialized plan's quantification in the member accounts
(农民专业合作社法第四十二、四十三条): when the plan is approved, the year's
reserve and grants quantified on its lines are written to the members'
accounts; when a new version is approved in its place, the replaced
version's entries are reversed first. The replaced plan stands, and so do
its entries, until the new version supersedes it: a draft that is never
approved changes no account. Services only flush."""
from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import or_, select

from coop.accounts.api import record_quantification, reverse_quantification
from coop.dividends.models import DividendLine, DividendPlan
from coop.extensions import db


class Quantified(NamedTuple):
    """member id -> this year's reserve share, and -> grant share (fen)."""

    reserve: dict[int, int]
    grants: dict[int, int]


def quantified(plan: DividendPlan) -> Quantified:
    """What the plan's lines quantify to each member this year."""
    rows = db.session.execute(
        select(DividendLine.member_id, DividendLine.reserve_share_fen,
               DividendLine.grant_share_fen)
        .where(DividendLine.plan_id == plan.id,
               or_(DividendLine.reserve_share_fen != 0, DividendLine.grant_share_fen != 0)))
    reserve, grants = {}, {}
    for member_id, reserve_fen, grant_fen in rows:
        if reserve_fen:
            reserve[member_id] = reserve_fen
        if grant_fen:
            grants[member_id] = grant_fen
    return Quantified(reserve, grants)


def record_on_approval(plan: DividendPlan, replaced: DividendPlan | None,
                       user_id: int | None) -> None:
    """Write the approved ``plan``'s quantification to the accounts, after
    reversing that of the version it replaces (``replaced``), if any."""
    if replaced is not None and replaced.is_by_the_book:
        reverse_quantification(plan.cooperative_id, plan.year, plan_id=replaced.id,
                               user_id=user_id)
    if not plan.is_by_the_book:
        return
    amounts = quantified(plan)
    record_quantification(plan.cooperative_id, plan.year, plan_id=plan.id,
                          reserve=amounts.reserve, grants=amounts.grants, user_id=user_id)
