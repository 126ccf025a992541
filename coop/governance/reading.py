"""What a member sees of the meetings on their own page (/me/): the
meetings of their cooperative, coming up first, with the agenda, and their
own attendance and votes (nobody else's)."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import bindparam, func, select

from coop import clock
from coop.extensions import db
from coop.governance.constants import MeetingStatus
from coop.governance.models import AgendaItem, Attendance, BallotTally, Meeting, Vote
from coop.members.api import Member


@dataclass(frozen=True)
class MemberMeeting:
    meeting: Meeting
    items: list[AgendaItem]
    attendance: Attendance | None  # the member's own
    votes: dict[int, Vote]         # agenda item id -> the member's own vote
    secret: frozenset[int] = field(default_factory=frozenset)  # ids of items put to a secret ballot

    @property
    def upcoming(self) -> bool:
        return (self.meeting.status == MeetingStatus.PLANNED
                and self.meeting.meeting_on >= clock.today())


# built once: a member's home page counts them on every view
_UPCOMING = select(func.count()).where(
    Meeting.cooperative_id == bindparam("coop_id"), Meeting.status == MeetingStatus.PLANNED.value,
    Meeting.meeting_on >= bindparam("today"))


def upcoming_meetings(coop_id: int) -> int:
    """How many of the cooperative's meetings are still to come (planned, on
    today or later): ``MemberMeeting.upcoming``, counted."""
    return db.session.scalar(_UPCOMING, {"coop_id": coop_id, "today": clock.today()}) or 0


def member_meetings(member: Member) -> list[MemberMeeting]:
    """The meetings of ``member``'s cooperative that were not cancelled: those
    to come first (soonest first), then those held (latest first)."""
    meetings = list(db.session.scalars(
        select(Meeting).where(Meeting.cooperative_id == member.cooperative_id,
                              Meeting.status != MeetingStatus.CANCELLED.value)))
    ids = [m.id for m in meetings]
    attendance = {a.meeting_id: a for a in db.session.scalars(select(Attendance).where(
        Attendance.member_id == member.id, Attendance.meeting_id.in_(ids or [0])))}
    votes: dict[int, Vote] = {v.agenda_item_id: v for v in db.session.scalars(
        select(Vote).where(Vote.member_id == member.id, Vote.cooperative_id == member.cooperative_id))}
    secret = frozenset(db.session.scalars(select(BallotTally.agenda_item_id).where(
        BallotTally.cooperative_id == member.cooperative_id)))
    rows = [MemberMeeting(m, list(m.items), attendance.get(m.id),
                          {i.id: votes[i.id] for i in m.items if i.id in votes},
                          frozenset(i.id for i in m.items if i.id in secret)) for m in meetings]
    coming = sorted((r for r in rows if r.upcoming), key=lambda r: (r.meeting.meeting_on, r.meeting.id))
    past = sorted((r for r in rows if not r.upcoming),
                  key=lambda r: (r.meeting.meeting_on, r.meeting.id), reverse=True)
    return coming + past
