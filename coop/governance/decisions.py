"""Votes, secret-ballot tallies and the decision of an agenda item.

An item is voted on either person by person (``record_vote``: each person
signed in, a proxy's vote recorded under the member who gave it) or by secret
ballot (``record_tally``: the counts, checked against the attendance). The
decision (``decide_item``) counts the roster on the meeting day, the people
signed in and the votes, asks ``check_resolution`` and stores what it
answered: passed or failed, the counts, the least number of votes that
passes and every reason with its article. A failed vote is recorded as
failed; only a passed item gets a resolution number. Services only flush."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from coop import clock
from coop.audit.api import check_version
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.governance.agenda_sources import item_decided, list_refusal, plan_disclosed_on
from coop.governance.attendance import attendances_of, judge, total_votes_of
from coop.governance.charter import Charter
from coop.governance.constants import ItemKind, MeetingStatus, Outcome, VoteChoice
from coop.governance.extra_votes import weights_of
from coop.governance.meetings import describe_field, revise
from coop.governance.models import AgendaItem, Attendance, BallotTally, Meeting, Vote
from coop.governance.roster import entitled_voters
from coop.governance.rules import Verdict, disclosure_wait
from coop.members.api import Member
from coop.tenancy import get_owned


def _ensure_votable(item: AgendaItem) -> Meeting:
    meeting = item.meeting
    if meeting.status == MeetingStatus.CANCELLED:
        raise ServiceError("会议已取消，不能表决")
    if item.is_decided:
        raise ServiceError(f"议题“{item.title}”已表决完毕（{item.outcome_label}），表决记录不能再更改")
    if clock.today() < meeting.meeting_on:
        raise ServiceError(f"会议在 {meeting.meeting_on:%Y-%m-%d} 召开，当天起才能记录表决")
    return meeting


def votes_of(item: AgendaItem) -> list[Vote]:
    return list(db.session.scalars(select(Vote).where(Vote.agenda_item_id == item.id)
                                   .order_by(Vote.id)))


def tally_of(item: AgendaItem) -> BallotTally | None:
    return db.session.scalar(select(BallotTally).where(BallotTally.agenda_item_id == item.id))


def record_vote(item: AgendaItem, member_id: Any, choice: str, *, user_id: int | None = None,
                expected_version: int | None = None) -> Vote:
    """How ``member_id`` (signed in, in person, online or through their proxy
    holder) voted on ``item``; a second call changes it until the decision."""
    meeting = _ensure_votable(item)
    member = get_owned(Member, member_id, item.cooperative_id)
    if choice not in {c.value for c in VoteChoice}:
        raise ServiceError("请选择赞成、反对或弃权", field="choice")
    if tally_of(item) is not None:
        raise ServiceError("这个议题已按无记名投票记录了计票结果，不能再逐人记录表决", field="choice")
    attendance = db.session.scalar(select(Attendance).where(
        Attendance.meeting_id == meeting.id, Attendance.member_id == member.id))
    if attendance is None or not attendance.is_present:
        raise ServiceError(f"{member.name}（{member.member_no}）没有签到参会（本人、线上或书面委托），"
                           "不能记录其表决", field="member_id")
    vote = db.session.scalar(select(Vote).where(Vote.agenda_item_id == item.id,
                                                Vote.member_id == member.id))
    if vote is None:
        vote = Vote(cooperative_id=item.cooperative_id, agenda_item_id=item.id,
                    member_id=member.id, choice=choice, recorded_by_id=user_id)
        db.session.add(vote)
    else:
        check_version(vote, expected_version, describe_field)
        if vote.choice != choice:
            vote.choice = choice
            vote.recorded_by_id = user_id
            vote.recorded_at = clock.utcnow()
    db.session.flush()
    return vote


def _count(errors: dict[str, str], field: str, label: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        errors[field] = f"请填写{label}（整数）"
        return 0
    if value < 0:
        errors[field] = f"{label}不能为负数"
    return value


def record_tally(item: AgendaItem, *, votes_for: Any, votes_against: Any, votes_abstain: Any,
                 invalid: Any = 0, user_id: int | None = None,
                 expected_version: int | None = None) -> BallotTally:
    """The count of a secret ballot on ``item``, in votes. The ballots (for,
    against, abstain and invalid) cannot outnumber the votes of those signed
    in."""
    meeting = _ensure_votable(item)
    errors: dict[str, str] = {}
    counts = {field: _count(errors, field, label, value) for field, label, value in (
        ("votes_for", "同意票数", votes_for), ("votes_against", "反对票数", votes_against),
        ("votes_abstain", "弃权票数", votes_abstain), ("invalid", "废票数", invalid))}
    if errors:
        raise ValidationFailed(errors)
    if votes_of(item):
        raise ServiceError("这个议题已逐人记录了表决，不能再按无记名投票计票", field="votes_for")
    present = [a for a in attendances_of(meeting) if a.is_present]
    weights = weights_of(meeting)
    people, votes = len(present), sum(weights.votes_of(a.member_id) for a in present)
    ballots = sum(counts.values())
    if ballots > votes:
        extra = f"（含附加表决权，共 {votes} 票）" if votes != people else ""
        raise ValidationFailed({"votes_for": (
            f"同意、反对、弃权和废票合计 {ballots} 票，多于签到参会的 {people} 人{extra}，"
            "计票有误，请核对选票")})
    tally = tally_of(item)
    if tally is None:
        tally = BallotTally(cooperative_id=item.cooperative_id, agenda_item_id=item.id,
                            recorded_by_id=user_id, **counts)
        db.session.add(tally)
    else:
        revise(tally, counts, expected_version, user_id)
    db.session.flush()
    return tally


@dataclass(frozen=True)
class Decision:
    item: AgendaItem
    verdict: Verdict


def _vote_counts(item: AgendaItem, present: list[Attendance]) -> tuple[int, int, int] | None:
    """(for, against, abstain) in votes, or None when nothing was recorded."""
    tally = tally_of(item)
    if tally is not None:
        return tally.votes_for, tally.votes_against, tally.votes_abstain
    weights = weights_of(item.meeting)
    weight = {a.member_id: weights.votes_of(a.member_id) for a in present}
    votes = votes_of(item)
    if not votes:
        return None
    sums = {choice.value: 0 for choice in VoteChoice}
    for vote in votes:
        sums[vote.choice] += weight.get(vote.member_id, 0)
    return sums[VoteChoice.FOR], sums[VoteChoice.AGAINST], sums[VoteChoice.ABSTAIN]


def _next_resolution_no(coop_id: int, year: int) -> str:
    prefix = f"{year}-"
    taken = set(db.session.scalars(select(AgendaItem.resolution_no).where(
        AgendaItem.cooperative_id == coop_id, AgendaItem.resolution_no.like(prefix + "%"))))
    n = len(taken) + 1
    while f"{prefix}{n:03d}" in taken:
        n += 1
    return f"{prefix}{n:03d}"


def decide_item(item: AgendaItem, *, disclosed_on: date | None = None,
                resolution_no: str | None = None, charter: Charter | None = None,
                user_id: int | None = None, expected_version: int | None = None) -> Decision:
    """Decide ``item`` from what was recorded, by ``check_resolution`` (or,
    given the cooperative's ``charter``, ``check_resolution_under_charter``).

    ``disclosed_on``: for a distribution item, the day the plan, the year's
    figures and the operating report were opened to the members (RCEO art
    46: 10 days before; FSC art 40: 15); required for such an item. For an
    item naming a plan, the plan's own recorded disclosure is used (asked
    through ``plan_disclosure_requested``). An item naming a membership
    list is refused while the list may not be decided (``list_refusal``:
    its public notice has not run). ``item_decided`` is sent once the
    outcome is recorded.
    ``resolution_no``: the cooperative's own number for a passed item
    (default: year-sequence, e.g. 2025-001)."""
    meeting = _ensure_votable(item)
    check_version(item, expected_version, describe_field)
    if item.membership_list_id is not None and (
            refusal := list_refusal(item.cooperative_id, item.membership_list_id, meeting.meeting_on)):
        raise ServiceError(refusal)
    errors: dict[str, str] = {}
    disclosed_days = None
    if item.kind == ItemKind.DISTRIBUTION:
        if item.plan_id is not None:
            disclosed_on = plan_disclosed_on(item, disclosed_on)
        law = disclosure_wait(meeting.regime).law
        if disclosed_on is None:
            errors["disclosed_on"] = (f"{law}：收益分配方案应当在会议召开前提供成员查阅；"
                                      "请先记录方案向成员公开的日期")
        elif disclosed_on > meeting.meeting_on:
            errors["disclosed_on"] = "公开日期不能晚于会议日期"
        else:
            disclosed_days = (meeting.meeting_on - disclosed_on).days
    resolution_no = (resolution_no or "").strip() or None
    if resolution_no is not None:
        if len(resolution_no) > 40:
            errors["resolution_no"] = "决议编号不能超过 40 个字"
        elif db.session.scalar(select(func.count()).select_from(AgendaItem).where(
                AgendaItem.cooperative_id == item.cooperative_id,
                AgendaItem.resolution_no == resolution_no)):
            errors["resolution_no"] = f"决议编号 {resolution_no} 已被本社另一项决议使用"
    if errors:
        raise ValidationFailed(errors)
    roster = entitled_voters(meeting)
    if roster.count == 0:
        raise ServiceError(f"会议当日 {meeting.meeting_on:%Y-%m-%d} 没有有表决权的成员或代表，无法表决")
    present = [a for a in attendances_of(meeting) if a.is_present and a.member_id in roster.ids]
    recorded = _vote_counts(item, present)
    votes_for, votes_against, votes_abstain = recorded or (0, 0, 0)
    total_votes = total_votes_of(meeting, roster.count)
    try:
        verdict = judge(
            meeting, charter, item=item.kind, entitled=roster.count, present=len(present),
            votes_for=votes_for, votes_against=votes_against, votes_abstain=votes_abstain,
            total_votes=total_votes, notice_days=meeting.notice_days, disclosed_days=disclosed_days)
    except ValueError as exc:
        raise ServiceError(f"表决数据有误：{exc}") from None
    if recorded is None and verdict.quorum_met:
        raise ServiceError("出席人数已达到法定要求，请先逐人记录表决或记录无记名投票的计票结果，再宣布结果")
    item.entitled = roster.count
    item.present = len(present)
    item.total_votes = total_votes if total_votes is not None else roster.count
    item.votes_for, item.votes_against, item.votes_abstain = votes_for, votes_against, votes_abstain
    item.needed_for = verdict.needed_for
    item.quorum_met = verdict.quorum_met
    item.notice_days = meeting.notice_days
    item.disclosed_days = disclosed_days
    item.reasons = [str(reason) for reason in verdict.reasons]
    item.outcome = Outcome.PASSED.value if verdict.passed else Outcome.FAILED.value
    item.decided_at = clock.utcnow()
    item.decided_by_id = user_id
    if verdict.passed:
        item.resolution_no = resolution_no or _next_resolution_no(item.cooperative_id,
                                                                  meeting.meeting_on.year)
    if meeting.status == MeetingStatus.PLANNED:
        meeting.status = MeetingStatus.HELD.value
    db.session.flush()
    item_decided.send(item)
    return Decision(item, verdict)


# -- resolutions ----------------------------------------------------------------

@dataclass(frozen=True)
class Resolution:
    """A passed item of a meeting of the cooperative: what an act cites."""

    item_id: int
    resolution_no: str
    title: str
    kind: str
    meeting_id: int
    meeting_on: date
    meeting_title: str

    @property
    def kind_label(self) -> str:
        return ItemKind.label_of(self.kind)

    @property
    def label(self) -> str:
        return f"{self.resolution_no} {self.title}（{self.meeting_on:%Y-%m-%d} {self.meeting_title}）"


def _resolutions_query(coop_id: int):
    return (select(AgendaItem.id, AgendaItem.resolution_no, AgendaItem.title, AgendaItem.kind,
                   Meeting.id, Meeting.meeting_on, Meeting.title)
            .join(Meeting, Meeting.id == AgendaItem.meeting_id)
            .where(AgendaItem.cooperative_id == coop_id,
                   AgendaItem.outcome == Outcome.PASSED.value))


def resolutions(coop_id: int, *, kind: str | None = None) -> list[Resolution]:
    """The cooperative's recorded resolutions, latest first (the list a
    resolution number is chosen from)."""
    query = _resolutions_query(coop_id)
    if kind is not None:
        query = query.where(AgendaItem.kind == kind)
    rows = db.session.execute(query.order_by(Meeting.meeting_on.desc(), AgendaItem.position))
    return [Resolution(*row) for row in rows]


def find_resolution(coop_id: int, resolution_no: str | None) -> Resolution | None:
    """The cooperative's resolution with that number, or None."""
    resolution_no = (resolution_no or "").strip()
    if not resolution_no:
        return None
    row = db.session.execute(_resolutions_query(coop_id).where(
        AgendaItem.resolution_no == resolution_no)).first()
    return Resolution(*row) if row else None


def decided_item_for_plan(coop_id: int, plan_id: int) -> AgendaItem | None:
    """The latest decided item on distribution plan ``plan_id`` (a passed one
    is final: a plan is never put to a vote again once passed)."""
    return db.session.scalar(
        select(AgendaItem).where(AgendaItem.cooperative_id == coop_id,
                                 AgendaItem.plan_id == plan_id, AgendaItem.outcome.is_not(None))
        .order_by(AgendaItem.decided_at.desc(), AgendaItem.id.desc()).limit(1))
