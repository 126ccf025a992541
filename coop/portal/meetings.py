"""What a member sees of the meetings on /me/: the meetings of their
cooperative (coming up, then held), each agenda item with its outcome and
resolution number, and the member's own attendance and votes (a secret
ballot shows only that they were there). Nobody else's record is read.

A distribution item's plan is open to the members from its disclosure date
(RCEO art 46, FSC art 40): from that day the item links to the plan as
disclosed, before it the plan does not exist for them."""
from __future__ import annotations

from dataclasses import dataclass

from coop import clock
from coop.dividends.api import DividendPlan, WaterfallStep, waterfall
from coop.governance.api import (AgendaItem, ItemKind, Meeting, MemberMeeting, disclosure_wait,
                                 member_meetings)
from coop.members.api import Member
from coop.tenancy import find_owned


@dataclass(frozen=True)
class ItemRow:
    item: AgendaItem
    mine: str | None  # the member's own vote in words, or None when there is nothing to show
    plan: DividendPlan | None = None  # the item's plan once disclosed to the members

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


def _disclosed_plan(member: Member, item: AgendaItem) -> DividendPlan | None:
    """The distribution item's plan if it is open to the members today."""
    if item.kind != ItemKind.DISTRIBUTION.value or item.plan_id is None:
        return None
    plan = find_owned(DividendPlan, item.plan_id, member.cooperative_id)
    if plan is None or plan.disclosed_on is None or plan.disclosed_on > clock.today():
        return None
    return plan


def _row(member: Member, record: MemberMeeting) -> MeetingRow:
    att = record.attendance
    holder = None
    if att is not None and att.proxy_holder_id is not None:
        proxy = find_owned(Member, att.proxy_holder_id, member.cooperative_id)
        holder = proxy.name if proxy is not None else None
    attended = None
    if att is not None:
        attended = att.mode_label if att.is_present else f"{att.status_label}（{att.mode_label}）"
    return MeetingRow(record, [ItemRow(i, _mine(record, i), _disclosed_plan(member, i))
                                  for i in record.items], attended, holder)


def meetings(member: Member) -> list[MeetingRow]:
    """The member's meetings, coming up first (soonest first), then held (latest first)."""
    return [_row(member, r) for r in member_meetings(member)]


def meeting(member: Member, meeting_: Meeting) -> MeetingRow | None:
    """One of ``meetings`` (None for a cancelled meeting)."""
    for r in member_meetings(member):
        if r.meeting.id == meeting_.id:
            return _row(member, r)
    return None


@dataclass(frozen=True)
class DisclosedPlan:
    """A distribution item's plan as disclosed to the members before its meeting."""
    meeting: MeetingRow
    item: AgendaItem
    plan: DividendPlan
    steps: list[WaterfallStep]

    @property
    def meeting_name(self) -> str:
        """The meeting's title, with its body when the title does not name it."""
        m = self.meeting.meeting
        return m.title if m.body_label in m.title else f"{m.title}（{m.body_label}）"

    @property
    def law(self) -> str:
        """The law and article that open the plan to the members before the meeting."""
        return disclosure_wait(self.meeting.meeting.regime).law


def disclosed_plan(member: Member, meeting_: Meeting, item_id: int) -> DisclosedPlan | None:
    """The plan of item ``item_id`` of ``meeting_``, if that item is on this
    meeting's agenda and its plan is disclosed by today; otherwise None."""
    row = meeting(member, meeting_)
    if row is None:
        return None
    for r in row.items:
        if r.item.id == item_id and r.plan is not None:
            return DisclosedPlan(row, r.item, r.plan, waterfall(r.plan))
    return None
