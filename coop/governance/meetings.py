"""Convening a meeting, its agenda, minutes and cancellation; the
representatives of a representative assembly. Services validate, flush and
never commit; a refusal is a ``ServiceError`` / ``ValidationFailed`` whose
message names the law and article when it applies one.

The regime comes in as a parameter (the charter holds it: coop.governance.by_charter)
and is copied onto the meeting. A distribution item names its plan by id: the dividends
domain, which owns plans, checks that the plan is the cooperative's before it
puts it on an agenda. A membership item may name a confirmation list, which the
membership domain, asked through ``agenda_sources.list_refusal``, lets a meeting
decide only once its public notice has run."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any, Iterable, Sequence

from sqlalchemy import func, select

from coop import clock
from coop.audit.api import check_version
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.governance.agenda_sources import list_refusal
from coop.governance.constants import (
    AttendanceMode,
    AttendanceStatus,
    Body,
    ItemKind,
    MeetingStatus,
    Outcome,
    Regime,
    VoteChoice,
)
from coop.governance.extra_votes import store as store_extra_votes
from coop.governance.models import AgendaItem, BallotTally, Meeting, Representative, Vote
from coop.governance.roster import entitled_on, representatives_on
from coop.governance.rules import NOTICE_DAYS, RCEO, RCEO_ASSEMBLY_ONLY
from coop.governance.votes import ART_22, MemberExtraVotes
from coop.members.api import Member, MemberStatus
from coop.tenancy import get_owned

FIELD_LABELS = {
    "regime": "法律类型",
    "body": "会议机构",
    "title": "会议名称",
    "meeting_on": "会议日期",
    "place": "会议地点",
    "convened_by": "召集人",
    "notice_on": "通知日期",
    "status": "状态",
    "extra_votes": "附加表决权总票数",
    "minutes": "会议记录",
    "chair": "主持人",
    "recorder": "记录人",
    "kind": "议题类别",
    "plan_id": "分配方案",
    "membership_list_id": "确认名单",
    "position": "议题序号",
    "mode": "参会方式",
    "proxy_holder_id": "受托人",
    "proxy_form": "委托书",
    "choice": "表决意见",
    "votes_for": "同意票数",
    "votes_against": "反对票数",
    "votes_abstain": "弃权票数",
    "invalid": "废票数",
}


def describe_field(field: str, value: Any) -> tuple[str, str]:
    """(label, value as shown) of a governance column, for the stale-save message."""
    label = FIELD_LABELS.get(field, field)
    if value in (None, ""):
        return label, "（空）"
    if field == "status":
        return label, MeetingStatus.label_of(value, AttendanceStatus.label_of(value))
    shown = {"regime": Regime, "body": Body, "kind": ItemKind, "mode": AttendanceMode,
             "choice": VoteChoice}
    if field in shown:
        return label, shown[field].label_of(value)
    if field == "minutes":
        return label, (str(value)[:40] + "…") if len(str(value)) > 40 else str(value)
    return label, str(value)


def revise(record: Any, values: dict[str, Any], expected_version: int | None,
           user_id: int | None) -> None:
    """Correct a recorded sign-in or tally in place: the version checked, only
    the changed fields written, and who recorded it and when renewed when
    anything changed."""
    check_version(record, expected_version, describe_field)
    for field, value in values.items():
        if getattr(record, field) != value:
            setattr(record, field, value)
    if db.session.is_modified(record):
        record.recorded_by_id = user_id
        record.recorded_at = clock.utcnow()


@dataclass(frozen=True)
class ItemSpec:
    """An agenda item to put on a meeting."""

    kind: str
    title: str
    plan_id: int | None = None
    membership_list_id: int | None = None


# -- reading --------------------------------------------------------------------

def get_meeting(coop_id: int, meeting_id: Any) -> Meeting:
    return get_owned(Meeting, meeting_id, coop_id)


def get_item(coop_id: int, item_id: Any) -> AgendaItem:
    return get_owned(AgendaItem, item_id, coop_id)


def meetings_of(coop_id: int, *, include_cancelled: bool = True) -> list[Meeting]:
    """The cooperative's meetings, latest first."""
    query = select(Meeting).where(Meeting.cooperative_id == coop_id)
    if not include_cancelled:
        query = query.where(Meeting.status != MeetingStatus.CANCELLED.value)
    return list(db.session.scalars(query.order_by(Meeting.meeting_on.desc(), Meeting.id.desc())))


# -- convening ------------------------------------------------------------------

def _text(errors: dict[str, str], field: str, value: str | None, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        errors[field] = f"请填写{FIELD_LABELS[field]}"
    elif len(value) > limit:
        errors[field] = f"{FIELD_LABELS[field]}不能超过 {limit} 个字"
    return value


def _meeting_errors(coop_id: int, *, regime: str, body: str, meeting_on: date | None,
                    notice_on: date | None, extra_votes: Sequence[MemberExtraVotes] = ()) -> dict[str, str]:
    errors: dict[str, str] = {}
    if regime not in {r.value for r in Regime}:
        errors["regime"] = "请选择法律类型（农村集体经济组织或农民专业合作社）"
    if body not in {b.value for b in Body}:
        errors["body"] = "请选择会议机构（成员大会或成员代表大会）"
    if meeting_on is None:
        errors["meeting_on"] = "请填写会议日期"
    if notice_on is None:
        errors["notice_on"] = "请填写通知日期"
    extra = sum(m.extra_votes for m in extra_votes)
    if errors or meeting_on is None or notice_on is None:
        return errors
    if notice_on > meeting_on:
        errors["notice_on"] = "通知日期不能晚于会议日期"
    elif regime == Regime.COLLECTIVE and body == Body.ASSEMBLY and \
            (meeting_on - notice_on).days < NOTICE_DAYS:
        errors["meeting_on"] = (
            f"{RCEO}第二十七条：应当将会议召开的时间、地点和审议的事项于会议召开十日前通知全体成员；"
            f"通知日期 {notice_on:%Y-%m-%d}，会议最早 {notice_on + timedelta(days=NOTICE_DAYS):%Y-%m-%d} 召开")
    if regime == Regime.COLLECTIVE and extra:
        errors["extra_votes"] = f"{RCEO}第二十七条：成员大会实行一人一票的表决方式，没有附加表决权"
    if errors:
        return errors
    if body == Body.REPRESENTATIVES and not representatives_on(coop_id, meeting_on):
        errors["body"] = (f"会议当日 {meeting_on:%Y-%m-%d} 没有任期内的成员代表，"
                          "请先登记成员代表，或召开成员大会")
    elif extra:
        roster = entitled_on(coop_id, regime, body, meeting_on)
        if outside := [m for m in extra_votes if m.member_id not in roster.ids]:
            errors["extra_votes"] = (f"{ART_22}：附加表决权属于有表决权的成员；"
                                     f"{len(outside)} 名享有附加表决权的成员在会议当日不在名册上")
        elif 5 * extra > roster.count:
            errors["extra_votes"] = (
                f"{ART_22}：附加表决权总票数不得超过本社成员基本表决权总票数的"
                f"百分之二十；会议当日基本表决权 {roster.count} 票，附加表决权最多 {roster.count // 5} 票，"
                f"算得 {extra} 票")
    return errors


def convene_meeting(coop_id: int, *, regime: str, body: str, title: str, meeting_on: date | None,
                    place: str, convened_by: str, notice_on: date | None,
                    items: Sequence[ItemSpec] = (), extra_votes: Sequence[MemberExtraVotes] = (),
                    user_id: int | None = None, starts_at: time | None = None) -> Meeting:
    """A planned meeting with its agenda. ``notice_on`` is the day the notice
    (time, place, agenda) goes or went to the members: a day to come, or a
    past one when a meeting is recorded afterwards; ``add_item`` may add to
    the agenda until that day. ``extra_votes``: the entitled members' extra
    votes computed by the charter's rule for the meeting day (specialized
    cooperatives: coop.governance.by_charter)."""
    errors = _meeting_errors(coop_id, regime=regime, body=body, meeting_on=meeting_on,
                             notice_on=notice_on, extra_votes=extra_votes)
    values = {field: _text(errors, field, value, limit) for field, value, limit in (
        ("title", title, 120), ("place", place, 120), ("convened_by", convened_by, 60))}
    planned: set[int] = set()
    listed: set[int] = set()
    for n, spec in enumerate(items):
        for field, message in _item_errors(coop_id, spec, meeting_on).items():
            errors.setdefault(f"items-{n}-{field}", message)
        if message := _competence_error(regime, body, spec.kind):
            errors.setdefault(f"items-{n}-kind", message)
        if spec.plan_id is not None:
            if spec.plan_id in planned:
                errors.setdefault(f"items-{n}-plan_id", "同一个分配方案在议程中列了两次")
            planned.add(spec.plan_id)
        if spec.membership_list_id is not None:
            if spec.membership_list_id in listed:
                errors.setdefault(f"items-{n}-membership_list_id", "同一份确认名单在议程中列了两次")
            listed.add(spec.membership_list_id)
    if errors:
        raise ValidationFailed(errors)
    meeting = Meeting(cooperative_id=coop_id, regime=regime, body=body, meeting_on=meeting_on,
                      starts_at=starts_at, notice_on=notice_on, extra_votes=0,
                      status=MeetingStatus.PLANNED.value,
                      created_by_id=user_id, **values)
    db.session.add(meeting)
    for position, spec in enumerate(items, start=1):
        db.session.add(AgendaItem(cooperative_id=coop_id, meeting=meeting, position=position,
                                  kind=spec.kind, title=spec.title.strip(), plan_id=spec.plan_id,
                                  membership_list_id=spec.membership_list_id))
    db.session.flush()
    store_extra_votes(meeting, extra_votes)
    db.session.flush()
    return meeting


def _ensure_open(meeting: Meeting) -> None:
    """The meeting may still change: planned, nothing decided yet."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise ServiceError("会议已取消，不能再更改")
    if any(item.is_decided for item in meeting.items):
        raise ServiceError("会议已有议题表决完毕，会议的时间、地点、通知和议题不能再更改；"
                           "会议记录仍可填写")


def update_meeting(meeting: Meeting, *, title: str, meeting_on: date | None, place: str,
                   convened_by: str, notice_on: date | None,
                   extra_votes: Sequence[MemberExtraVotes] | None = None,
                   expected_version: int | None = None, starts_at: time | None = None) -> Meeting:
    """Change the time, place, convener or notice of a meeting not yet decided
    on. Moving the notice later is a new notice: the law's days count again.
    ``extra_votes``: recomputed for a new day (None keeps them)."""
    _ensure_open(meeting)
    errors = _meeting_errors(meeting.cooperative_id, regime=meeting.regime, body=meeting.body,
                             meeting_on=meeting_on, notice_on=notice_on, extra_votes=extra_votes or ())
    values = {field: _text(errors, field, value, limit) for field, value, limit in (
        ("title", title, 120), ("place", place, 120), ("convened_by", convened_by, 60))}
    if errors:
        raise ValidationFailed(errors)
    check_version(meeting, expected_version, describe_field)
    changes = dict(values, meeting_on=meeting_on, notice_on=notice_on, starts_at=starts_at)
    for field, value in changes.items():
        if getattr(meeting, field) != value:
            setattr(meeting, field, value)
    if extra_votes is not None:
        store_extra_votes(meeting, extra_votes)
    db.session.flush()
    return meeting


def _plan_item_error(coop_id: int, plan_id: int) -> str | None:
    """A plan may be on one open item at a time, and never again once passed."""
    rows = db.session.execute(
        select(AgendaItem.outcome, Meeting.status, Meeting.meeting_on)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(AgendaItem.cooperative_id == coop_id, AgendaItem.plan_id == plan_id)).all()
    for outcome, status, day in rows:
        if outcome == Outcome.PASSED:
            return f"这个分配方案已经由 {day:%Y-%m-%d} 的会议表决通过，不能再次表决"
        if outcome is None and status != MeetingStatus.CANCELLED:
            return f"这个分配方案已列入 {day:%Y-%m-%d} 的会议议程，尚未表决"
    return None


def _list_item_error(coop_id: int, list_id: int) -> str | None:
    """A confirmation list is decided once: on one open item at a time, never
    again once voted on."""
    rows = db.session.execute(
        select(AgendaItem.outcome, Meeting.status, Meeting.meeting_on)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(AgendaItem.cooperative_id == coop_id,
               AgendaItem.membership_list_id == list_id)).all()
    for outcome, status, day in rows:
        if outcome is not None:
            return (f"这份确认名单已由 {day:%Y-%m-%d} 的会议表决（{Outcome.label_of(outcome)}），"
                    "不能再次表决")
        if status != MeetingStatus.CANCELLED:
            return f"这份确认名单已列入 {day:%Y-%m-%d} 的会议议程，尚未表决"
    return None


def _competence_error(regime: str, body: str, kind: str) -> str | None:
    """A representative assembly of a rural collective may not decide the
    charter, membership or a merger (RCEO art 28): such an item is refused
    when the meeting is convened, not only when it is decided."""
    if regime == Regime.COLLECTIVE and body == Body.REPRESENTATIVES and kind in RCEO_ASSEMBLY_ONLY:
        return (f"{RCEO}第二十八条：成员代表大会不得行使第二十六条第一款第一项、第三项、第八项、"
                f"第十项、第十二项规定的职权，{ItemKind.label_of(kind)}须由成员大会决定")
    return None


def _item_errors(coop_id: int, spec: ItemSpec, meeting_on: date | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    kind, plan_id, list_id = spec.kind, spec.plan_id, spec.membership_list_id
    if kind not in {k.value for k in ItemKind}:
        errors["kind"] = "请选择议题类别"
    title = (spec.title or "").strip()
    if not title:
        errors["title"] = "请填写议题"
    elif len(title) > 200:
        errors["title"] = "议题不能超过 200 个字"
    if kind == ItemKind.DISTRIBUTION:
        if plan_id is None:
            errors["plan_id"] = "请选择要表决的分配方案"
        elif message := _plan_item_error(coop_id, plan_id):
            errors["plan_id"] = message
    elif plan_id is not None:
        errors["plan_id"] = "只有“收益分配方案”议题关联分配方案"
    if list_id is not None:
        if kind != ItemKind.MEMBERSHIP:
            errors["membership_list_id"] = "只有“成员身份确认”议题关联确认名单"
        elif message := _list_item_error(coop_id, list_id):
            errors["membership_list_id"] = message
        elif meeting_on is not None and (message := list_refusal(coop_id, list_id, meeting_on)):
            errors["membership_list_id"] = message
    return errors


def add_item(meeting: Meeting, *, kind: str, title: str, plan_id: int | None = None,
             membership_list_id: int | None = None,
             expected_version: int | None = None) -> AgendaItem:
    """Put an item on the agenda: until the notice goes out, since the notice
    names what the meeting will decide (RCEO art 27)."""
    _ensure_open(meeting)
    check_version(meeting, expected_version, describe_field)
    errors = _item_errors(meeting.cooperative_id,
                          ItemSpec(kind, title, plan_id, membership_list_id), meeting.meeting_on)
    if message := _competence_error(meeting.regime, meeting.body, kind):
        errors.setdefault("kind", message)
    if errors:
        raise ValidationFailed(errors)
    if clock.today() > meeting.notice_on:
        raise ServiceError(
            f"会议通知已于 {meeting.notice_on:%Y-%m-%d} 发出，审议的事项应随通知告知全体成员"
            f"（{RCEO}第二十七条）；增加议题请重新通知（把通知日期改为新的通知日）", field="kind")
    position = (db.session.scalar(select(func.max(AgendaItem.position))
                                  .where(AgendaItem.meeting_id == meeting.id)) or 0) + 1
    item = AgendaItem(cooperative_id=meeting.cooperative_id, meeting=meeting, position=position,
                      kind=kind, title=title.strip(), plan_id=plan_id,
                      membership_list_id=membership_list_id)
    db.session.add(item)
    db.session.flush()
    return item


def remove_item(item: AgendaItem, expected_version: int | None = None) -> None:
    """Take an undecided item off the agenda of a meeting not yet decided on."""
    meeting = item.meeting
    _ensure_open(meeting)
    check_version(item, expected_version, describe_field)
    if clock.today() > meeting.notice_on:
        raise ServiceError(f"会议通知已于 {meeting.notice_on:%Y-%m-%d} 发出，议题不能再删除；"
                           "可以在会上表决不通过，或取消会议")
    if _has_votes(item):
        raise ServiceError("这个议题已有表决记录，不能删除")
    db.session.delete(item)
    db.session.flush()


def _has_votes(item: AgendaItem) -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(Vote)
                                  .where(Vote.agenda_item_id == item.id))
                or db.session.scalar(select(func.count()).select_from(BallotTally)
                                     .where(BallotTally.agenda_item_id == item.id)))


PERSON_MAX = 60


def record_minutes(meeting: Meeting, minutes: str, expected_version: int | None = None, *,
                   chair: str = "", recorder: str = "") -> Meeting:
    """The minutes (会议记录, RCEO art 33; FSC art 34), kept with the meeting,
    and who chaired the meeting and who recorded it."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise ServiceError("会议已取消，不能填写会议记录")
    values = {"minutes": (minutes or "").strip(), "chair": " ".join((chair or "").split()),
              "recorder": " ".join((recorder or "").split())}
    errors: dict[str, str] = {}
    if len(values["minutes"]) > 20_000:
        errors["minutes"] = "会议记录不能超过 20000 个字"
    for field in ("chair", "recorder"):
        if len(values[field]) > PERSON_MAX:
            errors[field] = f"{FIELD_LABELS[field]}不能超过 {PERSON_MAX} 个字"
    if errors:
        raise ValidationFailed(errors)
    check_version(meeting, expected_version, describe_field)
    for field, value in values.items():
        if getattr(meeting, field) != value:
            setattr(meeting, field, value)
    db.session.flush()
    return meeting


def cancel_meeting(meeting: Meeting, expected_version: int | None = None) -> Meeting:
    """Call off a meeting on which nothing has been decided."""
    _ensure_open(meeting)
    check_version(meeting, expected_version, describe_field)
    meeting.status = MeetingStatus.CANCELLED.value
    db.session.flush()
    return meeting


# -- representatives ------------------------------------------------------------

def _households(raw: str | Iterable[str]) -> list[str]:
    parts = raw.replace("，", ",").replace("、", ",").split(",") if isinstance(raw, str) else raw
    seen: list[str] = []
    for part in parts:
        part = (part or "").strip().upper()
        if part and part not in seen:
            seen.append(part)
    return seen


def add_representative(coop_id: int, member_id: Any, *, term_start: date | None,
                       term_end: date | None, households: str | Iterable[str],
                       regime: str = Regime.COLLECTIVE) -> Representative:
    """A member's term as a representative, elected by ``households``.

    Under the RCEO (art 28) a term is five years and a representative stands
    for five to fifteen households; the charter-level bounds (more than twenty
    representatives, women among them) are checked with the charter."""
    member = get_owned(Member, member_id, coop_id)
    errors: dict[str, str] = {}
    if member.status != MemberStatus.ACTIVE:
        errors["member_id"] = f"{member.name}（{member.member_no}）不在册，不能当选成员代表"
    if term_start is None:
        errors["term_start"] = "请填写任期开始日期"
    if term_end is None:
        errors["term_end"] = "请填写任期结束日期"
    elif term_start is not None and term_end < term_start:
        errors["term_end"] = "任期结束日期不能早于开始日期"
    elif term_start is not None and regime == Regime.COLLECTIVE:
        limit = _years_later(term_start, 5)
        if term_end >= limit:
            errors["term_end"] = (f"{RCEO}第二十八条：成员代表的任期为五年，"
                                  f"自 {term_start:%Y-%m-%d} 起至迟到 {limit - timedelta(days=1):%Y-%m-%d}")
    numbers = _households(households)
    known = set(db.session.scalars(select(Member.household_no).where(
        Member.cooperative_id == coop_id, Member.household_no.in_(numbers or [""]))))
    if missing := [h for h in numbers if h not in known]:
        errors["households"] = f"户号 {'、'.join(missing[:5])} 不在本社成员名册上"
    elif regime == Regime.COLLECTIVE and not 5 <= len(numbers) <= 15:
        errors["households"] = (f"{RCEO}第二十八条：一般每五户至十五户选举代表一人，"
                                f"现填写 {len(numbers)} 户")
    elif len(",".join(numbers)) > 2000:
        errors["households"] = "户号太多"
    if not errors:
        for other in db.session.scalars(select(Representative).where(
                Representative.cooperative_id == coop_id, Representative.term_start <= term_end,
                Representative.term_end >= term_start)):
            if other.member_id == member.id:
                errors["member_id"] = (f"{member.name} 在 {other.term_start:%Y-%m-%d} 至 "
                                       f"{other.term_end:%Y-%m-%d} 已是成员代表，任期不能重叠")
                break
            if shared := [h for h in numbers if h in other.household_list]:
                errors["households"] = (f"户 {'、'.join(shared[:5])} 在同一任期已由另一名代表代表")
                break
    if errors:
        raise ValidationFailed(errors)
    representative = Representative(cooperative_id=coop_id, member_id=member.id,
                                    term_start=term_start, term_end=term_end,
                                    households=",".join(numbers))
    db.session.add(representative)
    db.session.flush()
    return representative


def representatives_of(coop_id: int) -> list[Representative]:
    """Every representative's term, latest terms first."""
    return list(db.session.scalars(
        select(Representative).where(Representative.cooperative_id == coop_id)
        .order_by(Representative.term_start.desc(), Representative.id)))


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
