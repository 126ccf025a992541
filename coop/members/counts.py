"""How many members a cooperative has by status, and its households with a
vote: counted once a change of its members and kept in the process.

Counting households (distinct household numbers with an active member)
reads every member: 13-17 ms at 100,000 members, on every view of the
roster's first page and of the home page (issue 19). The counts are kept
per cooperative and roster mark (``coop.cooperatives.marks``: renewed by
every transaction that adds or deletes a member through the ORM, or changes
what is counted: a status, a household, a joining date; whichever service
makes it) and counted again when the mark has changed. A cooperative
without a mark (members only loaded in bulk past the ORM) is counted every
time."""
from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import func, select

from coop.cooperatives.api import MarkTopic
from coop.extensions import db
from coop.members.constants import MemberStatus
from coop.members.models import Member

ACTIVE = Member.status == MemberStatus.ACTIVE.value


class MemberCounts(NamedTuple):
    by_status: dict[str, int]  # statuses with anyone in them
    total: int
    households: int  # households with a vote: at least one active member
    last_joined: date | None  # the latest joining of an active member

    @property
    def active(self) -> int:
        return self.by_status.get(MemberStatus.ACTIVE.value, 0)

    def roster(self) -> dict[str, int]:
        """As the roster page shows them: each status with anyone in it, the
        total and the households."""
        return {**self.by_status, "total": self.total, "households": self.households}


# an edit of a member's name, phone or ID leaves the counts
ROSTER: MarkTopic[MemberCounts] = MarkTopic(
    "roster", (Member,), keep=64,
    columns=frozenset({"cooperative_id", "status", "household_no", "joined_on"}))


def member_counts(coop_id: int) -> MemberCounts:
    """The cooperative's counts as of its current roster mark."""
    return ROSTER.get(coop_id, None, lambda: count_members(coop_id))


def kept(coop_id: int, mark: int) -> MemberCounts | None:
    """The counts this process keeps for the cooperative's ``mark``, if any."""
    return ROSTER.kept(coop_id, mark)


def count_members(coop_id: int) -> MemberCounts:
    """The counts read afresh. The few withdrawn and deceased are counted on
    the (cooperative_id, status) index; the active are the rest of the total
    (one pass instead of a GROUP BY of every member)."""
    mine = Member.cooperative_id == coop_id
    total = db.session.scalar(select(func.count()).select_from(Member).where(mine)) or 0
    by_status = {s.value: db.session.scalar(
        select(func.count()).select_from(Member).where(mine, Member.status == s.value)) or 0
        for s in MemberStatus if s != MemberStatus.ACTIVE}
    by_status[MemberStatus.ACTIVE.value] = total - sum(by_status.values())
    households = db.session.scalar(
        select(func.count(func.distinct(Member.household_no)))
        .where(mine, Member.household_no != "", ACTIVE)) or 0
    last_joined = db.session.scalar(select(func.max(Member.joined_on)).where(mine, ACTIVE))
    return MemberCounts({status: n for status, n in by_status.items() if n}, total,
                        households, last_joined)
