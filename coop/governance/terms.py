"""A representative's term ended before its elected end (代表卸任): the
representative died, moved away, lost membership or stood down. The term's
last day becomes ``term_end`` (so every roster by date reads it as it
reads any term), the elected end and the reason stay beside it. Services
flush only."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import or_, select

from coop import clock
from coop.errors import ValidationFailed
from coop.extensions import db
from coop.governance.constants import Body, MeetingStatus
from coop.governance.models import Attendance, Meeting, Representative
from coop.members.api import Member
from coop.tenancy import get_owned

REASON_MAX = 200


def _term_on(coop_id: int, member: Member, day: date) -> Representative | None:
    return db.session.scalar(select(Representative).where(
        Representative.cooperative_id == coop_id, Representative.member_id == member.id,
        Representative.term_start <= day, Representative.term_end >= day))


def _later_meeting(coop_id: int, member: Member, last_day: date) -> Meeting | None:
    """A representative assembly after ``last_day`` that the term reached: one
    held, one on or before today, or one at which the member is recorded.
    Ending the term before it would rewrite who was entitled there."""
    attended = select(Attendance.id).where(Attendance.meeting_id == Meeting.id,
                                           Attendance.member_id == member.id).exists()
    return db.session.scalar(
        select(Meeting)
        .where(Meeting.cooperative_id == coop_id, Meeting.body == Body.REPRESENTATIVES,
               Meeting.status != MeetingStatus.CANCELLED, Meeting.meeting_on > last_day,
               or_(Meeting.status == MeetingStatus.HELD, Meeting.meeting_on <= clock.today(), attended))
        .order_by(Meeting.meeting_on).limit(1))


def end_term(coop_id: int, member_id: Any, *, last_day: date | None, reason: str) -> Representative:
    """End the member's term as a representative on ``last_day`` (the last day
    they are a representative), for ``reason``."""
    member = get_owned(Member, member_id, coop_id)
    reason = " ".join((reason or "").split())
    errors: dict[str, str] = {}
    if last_day is None:
        errors["last_day"] = "请填写卸任日期（担任代表的最后一天）"
    if not reason:
        errors["reason"] = "请填写卸任原因，例如：去世、迁出本村、辞去代表职务"
    elif len(reason) > REASON_MAX:
        errors["reason"] = f"卸任原因不能超过 {REASON_MAX} 个字"
    term = None
    if last_day is not None:
        term = _term_on(coop_id, member, last_day)
        if term is None:
            errors["member_no"] = f"{member.name}（{member.member_no}）在 {last_day:%Y-%m-%d} 不是成员代表"
        elif last_day == term.term_end:
            errors["last_day"] = f"{member.name} 的任期本来就在 {last_day:%Y-%m-%d} 结束"
        elif (meeting := _later_meeting(coop_id, member, last_day)) is not None:
            errors["last_day"] = (f"{meeting.meeting_on:%Y-%m-%d} 的“{meeting.title}”已按 {member.name} "
                                  "是代表召开或登记，卸任日期不能早于这次会议")
    if errors or term is None:
        raise ValidationFailed(errors)
    term.elected_term_end = term.term_end
    term.term_end = last_day
    term.end_reason = reason
    db.session.flush()
    return term
