"""Members and households of many cooperatives at once (the township and
county overview): one GROUP BY over the members table, never a query per
cooperative."""
from __future__ import annotations

from typing import Iterable, NamedTuple

from sqlalchemy import distinct, func, select

from coop.extensions import db
from coop.members.constants import MemberStatus
from coop.members.models import Member


class MemberTally(NamedTuple):
    members: int     # on the roster (在册), non-members with distribution rights left out
    households: int  # distinct household numbers among them


def member_tallies(coop_ids: Iterable[int]) -> dict[int, MemberTally]:
    """cooperative id -> its members and households (cooperatives without
    members are left out)."""
    household = func.nullif(Member.household_no, "")
    rows = db.session.execute(
        select(Member.cooperative_id, func.count(Member.id), func.count(distinct(household)))
        .where(Member.cooperative_id.in_(list(coop_ids)), Member.status == MemberStatus.ACTIVE,
               Member.distribution_rights_only.is_(False))
        .group_by(Member.cooperative_id))
    return {coop_id: MemberTally(int(members), int(households)) for coop_id, members, households in rows}
