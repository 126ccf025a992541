"""A rural collective with pending membership events, for the confirmation
list and roster tests (tests/test_membership_lists*.py, test_membership_roster*.py)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from coop.cooperatives.api import get_by_code
from coop.extensions import db
from coop.governance import attendance, decisions, meetings
from coop.governance.constants import AttendanceMode, Body, ItemKind
from coop.governance.meetings import ItemSpec
from coop.members.api import Member, MemberStatus, create_member
from coop.membership import lists
from coop.membership.constants import EventReason, EventStatus
from coop.membership.models import MembershipEvent
from tests.conftest_members import make_id

TODAY = date(2026, 6, 15)          # the suite's fixed today
NOTICE_END = date(2026, 6, 21)     # 7 days from today
DECIDABLE = date(2026, 6, 22)
MEETING_ON = date(2026, 6, 26)     # 11 days after the meeting notice


class Village:
    """A rural collective with nine adults on the roster, a newborn and a
    bride recorded as pending gains, and a death recorded as a pending loss."""

    def __init__(self, code: str):
        self.coop = get_by_code(code)
        self.n = 0
        self.adults = [self.person(f"A{i:02d}", household=f"H{i:02d}").id for i in range(1, 10)]
        self.baby, self.baby_event = self.gain("B01", EventReason.BIRTH, born=date(2026, 3, 1),
                                               household="H01")
        self.bride, self.bride_event = self.gain("W01", EventReason.MARRIAGE_IN, born=date(1998, 5, 2),
                                                 household="H02", female=True)
        self.death_event = self.event(self.adults[8], EventReason.DEATH, date(2026, 5, 20))
        db.session.commit()

    def person(self, no: str, *, born: date = date(1980, 1, 1), household: str = "H01",
               female: bool = False) -> Member:
        self.n += 1
        id_number = make_id(self.n * 2 + (0 if female else 1) + 100 * self.coop.id, born)
        return create_member(self.coop, member_no=no, name=f"成员{no}", kind="villager",
                             household_no=household, id_number=id_number,
                             joined_on=max(born, date(2023, 3, 15)))

    def event(self, member_id: int, reason: EventReason, occurs_on: date, **values) -> MembershipEvent:
        event = MembershipEvent(cooperative_id=self.coop.id, member_id=member_id, reason=reason.value,
                                occurs_on=occurs_on, status=EventStatus.PENDING.value, **values)
        db.session.add(event)
        db.session.flush()
        return event

    def gain(self, no: str, reason: EventReason, *, born: date, household: str,
             female: bool = False) -> tuple[Member, MembershipEvent]:
        member = self.person(no, born=born, household=household, female=female)
        member.status = MemberStatus.PENDING.value
        member.joined_on = None
        member.acquired_how = "birth" if reason == EventReason.BIRTH else "marriage"
        member.acquired_on = born if reason == EventReason.BIRTH else date(2026, 4, 1)
        return member, self.event(member.id, reason, member.acquired_on)

    @classmethod
    def of(cls, code: str) -> "Village":
        """The village built earlier (in another app context), read back."""
        village = cls.__new__(cls)
        village.coop = get_by_code(code)
        people = {m.member_no: m for m in db.session.scalars(select(Member).where(
            Member.cooperative_id == village.coop.id))}
        events = {e.member_id: e for e in db.session.scalars(select(MembershipEvent).where(
            MembershipEvent.cooperative_id == village.coop.id))}
        village.adults = [people[f"A{i:02d}"].id for i in range(1, 10)]
        village.baby, village.bride = people["B01"], people["W01"]
        village.baby_event, village.bride_event = events[village.baby.id], events[village.bride.id]
        village.death_event = events[village.adults[8]]
        return village

    @property
    def event_ids(self) -> list[int]:
        return [self.baby_event.id, self.bride_event.id, self.death_event.id]

    def noticed_list(self, start: date = TODAY):
        lst = lists.create_list(self.coop.id, self.event_ids)
        lists.publish(lst, notice_start=start, notice_days=7)
        db.session.commit()
        return lst

    def meeting(self, lst=None, *, meeting_on: date = MEETING_ON, body: str = Body.ASSEMBLY,
                notice_on: date = TODAY):
        return meetings.convene_meeting(
            self.coop.id, regime="collective", body=body, title="2026年第二次成员大会",
            meeting_on=meeting_on, place="村委会", convened_by="理事会", notice_on=notice_on,
            items=[ItemSpec(kind=ItemKind.MEMBERSHIP, title="成员身份确认",
                            membership_list_id=lst.id if lst else None)])

    def vote(self, item, choice: str, people: list[int] | None = None) -> None:
        people = self.adults if people is None else people
        for member_id in people:
            attendance.record_attendance(item.meeting, member_id, mode=AttendanceMode.IN_PERSON.value,
                                         present=True)
        for member_id in people:
            decisions.record_vote(item, member_id, choice)
