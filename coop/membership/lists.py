"""Confirmation lists (成员身份确认名单): pending events gathered into a list,
shown to the members as a public notice (公示), objections recorded with
their outcome, and the member assembly's decision (《农村集体经济组织法》
第十二条, 第二十六条第一款第三项) taken through the meetings of the
governance domain (coop.membership.receivers answers its signals).

A list is composed while a draft, frozen once its notice is published, and
decided once: a passed item confirms every event on it and makes a new
roster version, a failed one returns the events to pending. Services flush,
never commit; refusals are ``ServiceError`` / ``ValidationFailed`` naming
the article where a law applies."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Iterable

from sqlalchemy import func, select

from coop import clock
from coop.audit.api import check_version
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.idcodes import gender
from coop.governance.api import AgendaItem, Meeting, Regime, regime_of
from coop.members.api import Member
from coop.membership.constants import EventStatus, ListStatus
from coop.membership.disputes import open_disputes_by_member
from coop.membership.models import ConfirmationList, MembershipEvent, Objection
from coop.membership.rosters import make_version_for_list
from coop.membership.roster_rules import (RCEO, decidable_from, notice_errors, notice_last_day,
                                          notice_refusal)
from coop.tenancy import get_owned

FIELD_LABELS = {
    "title": "名单标题",
    "notice_start": "公示开始日期",
    "notice_days": "公示天数",
    "status": "状态",
    "raised_by": "异议人",
    "raised_on": "提出日期",
    "content": "异议内容",
    "outcome": "处理结果",
    "outcome_on": "处理日期",
    "event_id": "涉及的变动",
}
FSC = "《农民专业合作社法》"


def describe_field(field: str, value: Any) -> tuple[str, str]:
    label = FIELD_LABELS.get(field, field)
    if value in (None, ""):
        return label, "（空）"
    if field == "status":
        return label, ListStatus.label_of(value)
    return label, str(value)


# -- reading ------------------------------------------------------------------------

def lists_of(coop_id: int) -> list[ConfirmationList]:
    """The cooperative's lists, latest first."""
    return list(db.session.scalars(select(ConfirmationList).where(
        ConfirmationList.cooperative_id == coop_id).order_by(ConfirmationList.number.desc())))


def pending_events(coop_id: int) -> list[MembershipEvent]:
    """Events recorded and not yet on a list (nor confirmed, refused or withdrawn)."""
    return list(db.session.scalars(select(MembershipEvent).where(
        MembershipEvent.cooperative_id == coop_id,
        MembershipEvent.status == EventStatus.PENDING.value).order_by(
        MembershipEvent.occurs_on, MembershipEvent.id)))


def events_of(lst: ConfirmationList) -> list[MembershipEvent]:
    """The events on the list (and, once it failed, those it returned to pending)."""
    return list(db.session.scalars(select(MembershipEvent).where(
        MembershipEvent.list_id == lst.id).order_by(MembershipEvent.occurs_on, MembershipEvent.id)))


def objections_of(lst: ConfirmationList) -> list[Objection]:
    return list(db.session.scalars(select(Objection).where(Objection.list_id == lst.id)
                                   .order_by(Objection.raised_on, Objection.id)))


def open_dispute_members(coop_id: int, member_ids: Iterable[int]) -> set[int]:
    """Which of ``member_ids`` have an open dispute over their membership
    (coop.membership.disputes, 《农村集体经济组织法》第五十六条)."""
    return set(open_disputes_by_member(coop_id)) & set(member_ids)


@dataclass(frozen=True)
class ListRow:
    """One event as the list and its notice show it."""

    event: MembershipEvent
    member: Member
    disputed: bool

    @property
    def direction(self) -> str:
        return "增加" if self.event.is_gain else "减少"

    @property
    def gender(self) -> str:
        return gender(self.member.id_number)


def _rows(coop_id: int, events: list[MembershipEvent]) -> list[ListRow]:
    members = {m.id: m for m in db.session.scalars(select(Member).where(
        Member.cooperative_id == coop_id, Member.id.in_([e.member_id for e in events] or [0])))}
    disputed = open_dispute_members(coop_id, members)
    return [ListRow(e, members[e.member_id], e.member_id in disputed) for e in events]


def list_rows(lst: ConfirmationList) -> list[ListRow]:
    return _rows(lst.cooperative_id, events_of(lst))


def pending_rows(coop_id: int) -> list[ListRow]:
    """The pending events with their people, to gather into a list."""
    return _rows(coop_id, pending_events(coop_id))


@dataclass(frozen=True)
class NoticeFacts:
    """The notice's days as the pages state them."""

    start: date | None
    days: int
    last_day: date | None
    decidable_from: date | None
    running: bool
    over: bool


def notice_facts(lst: ConfirmationList, today: date | None = None) -> NoticeFacts:
    today = today or clock.today()
    if lst.notice_start is None:
        return NoticeFacts(None, lst.notice_days, None, None, False, False)
    last = notice_last_day(lst.notice_start, lst.notice_days)
    return NoticeFacts(lst.notice_start, lst.notice_days, last,
                       decidable_from(lst.notice_start, lst.notice_days),
                       lst.notice_start <= today <= last, today > last)


def open_item_of(lst: ConfirmationList) -> AgendaItem | None:
    """The undecided item of a meeting not cancelled that puts the list to the vote."""
    return db.session.scalar(select(AgendaItem).join(Meeting, Meeting.id == AgendaItem.meeting_id)
                             .where(AgendaItem.cooperative_id == lst.cooperative_id,
                                    AgendaItem.membership_list_id == lst.id,
                                    AgendaItem.outcome.is_(None),
                                    Meeting.status != "cancelled").limit(1))


def deciding_item_of(lst: ConfirmationList) -> AgendaItem | None:
    """The item that decided the list, once decided."""
    return db.session.scalar(select(AgendaItem).where(
        AgendaItem.cooperative_id == lst.cooperative_id, AgendaItem.membership_list_id == lst.id,
        AgendaItem.outcome.is_not(None)).order_by(AgendaItem.id.desc()).limit(1))


# -- composing -----------------------------------------------------------------------

def _ensure_draft(lst: ConfirmationList) -> None:
    if lst.status != ListStatus.DRAFT:
        raise ServiceError(f"名单已{lst.status_label}，内容不能再更改；"
                           "公示中的名单可以先撤回公示（回到草稿）再修改")


def _pending_of(coop_id: int, event_ids: Iterable[Any]) -> list[MembershipEvent]:
    events = []
    for event_id in event_ids:
        event = get_owned(MembershipEvent, event_id, coop_id)
        if event.status != EventStatus.PENDING:
            raise ServiceError(f"变动（{event.reason_label}）{event.status_label}，不能列入确认名单",
                               field="event_ids")
        events.append(event)
    return events


def create_list(coop_id: int, event_ids: Iterable[Any], *, title: str = "",
                user_id: int | None = None) -> ConfirmationList:
    """A draft list of the pending events ``event_ids`` (at least one),
    numbered after the cooperative's last list."""
    ids = list(dict.fromkeys(event_ids))
    if not ids:
        raise ServiceError("请至少选择一项待确认的成员身份变动", field="event_ids")
    events = _pending_of(coop_id, ids)
    title = (title or "").strip()
    if len(title) > 120:
        raise ServiceError("名单标题不能超过 120 个字", field="title")
    today = clock.today()
    number = (db.session.scalar(select(func.max(ConfirmationList.number)).where(
        ConfirmationList.cooperative_id == coop_id)) or 0) + 1
    if not title:
        this_year = db.session.scalar(select(func.count()).select_from(ConfirmationList).where(
            ConfirmationList.cooperative_id == coop_id,
            ConfirmationList.created_on >= date(today.year, 1, 1))) or 0
        title = f"{today.year}年第{this_year + 1}批成员身份确认名单"
    lst = ConfirmationList(cooperative_id=coop_id, number=number, title=title, created_on=today,
                           status=ListStatus.DRAFT.value)
    db.session.add(lst)
    db.session.flush()
    for event in events:
        event.status = EventStatus.LISTED.value
        event.list_id = lst.id
    db.session.flush()
    return lst


def add_events(lst: ConfirmationList, event_ids: Iterable[Any],
               expected_version: int | None = None) -> ConfirmationList:
    _ensure_draft(lst)
    check_version(lst, expected_version, describe_field)
    events = _pending_of(lst.cooperative_id, list(dict.fromkeys(event_ids)))
    if not events:
        raise ServiceError("请至少选择一项待确认的成员身份变动", field="event_ids")
    for event in events:
        event.status = EventStatus.LISTED.value
        event.list_id = lst.id
    db.session.flush()
    return lst


def remove_event(lst: ConfirmationList, event_id: Any,
                 expected_version: int | None = None) -> MembershipEvent:
    """Take an event off a draft list: it is pending again."""
    _ensure_draft(lst)
    check_version(lst, expected_version, describe_field)
    event = get_owned(MembershipEvent, event_id, lst.cooperative_id)
    if event.list_id != lst.id or event.status != EventStatus.LISTED:
        raise ServiceError("这项变动不在这份名单上")
    event.status = EventStatus.PENDING.value
    event.list_id = None
    db.session.flush()
    return event


# -- the notice ----------------------------------------------------------------------

def publish(lst: ConfirmationList, *, notice_start: date | None, notice_days: Any,
            expected_version: int | None = None) -> ConfirmationList:
    """Put a draft list to public notice from ``notice_start`` (today or
    later) for ``notice_days`` days. Events flagged under art 8 must have
    been reviewed first."""
    _ensure_draft(lst)
    errors = notice_errors(notice_start, notice_days, clock.today())
    if errors:
        raise ValidationFailed(errors)
    check_version(lst, expected_version, describe_field)
    events = events_of(lst)
    if not events:
        raise ServiceError("名单上没有任何变动，不能公示")
    if unreviewed := [e for e in events if e.awaits_review]:
        raise ServiceError(
            f"{RCEO}第八条：涉及妇女因结婚、离婚等变动成员身份的，须先完成复核再公示；"
            f"名单上有 {len(unreviewed)} 项尚未复核", field="notice_start")
    lst.notice_start = notice_start
    lst.notice_days = notice_days
    lst.status = ListStatus.NOTICED.value
    db.session.flush()
    return lst


def withdraw_notice(lst: ConfirmationList, expected_version: int | None = None) -> ConfirmationList:
    """Take a list off notice, back to a draft (to change it, then notice it
    again for its full days), unless a meeting is to decide it."""
    if lst.status != ListStatus.NOTICED:
        raise ServiceError(f"名单{lst.status_label}，不在公示中")
    check_version(lst, expected_version, describe_field)
    if item := open_item_of(lst):
        raise ServiceError(f"名单已列入 {item.meeting.meeting_on:%Y-%m-%d} 的会议议程，不能撤回公示；"
                           "可以在会上表决不通过，或先取消会议")
    lst.status = ListStatus.DRAFT.value
    lst.notice_start = None
    db.session.flush()
    return lst


# -- objections ----------------------------------------------------------------------

def _objection_values(lst: ConfirmationList, *, raised_by: str, raised_on: date | None,
                      content: str, event_id: Any) -> dict[str, Any]:
    errors: dict[str, str] = {}
    raised_by, content = (raised_by or "").strip(), (content or "").strip()
    if not raised_by:
        errors["raised_by"] = "请填写异议人"
    elif len(raised_by) > 60:
        errors["raised_by"] = "异议人不能超过 60 个字"
    if not content:
        errors["content"] = "请填写异议内容"
    elif len(content) > 5000:
        errors["content"] = "异议内容不能超过 5000 个字"
    if raised_on is None:
        errors["raised_on"] = "请填写提出日期"
    elif message := clock.future_error(raised_on, "提出日期"):
        errors["raised_on"] = message
    elif lst.notice_start is not None and raised_on < lst.notice_start:
        errors["raised_on"] = f"名单 {lst.notice_start:%Y-%m-%d} 起公示，异议不能早于公示"
    event = None
    if event_id not in (None, ""):
        event = get_owned(MembershipEvent, event_id, lst.cooperative_id)
        if event.list_id != lst.id:
            errors["event_id"] = "这项变动不在这份名单上"
    if errors:
        raise ValidationFailed(errors)
    return dict(raised_by=raised_by, raised_on=raised_on, content=content,
                event_id=event.id if event else None)


def record_objection(lst: ConfirmationList, *, raised_by: str, raised_on: date | None,
                     content: str, event_id: Any = None, user_id: int | None = None) -> Objection:
    """An objection raised against the list (or one event on it) while it
    is on notice or awaiting the vote."""
    if lst.status != ListStatus.NOTICED:
        raise ServiceError(f"名单{lst.status_label}，只有公示中（尚未表决）的名单可以登记异议")
    values = _objection_values(lst, raised_by=raised_by, raised_on=raised_on, content=content,
                               event_id=event_id)
    objection = Objection(cooperative_id=lst.cooperative_id, list_id=lst.id,
                          recorded_by_id=user_id, **values)
    db.session.add(objection)
    db.session.flush()
    return objection


def record_outcome(objection: Objection, *, outcome: str, outcome_on: date | None) -> Objection:
    """How an objection was dealt with (explained, event withdrawn, put to
    the assembly...) and when."""
    errors: dict[str, str] = {}
    outcome = (outcome or "").strip()
    if not outcome:
        errors["outcome"] = "请填写处理结果"
    elif len(outcome) > 5000:
        errors["outcome"] = "处理结果不能超过 5000 个字"
    if outcome_on is None:
        errors["outcome_on"] = "请填写处理日期"
    elif outcome_on < objection.raised_on:
        errors["outcome_on"] = f"处理日期不能早于异议提出日期 {objection.raised_on:%Y-%m-%d}"
    elif message := clock.future_error(outcome_on, "处理日期"):
        errors["outcome_on"] = message
    if errors:
        raise ValidationFailed(errors)
    objection.outcome = outcome
    objection.outcome_on = outcome_on
    db.session.flush()
    return objection


# -- the decision --------------------------------------------------------------------

def refusal_for_meeting(coop_id: int, list_id: int, meeting_on: date) -> str | None:
    """Why list ``list_id`` may not be decided by a meeting on ``meeting_on``."""
    lst = get_owned(ConfirmationList, list_id, coop_id)
    if lst.status == ListStatus.DECIDED:
        return f"这份确认名单已于 {lst.decided_on:%Y-%m-%d} 表决（{lst.outcome_label}），不能再次表决"
    if lst.status == ListStatus.DRAFT:
        return notice_refusal(None, lst.notice_days, meeting_on)
    return notice_refusal(lst.notice_start, lst.notice_days, meeting_on)


@dataclass(frozen=True)
class ConfirmationLaw:
    """The articles under which the cooperative's meetings confirm membership."""

    articles: str
    rule: str

    def __str__(self) -> str:
        return f"{self.articles}：{self.rule}"


def regime_law(cooperative: Any) -> ConfirmationLaw:
    if regime_of(cooperative) is Regime.COLLECTIVE:
        return ConfirmationLaw(f"{RCEO}第十二条、第二十六条第一款第三项",
                               "成员由成员大会确认，成员代表大会不得决定（第二十八条）")
    return ConfirmationLaw(f"{FSC}第二十四条", "加入本社须经成员大会或者成员代表大会表决通过")


def decide(item: AgendaItem, confirm: Callable[[MembershipEvent, date], object],
           user_id: int | None = None) -> ConfirmationList:
    """What the decided ``item`` does to its list: passed, every event on it
    is confirmed (``confirm``: what confirming does to the member) and the
    roster gets a new version citing the resolution; failed, the events are
    pending again (they may go on a later list)."""
    lst = get_owned(ConfirmationList, item.membership_list_id, item.cooperative_id)
    if lst.status == ListStatus.DECIDED:
        raise ServiceError("这份确认名单已经表决，不能再次表决")
    day = item.meeting.meeting_on
    events = [e for e in events_of(lst) if e.status == EventStatus.LISTED]
    lst.status = ListStatus.DECIDED.value
    lst.outcome = item.outcome
    lst.decided_on = day
    lst.resolution_no = item.resolution_no
    lst.agenda_item_id = item.id
    for event in events:
        if item.passed:
            confirm(event, day)
        else:
            event.status = EventStatus.PENDING.value
    db.session.flush()
    if item.passed:
        make_version_for_list(lst.cooperative_id, list_id=lst.id, resolution_no=item.resolution_no,
                              made_on=day, user_id=user_id)
    return lst
