from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.extensions import db
from coop.labels import LabelledEnum


class AuditAction(LabelledEnum):
    CREATE = "create", "新建"
    UPDATE = "update", "修改"
    REVERSE = "reverse", "冲销"
    DELETE = "delete", "删除"


class AuditEntry(db.Model):
    """Written by the flush listener in ``coop.audit.services``; never edited."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_coop_at", "cooperative_id", "at"),
        Index("ix_audit_record", "record_type", "record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int | None] = mapped_column(ForeignKey("cooperatives.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    at: Mapped[datetime]
    action: Mapped[str] = mapped_column(String(16))  # create / update / reverse / delete
    record_type: Mapped[str] = mapped_column(String(64))  # table name
    record_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    user = relationship("User", lazy="joined")


    @property
    def action_label(self) -> str:
        return AuditAction.label_of(self.action)
