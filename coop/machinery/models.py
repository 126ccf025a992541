"""Machinery domain tables. Money in integer fen, ratios in basis points,
areas in integer hundredths of a mu."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coop.extensions import db
from coop.machinery.constants import MachineCategory, MachineSource, MachineStatus


class Machine(db.Model):
    """A machine of the cooperative (农机具), depreciated straight-line by month."""

    __tablename__ = "machines"
    __audit_label__ = "农机具"
    __table_args__ = (
        CheckConstraint("original_value_fen >= 0", name="original_value_nonnegative"),
        CheckConstraint("useful_life_months > 0", name="useful_life_positive"),
        CheckConstraint("salvage_rate_bp >= 0 AND salvage_rate_bp <= 10000",
                        name="salvage_rate_range"),
        Index("ix_machines_coop_name", "cooperative_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    name: Mapped[str] = mapped_column(String(80))
    category: Mapped[str] = mapped_column(String(20), default=MachineCategory.TRACTOR)
    model: Mapped[str] = mapped_column(String(80), default="")
    plate: Mapped[str] = mapped_column(String(30), default="")
    acquired_on: Mapped[date]
    original_value_fen: Mapped[int]
    source: Mapped[str] = mapped_column(String(24), default=MachineSource.PURCHASED)
    useful_life_months: Mapped[int] = mapped_column(default=120)
    salvage_rate_bp: Mapped[int] = mapped_column(default=500)
    status: Mapped[str] = mapped_column(String(16), default=MachineStatus.IN_SERVICE)
    # depreciation stops after the month of disposal
    disposed_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=datetime.utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def category_label(self) -> str:
        return MachineCategory(self.category).label

    @property
    def source_label(self) -> str:
        return MachineSource(self.source).label

    @property
    def status_label(self) -> str:
        return MachineStatus(self.status).label

    def __repr__(self) -> str:
        return f"<Machine {self.id} {self.name}>"
