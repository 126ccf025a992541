"""The areas a cooperative sits in and an overseer reads: county (县、区) >
township (乡镇、苏木) > village (村、嘎查). A cooperative belongs to one
village area; an overseer's account belongs to one area of any level and
reads every cooperative under it."""
from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.extensions import db
from coop.labels import LabelledEnum


class AreaLevel(LabelledEnum):
    COUNTY = "county", "县（区）"
    TOWNSHIP = "township", "乡镇"
    VILLAGE = "village", "村"


class Area(db.Model):
    __tablename__ = "areas"
    __audit_label__ = "辖区"
    __audit_labels__ = {"code": "辖区代码", "name": "名称", "level": "级别", "parent_id": "上级辖区（编号）"}
    __table_args__ = (
        UniqueConstraint("parent_id", "name"),
        CheckConstraint("level IN ('county', 'township', 'village')", name="area_level_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    level: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)

    parent: Mapped[Area | None] = relationship(remote_side=[id], lazy="joined", join_depth=2)

    @property
    def level_label(self) -> str:
        return AreaLevel.label_of(self.level)

    def __repr__(self) -> str:
        return f"<Area {self.code} {self.name}>"
