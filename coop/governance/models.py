"""Meetings (成员大会 / 成员代表大会), their agenda, who attended and how they
voted, and the representatives of a representative assembly.

Every table carries ``cooperative_id`` (records are loaded by id through
``coop.tenancy``) and a ``version`` for optimistic locking; the audit log
records every write (``__audit_label__``)."""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.audit.api import AuditField
from coop import clock
from coop.cooperatives.api import words_for
from coop.database import Int64
from coop.extensions import db
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


class Meeting(db.Model):
    """One meeting of the member assembly or the representative assembly.

    ``regime`` is the cooperative's legal regime copied when the meeting is
    convened, so that a later charter change does not rewrite how it was
    decided. ``extra_votes`` (specialized cooperatives only) is the sum of
    the extra votes the charter gives the entitled members (农民专业合作社法
    第二十二条), computed when the meeting is convened; each member's are
    ``MeetingExtraVotes`` rows."""

    __tablename__ = "meetings"
    __audit_label__ = "会议"
    __audit_labels__ = {
        "regime": AuditField("适用法律", Regime), "body": AuditField("会议类别", Body),
        "title": "会议名称", "meeting_on": "会议日期", "starts_at": "开会时间", "place": "地点",
        "convened_by": "召集人",
        "notice_on": "通知日期", "status": AuditField("状态", MeetingStatus),
        "extra_votes": "附加表决权", "minutes": "会议记录", "chair": "主持人", "recorder": "记录人"}
    __table_args__ = (
        CheckConstraint("notice_on <= meeting_on", name="notice_before_meeting"),
        CheckConstraint("extra_votes >= 0", name="extra_votes_not_negative"),
        Index("ix_meetings_coop_meeting_on", "cooperative_id", "meeting_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    regime: Mapped[str] = mapped_column(String(16), default=Regime.COLLECTIVE)
    body: Mapped[str] = mapped_column(String(16), default=Body.ASSEMBLY)
    title: Mapped[str] = mapped_column(String(120))
    meeting_on: Mapped[date]
    # the hour the notice gives (RCEO art 27: its time, place and agenda);
    # None for meetings convened before it was asked
    starts_at: Mapped[time | None]
    place: Mapped[str] = mapped_column(String(120))
    convened_by: Mapped[str] = mapped_column(String(60))
    notice_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default=MeetingStatus.PLANNED)
    extra_votes: Mapped[int] = mapped_column(default=0)
    minutes: Mapped[str] = mapped_column(Text, default="")
    # who chaired the meeting and who kept the minutes, as the minutes name them
    chair: Mapped[str] = mapped_column(String(60), default="", server_default="")
    recorder: Mapped[str] = mapped_column(String(60), default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position")

    @property
    def body_label(self) -> str:
        return Body.label_of(self.body)

    @property
    def regime_label(self) -> str:
        return Regime.label_of(self.regime)

    @property
    def status_label(self) -> str:
        """A planned meeting on its day reads 今天召开, and after it, until an
        item is decided, 待登记表决结果 (the status stays planned: only a
        decision makes it held)."""
        if self.status == MeetingStatus.PLANNED:
            today = clock.today()
            if self.meeting_on == today:
                return "今天召开"
            if self.meeting_on < today:
                return "待登记表决结果"
        return MeetingStatus.label_of(self.status)

    @property
    def when_label(self) -> str:
        """The meeting's day, and its hour when the notice gave one."""
        day = f"{self.meeting_on:%Y-%m-%d}"
        return f"{day} {self.starts_at:%H:%M}" if self.starts_at is not None else day

    @property
    def notice_days(self) -> int:
        return (self.meeting_on - self.notice_on).days

    def __repr__(self) -> str:
        return f"<Meeting {self.id} {self.meeting_on} {self.body}>"


class AgendaItem(db.Model):
    """One matter on a meeting's agenda and, once decided, its outcome: the
    counts it was decided on, the least number of votes that passes, and the
    reasons (each naming its law and article) exactly as they were given.

    ``plan_id`` names the distribution plan of a "distribution" item (the
    dividends domain checks that the plan is the cooperative's before it puts
    it on an agenda); ``membership_list_id`` the confirmation list of a
    "membership" item (the membership domain's, by table name). A passed item gets a resolution number, unique in the
    cooperative; a failed one keeps its counts and no number."""

    __tablename__ = "agenda_items"
    __audit_label__ = "会议议题"
    __audit_labels__ = {
        "position": "议题序号", "kind": AuditField("议题类别", ItemKind), "title": "议题",
        "membership_list_id": "成员身份确认名单（编号）", "outcome": AuditField("表决结果", Outcome),
        "entitled": "应到", "present": "实到", "total_votes": "总票数", "needed_for": "通过所需票数",
        "disclosed_days": "提前公开天数", "quorum_met": "达到法定人数", "reasons": "理由",
        "decided_at": "表决时间", "decided_by_id": "记录人（编号）"}
    __table_args__ = (
        UniqueConstraint("cooperative_id", "resolution_no"),
        UniqueConstraint("meeting_id", "position"),
        Index("ix_agenda_items_coop_plan", "cooperative_id", "plan_id"),
        Index("ix_agenda_items_coop_list", "cooperative_id", "membership_list_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16), default=ItemKind.OTHER)
    title: Mapped[str] = mapped_column(String(200))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("dividend_plans.id"))
    membership_list_id: Mapped[int | None] = mapped_column(ForeignKey("membership_lists.id"))
    # the decision, written once by coop.governance.decisions.decide_item
    outcome: Mapped[str | None] = mapped_column(String(16))
    resolution_no: Mapped[str | None] = mapped_column(String(40))
    entitled: Mapped[int | None]
    present: Mapped[int | None]
    total_votes: Mapped[int | None]
    votes_for: Mapped[int | None]
    votes_against: Mapped[int | None]
    votes_abstain: Mapped[int | None]
    needed_for: Mapped[int | None]
    notice_days: Mapped[int | None]
    disclosed_days: Mapped[int | None]
    quorum_met: Mapped[bool | None]
    reasons: Mapped[list[str] | None] = mapped_column(JSON)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    meeting: Mapped[Meeting] = relationship(back_populates="items")

    @property
    def kind_label(self) -> str:
        """The kind in the words of the law the meeting was held under."""
        return words_for(self.meeting.regime).kind_label(self.kind)

    @property
    def outcome_label(self) -> str:
        return Outcome.label_of(self.outcome, "未表决")

    @property
    def is_decided(self) -> bool:
        return self.outcome is not None

    @property
    def passed(self) -> bool:
        return self.outcome == Outcome.PASSED


class Attendance(db.Model):
    """One entitled person at one meeting: confirmed beforehand (by phone),
    then signed in (present), in person, online, or by the written proxy of
    ``proxy_holder`` (form reference ``proxy_form``). The votes the person
    carries are one basic vote plus their ``MeetingExtraVotes``, if any."""

    __tablename__ = "attendances"
    __audit_label__ = "参会登记"
    __audit_labels__ = {
        "status": AuditField("参会状态", AttendanceStatus), "mode": AuditField("参会方式", AttendanceMode),
        "proxy_holder_id": "受托人（编号）", "proxy_form": "委托书", "extra_votes": "附加表决权"}
    __table_args__ = (
        UniqueConstraint("meeting_id", "member_id"),
        Index("ix_attendances_coop_member", "cooperative_id", "member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    status: Mapped[str] = mapped_column(String(16), default=AttendanceStatus.CONFIRMED)
    mode: Mapped[str] = mapped_column(String(16), default=AttendanceMode.IN_PERSON)
    proxy_holder_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    proxy_form: Mapped[str] = mapped_column(String(120), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def mode_label(self) -> str:
        return AttendanceMode.label_of(self.mode)

    @property
    def status_label(self) -> str:
        return AttendanceStatus.label_of(self.status)

    @property
    def is_present(self) -> bool:
        return self.status == AttendanceStatus.PRESENT


class MeetingExtraVotes(db.Model):
    """One member's extra votes at one meeting of a specialized cooperative
    (农民专业合作社法第二十二条), computed by the charter's rule when the
    meeting is convened, with the figures they follow: capital on the
    meeting day and transactions of the calendar year before. Only members
    with at least one extra vote have a row."""

    __tablename__ = "meeting_extra_votes"
    __audit_label__ = "附加表决权"
    __audit_labels__ = {"capital_fen": "出资额", "transactions_fen": "交易额", "by_capital": "按出资附加票",
                        "by_transactions": "按交易额附加票", "extra_votes": "附加票数"}
    __table_args__ = (
        UniqueConstraint("meeting_id", "member_id"),
        CheckConstraint("extra_votes > 0", name="extra_votes_positive"),
        Index("ix_meeting_extra_votes_coop_member", "cooperative_id", "member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    capital_fen: Mapped[int] = mapped_column(Int64, default=0)
    transactions_fen: Mapped[int] = mapped_column(Int64, default=0)
    by_capital: Mapped[int] = mapped_column(default=0)
    by_transactions: Mapped[int] = mapped_column(default=0)
    extra_votes: Mapped[int]


class Vote(db.Model):
    """How one person present (or represented by proxy) voted on one item."""

    __tablename__ = "votes"
    __audit_label__ = "表决票"
    __audit_labels__ = {"choice": AuditField("表决意见", VoteChoice)}
    __table_args__ = (
        UniqueConstraint("agenda_item_id", "member_id"),
        CheckConstraint("choice IN ('for', 'against', 'abstain')", name="choice"),
        Index("ix_votes_coop_member", "cooperative_id", "member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    choice: Mapped[str] = mapped_column(String(8))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def choice_label(self) -> str:
        return VoteChoice.label_of(self.choice)


class BallotTally(db.Model):
    """The count of a secret ballot on one item, in votes (无记名投票计票)."""

    __tablename__ = "ballot_tallies"
    __audit_label__ = "无记名投票计票"
    __audit_labels__ = {"invalid": "废票"}
    __table_args__ = (
        UniqueConstraint("agenda_item_id"),
        CheckConstraint("votes_for >= 0 AND votes_against >= 0 AND votes_abstain >= 0 "
                        "AND invalid >= 0", name="counts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"))
    votes_for: Mapped[int] = mapped_column(default=0)
    votes_against: Mapped[int] = mapped_column(default=0)
    votes_abstain: Mapped[int] = mapped_column(default=0)
    invalid: Mapped[int] = mapped_column(default=0)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class Representative(db.Model):
    """A member's term as a representative (成员代表), and the households
    (household numbers, comma separated) that elected them."""

    __tablename__ = "representatives"
    __audit_label__ = "成员代表"
    __audit_labels__ = {"term_start": "任期开始", "term_end": "任期结束", "households": "代表户",
                        "elected_term_end": "当选时的任期结束", "end_reason": "卸任原因"}
    __table_args__ = (
        CheckConstraint("term_start <= term_end", name="term_in_order"),
        Index("ix_representatives_coop_term", "cooperative_id", "term_start", "term_end"),
        Index("ix_representatives_coop_member", "cooperative_id", "member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    term_start: Mapped[date]
    term_end: Mapped[date]
    households: Mapped[str] = mapped_column(Text, default="")
    # a term ended early (coop.governance.terms): the elected end, and why
    elected_term_end: Mapped[date | None]
    end_reason: Mapped[str] = mapped_column(String(200), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def ended_early(self) -> bool:
        return self.elected_term_end is not None

    @property
    def household_list(self) -> list[str]:
        return [h for h in self.households.split(",") if h]

    def covers(self, day: date) -> bool:
        return self.term_start <= day <= self.term_end
