"""What a member sees of the meetings on /me/: the meetings of their
cooperative (coming up, then held), each agenda item with its outcome and
resolution number, and the member's own attendance and votes (a secret
ballot shows only that they were there). Nobody else's record is read."""
from __future__ import annotations

from dataclasses import dataclass

from coop.governance.api import AgendaItem, Meeting, MemberMeeting, member_meetings
from coop.members.api import Member
from coop.tenancy import find_owned


@dataclass(frozen=True)
class ItemRow:
    item: AgendaItem
    mine: str | None  # the member's own vote in words, or None when there is nothing to show

    @property
    def decided(self) -> bool:
        return self.item.is_decided


@dataclass(frozen=True)
class MeetingRow:
    record: MemberMeeting
    items: list[ItemRow]
    attended: str | None   # how the member attended, in words; None if not recorded
    proxy_holder: str | None

    @property
    def meeting(self) -> Meeting:
        return self.record.meeting

    @property
    def upcoming(self) -> bool:
        return self.record.upcoming


def _mine(record: MemberMeeting, item: AgendaItem) -> str | None:
    vote = record.votes.get(item.id)
    if vote is not None:
        return f"您投了：{vote.choice_label}"
    if item.id in record.secret and record.attendance is not None and record.attendance.is_present:
        return "无记名投票，您已参加，个人选择不记录"
    return None


def _row(member: Member, record: MemberMeeting) -> MeetingRow:
    att = record.attendance
    holder = None
    if att is not None and att.proxy_holder_id is not None:
        proxy = find_owned(Member, att.proxy_holder_id, member.cooperative_id)
        holder = proxy.name if proxy is not None else None
    attended = None
    if att is not None:
        attended = att.mode_label if att.is_present else f"{att.status_label}（{att.mode_label}）"
    return MeetingRow(record, [ItemRow(i, _mine(record, i)) for i in record.items], attended, holder)


def meetings(member: Member) -> list[MeetingRow]:
    """The member's meetings, coming up first (soonest first), then held (latest first)."""
    return [_row(member, r) for r in member_meetings(member)]


def meeting(member: Member, meeting_: Meeting) -> MeetingRow | None:
    """One of ``meetings`` (None for a cancelled meeting)."""
    for r in member_meetings(member):
        if r.meeting.id == meeting_.id:
            return _row(member, r)
    return None
