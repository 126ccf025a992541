"""The member accounts' table: append-only entries quantifying the reserve fund
and the state grants and donations to each member (成员账户, 农民专业合作社法第四十三条)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from coop.audit.api import AuditField
from coop import clock
from coop.accounts.constants import AccountEntryKind
from coop.database import Int64
from coop.extensions import db


class AccountEntry(db.Model):
    """One signed amount of one kind quantified to one member for one year.

    Never updated, never deleted: a quantification that no longer stands (its
    plan was replaced by a new version) is undone by entries of the opposite
    sign with ``reverses_id`` pointing at the entries they cancel.
    """

    __tablename__ = "member_account_entries"
    __audit_label__ = "成员账户"
    __audit_labels__ = {"kind": AuditField("记账类别", AccountEntryKind)}
    __table_args__ = (
        CheckConstraint("amount_fen <> 0", name="amount_nonzero"),
        CheckConstraint("kind IN ('reserve', 'grant')", name="kind"),
        Index("ix_member_account_entries_coop_year", "cooperative_id", "year"),
        Index("ix_member_account_entries_member_year", "member_id", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    year: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    amount_fen: Mapped[int] = mapped_column(Int64)  # signed
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("dividend_plans.id"))
    reverses_id: Mapped[int | None] = mapped_column(
        ForeignKey("member_account_entries.id"), unique=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)

    @property
    def kind_label(self) -> str:
        return AccountEntryKind.label_of(self.kind)

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

    def __repr__(self) -> str:
        return f"<AccountEntry {self.id} {self.member_id} {self.year} {self.kind} {self.amount_fen}>"
