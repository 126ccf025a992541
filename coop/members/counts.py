"""How many members a cooperative has by status, and its households with a
vote: counted once a change of its members and kept in the process.

Counting households (distinct household numbers with an active member)
reads every member: 13-17 ms at 100,000 members, on every view of the
roster's first page and of the home page (issue 19). Every transaction
that writes a member through the ORM, whichever service makes it, gives
the cooperative a new random mark in ``roster_marks`` as it commits; the
counts are kept per cooperative and mark (a few per process) and
counted again when the mark has changed. Reading the mark and the counts
in one transaction, the counts are never older than the mark. A
cooperative without a mark (members only loaded in bulk past the ORM) is
counted every time."""
from __future__ import annotations

import secrets
from collections import OrderedDict
from datetime import date
from itertools import chain
from typing import NamedTuple

from sqlalchemy import event, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from coop.extensions import db
from coop.members.constants import MemberStatus
from coop.members.models import Member, RosterMark

KEPT = 64  # (cooperative, mark) pairs a process keeps
_CHANGED = "coop.members.counts.changed"  # session.info: cooperatives written, to mark

_ACTIVE = Member.status == MemberStatus.ACTIVE.value


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


_kept: OrderedDict[tuple[int, int], MemberCounts] = OrderedDict()


def member_counts(coop_id: int) -> MemberCounts:
    """The cooperative's counts as of its current mark."""
    mark = db.session.scalar(select(RosterMark.mark).where(RosterMark.cooperative_id == coop_id))
    if mark is None or coop_id in db.session.info.get(_CHANGED, ()):
        return count_members(coop_id)  # no mark, or members written in this transaction
    key = (coop_id, mark)
    counts = _kept.get(key)
    if counts is None:
        counts = _kept[key] = count_members(coop_id)
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    else:
        _kept.move_to_end(key)
    return counts


def kept(coop_id: int, mark: int) -> MemberCounts | None:
    """The counts this process keeps for the cooperative's ``mark``, if any."""
    return _kept.get((coop_id, mark))


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
        .where(mine, Member.household_no != "", _ACTIVE)) or 0
    last_joined = db.session.scalar(select(func.max(Member.joined_on)).where(mine, _ACTIVE))
    return MemberCounts({status: n for status, n in by_status.items() if n}, total,
                        households, last_joined)


@event.listens_for(Session, "after_flush")
def _note_changed_rosters(session: Session, _context) -> None:
    """The cooperatives a flush writes a member of, marked at the commit."""
    changed = {o.cooperative_id for o in chain(session.new, session.dirty, session.deleted)
               if isinstance(o, Member) and o.cooperative_id is not None}
    if changed:
        session.info.setdefault(_CHANGED, set()).update(changed)


@event.listens_for(Session, "before_commit")
def _mark_changed_rosters(session: Session) -> None:
    """A new mark for each cooperative the transaction wrote a member of,
    last thing before the commit: the mark's row is locked (PostgreSQL)
    only from here to the commit, after every other lock the transaction
    takes, so two transactions cannot wait on each other through it."""
    session.flush()
    changed = sorted(session.info.pop(_CHANGED, ()))
    if not changed:
        return
    insert = (postgresql.insert if session.get_bind().dialect.name == "postgresql"
              else sqlite.insert)(RosterMark.__table__)
    session.execute(insert.on_conflict_do_update(
        index_elements=["cooperative_id"], set_={"mark": insert.excluded.mark}),
        [{"cooperative_id": c, "mark": secrets.randbits(62)} for c in changed])


@event.listens_for(Session, "after_rollback")
def _forget_changed_rosters(session: Session) -> None:
    session.info.pop(_CHANGED, None)
