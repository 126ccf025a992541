"""How many members a cooperative has by status, and its households with a
vote: kept with the cooperative's roster mark and carried forward by the
transactions that write members.

Counting households (distinct household numbers with an active member)
reads every member: 13-17 ms at 100,000 members, 23 ms for all the counts,
on every view of the roster's first page and of the home page (issue 19).
The counts are kept with the roster mark (``coop.cooperatives.marks``:
renewed by every transaction that adds or deletes a member through the ORM,
or changes what is counted: a status, a household, a joining date; whichever
service makes it). A transaction that only adds members adds them to the
counts (``add_members``: one indexed read of their households); any other
counts afresh as it commits. A cooperative without a mark (members only
loaded in bulk past the ORM) is counted every time."""
from __future__ import annotations

from collections import Counter
from datetime import date
from typing import NamedTuple

from sqlalchemy import bindparam, func, select

from coop.cooperatives.api import MarkCarry, MarkTopic
from coop.extensions import db
from coop.members.constants import MemberStatus
from coop.members.models import Member

ACTIVE = Member.status == MemberStatus.ACTIVE.value
# built once: every member added carries the household count with it
_ACTIVE_IN_HOUSEHOLDS = (
    select(Member.household_no, func.count())
    .where(Member.cooperative_id == bindparam("coop_id"),
           Member.household_no.in_(bindparam("households", expanding=True)), ACTIVE)
    .group_by(Member.household_no))


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


# the most households a carried count reads; more (an import) are counted afresh
HOUSEHOLDS_A_READ = 500


def add_members(coop_id: int, _key: None, counts: MemberCounts,
                added: list[Member]) -> MemberCounts | None:
    """``counts`` with the members ``added`` (inserted, flushed, not yet
    committed) counted in. A household gains its vote when its active
    members now are just those added to it; None when too many households
    to read at once."""
    by_status, total, last_joined = dict(counts.by_status), counts.total, counts.last_joined
    new_in = Counter()
    for member in added:
        total += 1
        by_status[member.status] = by_status.get(member.status, 0) + 1
        if member.status != MemberStatus.ACTIVE.value:
            continue
        if member.household_no:
            new_in[member.household_no] += 1
        if member.joined_on is not None and (last_joined is None or member.joined_on > last_joined):
            last_joined = member.joined_on
    if len(new_in) > HOUSEHOLDS_A_READ:
        return None
    households = counts.households
    if new_in:
        households += sum(1 for household, active in db.session.execute(
            _ACTIVE_IN_HOUSEHOLDS, {"coop_id": coop_id, "households": list(new_in)})
            if active == new_in[household])
    return MemberCounts(by_status, total, households, last_joined)


def _dump(counts: MemberCounts) -> dict:
    return {"by_status": counts.by_status, "total": counts.total, "households": counts.households,
            "last_joined": counts.last_joined.isoformat() if counts.last_joined else None}


def _load(data: dict) -> MemberCounts:
    last = data["last_joined"]
    return MemberCounts(data["by_status"], data["total"], data["households"],
                        date.fromisoformat(last) if last else None)


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


# an edit of a member's name, phone or ID leaves the counts
ROSTER: MarkTopic[MemberCounts] = MarkTopic(
    "roster", (Member,), keep=64,
    columns=frozenset({"cooperative_id", "status", "household_no", "joined_on"}),
    carry=MarkCarry(keys=lambda: frozenset({None}),
                    count=lambda coop_id: {None: count_members(coop_id)}, add=add_members,
                    key=lambda _key: "", unkey=lambda _name: None, dump=_dump, load=_load))
