"""A published disclosure: the figures of a period as published, a snapshot
the ledger can no longer change. Never updated, never deleted: a correction
is a new row of the same period (``revision`` + 1) pointing at the one it
corrects, which is superseded by it."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from coop import clock
from coop.database import Int64
from coop.disclosure.rules import RCEO_45, Period
from coop.errors import ServiceError
from coop.extensions import db

IMMUTABLE = (f"{RCEO_45}：已公开的财务公开内容不能修改或删除；"
             "数字有误的，请填写更正原因另行公开更正")


class Disclosure(db.Model):
    __tablename__ = "disclosures"
    __audit_label__ = "财务公开"
    __audit_labels__ = {
        "period_kind": "公开周期", "year": "年度", "period_no": "期次", "starts_on": "起始日",
        "ends_on": "截止日", "revision": "版次", "published_on": "公开日期",
        "published_at": "发布时间", "published_by_id": "发布人（编号）",
        "corrects_id": "更正的公开（编号）", "correction_reason": "更正原因",
        "major_item_threshold_fen": "重大事项金额标准", "figures": "公开的数字"}
    __table_args__ = (
        UniqueConstraint("cooperative_id", "period_kind", "year", "period_no", "revision",
                         name="uq_disclosures_period_revision"),
        UniqueConstraint("corrects_id", name="uq_disclosures_corrects"),
        CheckConstraint("(revision = 1 AND corrects_id IS NULL AND correction_reason = '')"
                        " OR (revision > 1 AND corrects_id IS NOT NULL AND correction_reason <> '')",
                        name="correction_shape"),
        Index("ix_disclosures_coop_published", "cooperative_id", "published_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    period_kind: Mapped[str] = mapped_column(String(8))
    year: Mapped[int]
    period_no: Mapped[int]
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    revision: Mapped[int] = mapped_column(default=1)
    published_on: Mapped[date]
    published_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("disclosures.id"))
    correction_reason: Mapped[str] = mapped_column(String(200), default="")
    major_item_threshold_fen: Mapped[int] = mapped_column(Int64)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)

    @property
    def period(self) -> Period:
        return Period(self.year, self.period_kind, self.period_no)

    @property
    def is_correction(self) -> bool:
        return self.corrects_id is not None


@event.listens_for(Disclosure, "before_update")
@event.listens_for(Disclosure, "before_delete")
def _never_changed(_mapper, _connection, target: Disclosure) -> None:
    raise ServiceError(IMMUTABLE)
