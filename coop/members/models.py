from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coop.audit.api import AuditField
from coop import clock
from coop.extensions import db
from coop.idcodes import mask_resident_id
from coop.members.bank import mask_account
from coop.members.constants import (  # noqa: F401  (re-exported)
    MemberKind,
    MemberLabels,
    MembershipBasis,
    MemberStatus,
    StatusChangeSource,
)


class Member(MemberLabels, db.Model):
    """A member of one cooperative. Households are members sharing a household_no."""

    __tablename__ = "members"
    __audit_label__ = "成员"
    __audit_labels__ = {
        "member_no": "成员编号", "name": "姓名（名称）", "name_initials": "姓名拼音首字母",
        "kind": AuditField("成员类别", MemberKind), "household_no": "户号",
        "village_group": "村民小组", "id_number": "身份证号", "id_tail": "身份证号尾号",
        "phone": "电话",
        "is_party_member": "党员", "joined_on": "入社日期",
        "status": AuditField("状态", MemberStatus), "status_changed_on": "状态变动日期",
        "acquired_how": AuditField("取得成员身份方式", MembershipBasis),
        "acquired_on": "取得身份事由日期", "confirmed_on": "成员大会确认日期",
        "relation_to_head": "与户主关系", "distribution_rights_only": "仅享有分配权（非成员）",
        "bank_name": "开户行", "bank_account": "银行账号", "bank_holder": "账户户名"}
    # the audit log is read by the supervisor too: it keeps the ID masked as
    # every page shows it, and not the reversed tail that would give it away
    __audit_mask__ = {"id_number": mask_resident_id, "bank_account": mask_account}
    __audit_exclude__ = frozenset({"id_tail"})
    # Search is by prefix of member_no, name, name_initials, phone and id_tail
    # (coop.members.search). SQLite serves a prefix as a range over these
    # indexes; PostgreSQL serves LIKE 'x%' with the varchar_pattern_ops
    # operator class whatever the database collation, and on name_initials,
    # whose collation is "C" there, with the plain index, which is also the
    # roster's order by name (initials, name, number: migrations 0044, 0046).
    # Each carries the member number, so a search's page in member-number
    # order is chosen from the index alone (migration 0040).
    __table_args__ = (
        UniqueConstraint("cooperative_id", "member_no"),
        UniqueConstraint("cooperative_id", "id_number"),
        Index("ix_members_coop_member_no", "cooperative_id", "member_no",
              postgresql_ops={"member_no": "varchar_pattern_ops"}),
        Index("ix_members_coop_name", "cooperative_id", "name", "member_no",
              postgresql_ops={"name": "varchar_pattern_ops"}),
        Index("ix_members_coop_initials", "cooperative_id", "name_initials", "name", "member_no"),
        Index("ix_members_coop_phone", "cooperative_id", "phone", "member_no",
              postgresql_ops={"phone": "varchar_pattern_ops"}),
        Index("ix_members_coop_household", "cooperative_id", "household_no", "status"),
        Index("ix_members_coop_id_tail", "cooperative_id", "id_tail", "member_no",
              postgresql_ops={"id_tail": "varchar_pattern_ops"}),
        Index("ix_members_coop_group", "cooperative_id", "village_group"),
        # status counts, kind / status filters and the roster's sorts by
        # status, kind and joined date at county scale, each in its order
        # with the member number as the tie-breaker (migrations 0007, 0046)
        Index("ix_members_coop_status", "cooperative_id", "status", "member_no"),
        Index("ix_members_coop_kind", "cooperative_id", "kind", "member_no"),
        Index("ix_members_coop_joined", "cooperative_id", "joined_on", "member_no"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    member_no: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(60))
    # pinyin initials of the name, lower case ("zs" for 张三), for search and
    # the roster's order by name; in code-point order on PostgreSQL as on
    # SQLite, whatever the database's collation, so that one plain index
    # serves both the prefix search and that order
    name_initials: Mapped[str] = mapped_column(
        String(60).with_variant(String(60, collation="C"), "postgresql"), default="")
    kind: Mapped[str] = mapped_column(String(16), default=MemberKind.VILLAGER)
    household_no: Mapped[str] = mapped_column(String(20), default="")
    village_group: Mapped[str] = mapped_column(String(40), default="")
    # resident ID (18 chars); NULL for the collective entity
    id_number: Mapped[str | None] = mapped_column(String(18))
    # last 6 characters of the ID, reversed, so that a search by the last
    # digits is a prefix match that an index serves
    id_tail: Mapped[str] = mapped_column(String(6), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    bank_name: Mapped[str] = mapped_column(String(60), default="", server_default="")
    bank_account: Mapped[str] = mapped_column(String(30), default="", server_default="")
    bank_holder: Mapped[str] = mapped_column(String(60), default="", server_default="")
    is_party_member: Mapped[bool] = mapped_column(default=False)
    joined_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default=MemberStatus.ACTIVE)
    status_changed_on: Mapped[date | None]
    acquired_how: Mapped[str] = mapped_column(String(24), default=MembershipBasis.FOUNDING)
    # when the basis arose (birth date, marriage date...)
    acquired_on: Mapped[date | None]
    # the day the member assembly confirmed (for art 66 members the recorded date)
    confirmed_on: Mapped[date | None]
    relation_to_head: Mapped[str] = mapped_column(String(10), default="")
    # 《农村集体经济组织法》第十五条: a non-member granted distribution rights;
    # appears in plans, never a voter
    distribution_rights_only: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def acquired_how_label(self) -> str:
        return MembershipBasis.label_of(self.acquired_how)

    @property
    def is_pending(self) -> bool:
        return self.status == MemberStatus.PENDING

    @property
    def is_active(self) -> bool:
        """On the roster (在册): neither withdrawn nor deceased."""
        return self.status == MemberStatus.ACTIVE

    @property
    def has_bank_account(self) -> bool:
        return bool(self.bank_account and self.bank_name)

    @property
    def bank_account_masked(self) -> str:
        return mask_account(self.bank_account)

    @property
    def bank_holder_name(self) -> str:
        """The account holder: the member's own name unless another is recorded."""
        return self.bank_holder or self.name

    def __repr__(self) -> str:
        return f"<Member {self.member_no} {self.name}>"


class MemberStatusChange(db.Model):
    """One change of a member's status (在册, 已退社, 已故...), written by every
    change; a change entered in error is reversed (the row stays, marked with
    who reversed it, when and why), never deleted."""

    __tablename__ = "member_status_changes"
    __audit_label__ = "成员状态变更"
    __audit_labels__ = {
        "member_id": "成员", "from_status": AuditField("原状态", MemberStatus),
        "to_status": AuditField("新状态", MemberStatus), "on_date": "变更日期",
        "previous_changed_on": "原状态变动日期", "reason": "事由",
        "source": AuditField("来源", StatusChangeSource), "recorded_by_id": "登记人",
        "recorded_at": "登记时间", "reversed_at": "撤销时间", "reversed_by_id": "撤销人",
        "reversed_reason": "撤销原因"}
    __table_args__ = (Index("ix_member_status_changes_member", "member_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    on_date: Mapped[date | None]
    # the member's status_changed_on before this change: what a reversal puts back
    previous_changed_on: Mapped[date | None]
    reason: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(16), default=StatusChangeSource.ROSTER)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    reversed_at: Mapped[datetime | None]
    reversed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reversed_reason: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def from_label(self) -> str:
        return MemberStatus.label_of(self.from_status)

    @property
    def to_label(self) -> str:
        return MemberStatus.label_of(self.to_status)

    @property
    def source_label(self) -> str:
        return StatusChangeSource.label_of(self.source)

    @property
    def is_reversed(self) -> bool:
        return self.reversed_at is not None

