"""The share register (股权登记簿): append-only entries, one per change of holdings."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.audit.api import AuditField
from coop.cooperatives.api import ShareClass
from coop.database import Int64
from coop.extensions import db
from coop.shares.rules import (
    ContributionKind,
    EntryKind,
)


class ShareEntry(db.Model):
    """One signed change of one member's holding in one class, on one date.

    Never updated, never deleted: a mistake is undone by a new entry with
    ``reverses_id`` pointing at it (the audit log records it as "reverse").
    Entries recorded together (the two sides of a transfer, the classes of an
    inheritance) share a ``movement`` key, and are reversed together.
    """

    __tablename__ = "share_entries"
    __audit_label__ = "股权登记"
    __audit_labels__ = {
        "share_class": AuditField("股份类别", ShareClass), "effective_on": "生效日期",
        "shares": "股数", "entry_kind": AuditField("登记类别", EntryKind),
        "contribution_kind": AuditField("出资方式", ContributionKind), "value_fen": "出资金额",
        "land_mu": AuditField("入股土地", unit="亩"), "unit_price_fen": "单价",
        "labour_days": "劳动天数", "asset_name": "实物名称", "counterparty_id": "对方成员（编号）",
        "movement": "变动批号"}
    __table_args__ = (
        CheckConstraint("shares <> 0", name="shares_nonzero"),
        CheckConstraint("share_class IN ('collective', 'villager', 'cadre')", name="share_class"),
        CheckConstraint(
            "entry_kind IN ('subscribe', 'transfer_in', 'transfer_out', 'inherit_in', "
            "'inherit_out', 'redeem')", name="entry_kind"),
        Index("ix_share_entries_coop_date", "cooperative_id", "effective_on"),
        Index("ix_share_entries_member_class_date", "member_id", "share_class", "effective_on"),
        Index("ix_share_entries_coop_movement", "cooperative_id", "movement"),
        # a year's subscriptions counted from the index alone (the home checklist)
        Index("ix_share_entries_coop_kind_date", "cooperative_id", "entry_kind", "effective_on"),
        # holdings as of a date answered from the index alone, in group order
        # (migration 0007)
        Index("ix_share_entries_coop_member_class_date", "cooperative_id", "member_id",
              "share_class", "effective_on", "shares"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    share_class: Mapped[str] = mapped_column(String(16))
    effective_on: Mapped[date]
    shares: Mapped[int] = mapped_column(Int64)  # signed
    entry_kind: Mapped[str] = mapped_column(String(16))
    # for subscriptions: cash / land / in_kind / labour
    contribution_kind: Mapped[str | None] = mapped_column(String(16))
    # signed, like shares
    value_fen: Mapped[int] = mapped_column(Int64, default=0)
    # signed hundredths of a mu (land contributions)
    land_mu: Mapped[int | None] = mapped_column(Int64)
    unit_price_fen: Mapped[int | None] = mapped_column(Int64)  # per mu (land) or per day (labour)
    labour_days: Mapped[int | None]
    asset_name: Mapped[str] = mapped_column(String(120), default="")
    machine_id: Mapped[int | None] = mapped_column(ForeignKey("machines.id"), index=True)
    counterparty_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    movement: Mapped[str] = mapped_column(String(32))
    resolution_no: Mapped[str] = mapped_column(String(60), default="")
    note: Mapped[str] = mapped_column(String(200), default="")
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("share_entries.id"), unique=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime]

    member = relationship("Member", foreign_keys=[member_id], lazy="joined")
    counterparty = relationship("Member", foreign_keys=[counterparty_id], lazy="joined")
    recorded_by = relationship("User", lazy="joined")
    reverses = relationship("ShareEntry", remote_side=[id], foreign_keys=[reverses_id])

    @property
    def class_label(self) -> str:
        return ShareClass(self.share_class).label

    @property
    def kind_label(self) -> str:
        return EntryKind(self.entry_kind).label

    @property
    def contribution_label(self) -> str:
        if not self.contribution_kind:
            return ""
        return ContributionKind(self.contribution_kind).label

    def __repr__(self) -> str:
        return f"<ShareEntry {self.id} m{self.member_id} {self.share_class} {self.shares:+}>"


class AppendOnlyError(RuntimeError):
    pass


@event.listens_for(ShareEntry, "before_update")
def _refuse_update(_mapper, _conn, target):  # pragma: no cover - a programming error
    raise AppendOnlyError(f"share register entries are never edited ({target!r})")


@event.listens_for(ShareEntry, "before_delete")
def _refuse_delete(_mapper, _conn, target):  # pragma: no cover - a programming error
    raise AppendOnlyError(f"share register entries are never deleted ({target!r})")


class ShareSum(db.Model):
    """The register's sums kept current as entries are written (one row per
    cooperative, date and kind of entry): the share structure on any date is
    the sum of the rows dated on or before it, a few thousand rows instead of
    the register's million."""

    __tablename__ = "share_sums"
    # the structure page's GROUP BY class and kind read in index order, the
    # sums from the index itself: SQLite sorted 6,757 rows in a temporary
    # B-tree for it (8 ms, against 1.7 ms; migration 0041)
    __table_args__ = (Index("ix_share_sums_by_kind", "cooperative_id", "share_class", "entry_kind",
                            "contribution_kind", "machine", "effective_on", "shares",
                            "value_fen", "land_mu"),)

    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"), primary_key=True)
    effective_on: Mapped[date] = mapped_column(primary_key=True)
    share_class: Mapped[str] = mapped_column(String(16), primary_key=True)
    entry_kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    contribution_kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # "" for none
    machine: Mapped[bool] = mapped_column(primary_key=True)  # linked to a machine record
    shares: Mapped[int] = mapped_column(Int64)
    value_fen: Mapped[int] = mapped_column(Int64)
    land_mu: Mapped[int] = mapped_column(Int64)


class ShareHolderStep(db.Model):
    """How many holders a cooperative gains (or loses, negative) on a date, in
    one class or (``share_class`` "") in any: the holders on a date are the
    sum of the steps dated on or before it."""

    __tablename__ = "share_holder_steps"
    __table_args__ = (Index("ix_share_holder_steps_by_class", "cooperative_id", "share_class",
                            "effective_on", "holders"),)

    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"), primary_key=True)
    effective_on: Mapped[date] = mapped_column(primary_key=True)
    share_class: Mapped[str] = mapped_column(String(16), primary_key=True)
    holders: Mapped[int] = mapped_column(Int64)
