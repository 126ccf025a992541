"""Who comes to a meeting: confirmations before it (by phone), the sign-in
on the day, and the forecast the secretary calls round with.

A person's attendance is one row per meeting: ``confirmed`` beforehand,
``present`` once signed in, in person, online, or by written proxy. Under the
RCEO a proxy holder is another member of full civil capacity of the same
household (农村集体经济组织法第二十七条); a representative attends in person
or online (the article's proxy is for the member assembly). Under the FSC the
law leaves proxies to the charter: any other member on the roster may hold
one. Services only flush."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from coop import clock
from coop.audit.api import check_version
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.governance.constants import (
    AttendanceMode,
    AttendanceStatus,
    Body,
    ItemKind,
    MeetingStatus,
    Regime,
)
from coop.governance.extra_votes import weights_of
from coop.governance.meetings import describe_field, revise
from coop.governance.models import AgendaItem, Attendance, Meeting
from coop.governance.roster import Roster, entitled_voters, not_entitled_reason
from coop.governance.charter import Charter, check_resolution_under_charter
from coop.governance.rules import RCEO, Verdict, check_resolution
from coop.idcodes import is_adult
from coop.members.api import Member
from coop.tenancy import get_owned


def attendances_of(meeting: Meeting) -> list[Attendance]:
    return list(db.session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id)
                                   .order_by(Attendance.id)))


def present_of(meeting: Meeting) -> list[Attendance]:
    """Those signed in (in person, online or by proxy)."""
    return [a for a in attendances_of(meeting) if a.is_present]


def _ensure_recordable(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ServiceError("会议已取消，不能登记参会")
    decided = db.session.scalar(select(func.count()).select_from(AgendaItem).where(
        AgendaItem.meeting_id == meeting.id, AgendaItem.outcome.is_not(None)))
    if decided:
        raise ServiceError("会议已有议题表决完毕，参会登记不能再更改")


def _proxy_error(meeting: Meeting, member: Member, holder: Member | None, roster: Roster) -> str | None:
    if holder is None:
        return "请选择受托人"
    if holder.id == member.id:
        return "受托人不能是委托人本人"
    day = meeting.meeting_on
    if meeting.body == Body.REPRESENTATIVES:
        if meeting.regime == Regime.COLLECTIVE:
            return (f"{RCEO}第二十七条规定的书面委托适用于成员大会；成员代表由户选举产生，"
                    "应本人现场或在线参加成员代表大会，不能委托他人")
        return "成员代表应本人现场或在线参加成员代表大会，不能委托他人"
    if meeting.regime == Regime.SPECIALIZED:
        if holder.id not in roster.ids:
            return f"受托人 {holder.name}（{holder.member_no}）在会议当日不是本社在册成员"
        return None
    law = (f"{RCEO}第二十七条：成员无法在现场参加会议的，可以书面委托本农村集体经济组织同户的"
           "其他具有完全民事行为能力的成员代为参加会议")
    if not member.household_no or holder.household_no != member.household_no:
        return (f"{law}；受托人 {holder.name}（{holder.member_no}，户号 {holder.household_no or '无'}）"
                f"与委托人 {member.name}（户号 {member.household_no or '无'}）不是同一户")
    if holder.id not in roster.ids or is_adult(holder.id_number, day) is not True:
        return (f"{law}；受托人 {holder.name}（{holder.member_no}）在会议当日 {day:%Y-%m-%d} "
                "不是本社在册的具有完全民事行为能力（年满十八周岁）的成员")
    return None


def record_attendance(meeting: Meeting, member_id: Any, *, mode: str, present: bool = True,
                      proxy_holder_id: Any = None, proxy_form: str = "",
                      user_id: int | None = None, expected_version: int | None = None
                      ) -> Attendance:
    """Record (or change) how ``member_id`` attends ``meeting``: confirmed
    beforehand (``present=False``) or signed in (``present=True``, from the
    meeting day on). The votes the person carries were computed when the
    meeting was convened (``extra_votes.weights_of``)."""
    coop_id = meeting.cooperative_id
    member = get_owned(Member, member_id, coop_id)
    _ensure_recordable(meeting)
    roster = entitled_voters(meeting)
    if member.id not in roster.ids:
        raise ServiceError(not_entitled_reason(meeting, member), field="member_id")
    errors: dict[str, str] = {}
    if mode not in {m.value for m in AttendanceMode}:
        errors["mode"] = "请选择参会方式（现场、线上或书面委托）"
    if present and clock.today() < meeting.meeting_on:
        errors["status"] = f"会议在 {meeting.meeting_on:%Y-%m-%d} 召开，当天起才能签到；会前请登记为“已确认参会”"
    holder = None
    proxy_form = (proxy_form or "").strip()
    if mode == AttendanceMode.PROXY:
        if proxy_holder_id not in (None, ""):
            holder = get_owned(Member, proxy_holder_id, coop_id)
        if message := _proxy_error(meeting, member, holder, roster):
            errors["proxy_holder_id"] = message
        if not proxy_form:
            errors["proxy_form"] = "请填写书面委托书的编号或说明"
        elif len(proxy_form) > 120:
            errors["proxy_form"] = "委托书编号或说明不能超过 120 个字"
    else:
        proxy_form = ""
    if errors:
        raise ValidationFailed(errors)
    attendance = db.session.scalar(select(Attendance).where(
        Attendance.meeting_id == meeting.id, Attendance.member_id == member.id))
    status = AttendanceStatus.PRESENT.value if present else AttendanceStatus.CONFIRMED.value
    values = {"status": status, "mode": mode, "proxy_holder_id": holder.id if holder else None,
              "proxy_form": proxy_form}
    if attendance is None:
        attendance = Attendance(cooperative_id=coop_id, meeting_id=meeting.id, member_id=member.id,
                                recorded_by_id=user_id, **values)
        db.session.add(attendance)
    else:
        revise(attendance, values, expected_version, user_id)
    db.session.flush()
    return attendance


def remove_attendance(attendance: Attendance, expected_version: int | None = None) -> None:
    """Withdraw a confirmation or a sign-in made in error, before any decision."""
    meeting = db.session.get(Meeting, attendance.meeting_id)
    _ensure_recordable(meeting)
    check_version(attendance, expected_version, describe_field)
    db.session.delete(attendance)
    db.session.flush()


def withdraw_attendance(meeting: Meeting, member_id: Any,
                        expected_version: int | None = None) -> Member:
    """``remove_attendance`` of ``member_id``'s row at ``meeting``."""
    member = get_owned(Member, member_id, meeting.cooperative_id)
    attendance = db.session.scalar(select(Attendance).where(
        Attendance.meeting_id == meeting.id, Attendance.member_id == member.id))
    if attendance is None:
        raise ServiceError(f"{member.name}（{member.member_no}）没有参会登记，无需撤销")
    remove_attendance(attendance, expected_version)
    return member


# -- the forecast ---------------------------------------------------------------

@dataclass(frozen=True)
class Absentee:
    """An entitled person who has not confirmed: whom to call."""

    member_id: int
    member_no: str
    name: str
    household_no: str
    phone: str


@dataclass(frozen=True)
class ItemForecast:
    item: AgendaItem
    needed_for: int       # the least votes for that pass it
    more_for_majority: int  # needed_for beyond the votes of all who confirmed


@dataclass(frozen=True)
class Forecast:
    entitled: int
    total_votes: int
    confirmed: int        # confirmed or signed in
    present: int          # signed in
    confirmed_votes: int
    needed_for_quorum: int
    more_for_quorum: int
    items: list[ItemForecast]
    not_confirmed: list[Absentee]
    unknown_age: list[Absentee]


def _absentee(member: Member) -> Absentee:
    return Absentee(member.id, member.member_no, member.name, member.household_no, member.phone)


def judge(meeting: Meeting, charter: Charter | None, *, item: str, **counts: Any) -> Verdict:
    """``check_resolution`` for ``meeting`` (under ``charter``'s stricter rules
    when given: ``check_resolution_under_charter``). ValueError for counts
    that cannot be."""
    if charter is None:
        return check_resolution(regime=meeting.regime, body=meeting.body, item=item, **counts)
    if charter.regime != meeting.regime:
        raise ServiceError(f"会议召集时的法律类型为“{meeting.regime_label}”，与章程现在的不同；"
                           "会议按召集时的法律类型表决")
    return check_resolution_under_charter(charter, body=meeting.body, item=item, **counts)


def _quorum_needed(meeting: Meeting, entitled: int, total_votes: int | None) -> int:
    """The least attendance that meets the quorum, asked of the rule itself."""
    low, high = 0, entitled
    while low < high:
        middle = (low + high) // 2
        verdict = judge(meeting, None, item=ItemKind.OTHER, entitled=entitled, present=middle,
                        votes_for=0, votes_against=0, votes_abstain=0, total_votes=total_votes)
        if verdict.quorum_met:
            high = middle
        else:
            low = middle + 1
    return low


def total_votes_of(meeting: Meeting, entitled: int) -> int | None:
    """All voting rights at the meeting (FSC: basic plus extra), None under
    the RCEO's one person one vote."""
    return entitled + meeting.extra_votes if meeting.regime == Regime.SPECIALIZED else None


def forecast(meeting: Meeting, charter: Charter | None = None) -> Forecast:
    """Before the meeting: who is entitled, who confirmed, how many more are
    needed for the quorum and for each item's majority (under ``charter``'s
    stricter majorities when given), and whom to call."""
    roster = entitled_voters(meeting)
    entitled = roster.count
    total = total_votes_of(meeting, entitled)
    rows = [a for a in attendances_of(meeting) if a.member_id in roster.ids]
    confirmed = len(rows)
    weights = weights_of(meeting)
    confirmed_votes = sum(weights.votes_of(a.member_id) for a in rows)
    answered = {a.member_id for a in rows}
    items: list[ItemForecast] = []
    needed_quorum = 0
    if entitled:
        try:
            needed_quorum = _quorum_needed(meeting, entitled, total)
            for item in meeting.items:
                verdict = judge(meeting, charter, item=item.kind, entitled=entitled, present=0,
                                votes_for=0, votes_against=0, votes_abstain=0, total_votes=total)
                items.append(ItemForecast(item, verdict.needed_for,
                                          max(0, verdict.needed_for - confirmed_votes)))
        except ValueError as exc:  # the roster changed since the extra votes were set
            raise ServiceError(f"会议数据有误：{exc}") from None
    return Forecast(
        entitled=entitled, total_votes=total if total is not None else entitled,
        confirmed=confirmed, present=sum(1 for a in rows if a.is_present),
        confirmed_votes=confirmed_votes, needed_for_quorum=needed_quorum,
        more_for_quorum=max(0, needed_quorum - confirmed), items=items,
        not_confirmed=[_absentee(m) for m in roster.voters if m.id not in answered],
        unknown_age=[_absentee(m) for m in roster.unknown_age])


def sign_in_all(meeting: Meeting, member_ids: list[int], *, mode: str = AttendanceMode.IN_PERSON,
                user_id: int | None = None) -> int:
    """Sign ``member_ids`` in at ``meeting`` in one go (a sign-in sheet typed
    afterwards): each must be entitled and not yet registered; the roster is
    computed once. Returns how many were signed in."""
    _ensure_recordable(meeting)
    if clock.today() < meeting.meeting_on:
        raise ServiceError(f"会议在 {meeting.meeting_on:%Y-%m-%d} 召开，当天起才能签到")
    if mode == AttendanceMode.PROXY or mode not in {m.value for m in AttendanceMode}:
        raise ServiceError("成批签到只用于现场或线上参会；书面委托请逐人登记", field="mode")
    roster = entitled_voters(meeting)
    wanted = list(dict.fromkeys(member_ids))
    if outside := [m for m in wanted if m not in roster.ids]:
        member = get_owned(Member, outside[0], meeting.cooperative_id)
        raise ServiceError(not_entitled_reason(meeting, member), field="member_id")
    registered = set(db.session.scalars(select(Attendance.member_id).where(
        Attendance.meeting_id == meeting.id, Attendance.member_id.in_(wanted or [0]))))
    if registered:
        raise ServiceError(f"有 {len(registered)} 人已有参会登记，请逐人更改", field="member_id")
    now = clock.utcnow()
    db.session.add_all([Attendance(cooperative_id=meeting.cooperative_id, meeting_id=meeting.id,
                                   member_id=member_id, status=AttendanceStatus.PRESENT.value,
                                   mode=mode, recorded_by_id=user_id, recorded_at=now)
                        for member_id in wanted])
    db.session.flush()
    return len(wanted)
