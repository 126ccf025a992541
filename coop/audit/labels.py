"""How the audit log reads: each audited model declares the Chinese label of
its columns (``__audit_labels__``: column -> label, or a ``Field`` where the
column keeps an enumeration's value or hundredths of a unit), and the values
the log keeps are shown as the pages show them.

The columns every model names alike (the record's cooperative, its version,
who recorded it and when...) are labelled here once; a model's own mapping
wins. Values are shown by their column: yes/no flags as 是/否, ``*_fen`` in
yuan, ``*_bp`` as percentages, hundredths of a mu in mu, dates as dates,
stored (UTC) times in Beijing time, enumerations by their Chinese label.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Mapping

from sqlalchemy import Boolean, Date, DateTime

from coop import clock
from coop.labels import LabelledEnum
from coop.money import format_mu, format_percent, format_yuan

EMPTY = "（空）"
WITHHELD = "（不记录）"


@dataclass(frozen=True)
class Field:
    """A column whose value needs more than its label to be read."""

    label: str
    enum: type[LabelledEnum] | None = None
    unit: str | None = None  # the column keeps hundredths of this unit (亩, 升)


COMMON: dict[str, str] = {
    "id": "记录编号",
    "cooperative_id": "合作社",
    "version": "版本号",
    "member_id": "成员（编号）",
    "note": "备注",
    "year": "年度",
    "amount_fen": "金额",
    "reverses_id": "冲销的记录（编号）",
    "resolution_no": "决议文号",
    "recorded_by_id": "登记人（编号）",
    "recorded_at": "登记时间",
    "created_by_id": "创建人（编号）",
    "created_at": "创建时间",
    "agenda_item_id": "会议议题（编号）",
    "plan_id": "分红方案（编号）",
    "machine_id": "农机（编号）",
    "list_id": "确认名单（编号）",
    "meeting_id": "会议（编号）",
    "votes_for": "赞成票",
    "votes_against": "反对票",
    "votes_abstain": "弃权票",
    "notice_days": "公示天数",
    "notice_start": "公示开始日期",
}

# columns that say nothing a reader of the log needs: the row's own number
# and cooperative are in the entry itself
HIDDEN = frozenset({"id", "cooperative_id"})


@dataclass(frozen=True)
class Shown:
    """One column of an entry as the log page shows it."""

    key: str
    label: str
    value: str


def _fields(model: Any) -> Mapping[str, str | Field]:
    return getattr(model, "__audit_labels__", {})


def label_of(model: Any, key: str) -> Field | None:
    """The declared label of ``model``'s column ``key`` (None: none declared)."""
    declared = _fields(model).get(key)
    if declared is None:
        declared = COMMON.get(key)
    if declared is None:
        return None
    return declared if isinstance(declared, Field) else Field(declared)


def show_value(column_type: Any, key: str, field: Field | None, value: Any) -> str:
    """``value`` as the log keeps it (JSON), shown as the pages show it."""
    if value == "***":
        return WITHHELD
    if isinstance(column_type, Boolean):
        return EMPTY if value is None else ("是" if value else "否")
    if value is None or value == "":
        return EMPTY
    if field is not None and field.enum is not None:
        return field.enum.label_of(str(value))
    if isinstance(column_type, DateTime) and isinstance(value, str):
        return clock.local(datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M")
    if isinstance(column_type, Date) and isinstance(value, str):
        return date.fromisoformat(value).strftime("%Y-%m-%d")
    if isinstance(value, int) and not isinstance(value, bool):
        if field is not None and field.unit:
            return f"{format_mu(value)} {field.unit}"
        if key.endswith("_fen"):
            return f"{format_yuan(value)} 元"
        if key.endswith("_bp"):
            return format_percent(value)
    if isinstance(value, (list, tuple)):
        return "；".join(str(v) for v in value) or EMPTY
    return str(value)


NUMBERED = "（编号）"


def referenced_table(column: Any) -> str | None:
    """The table a column refers to (its foreign key's), None if it refers to none."""
    keys = getattr(column, "foreign_keys", None)
    return next(iter(keys)).column.table.name if keys else None


def show(model: Any, values: Mapping[str, Any] | None,
         names: Mapping[tuple[str, int], str] | None = None) -> list[Shown]:
    """The columns of ``values`` (an entry's before or after) that a reader
    needs, each with its label and value as shown. ``names``: (table, id) ->
    the name of a record a column refers to ('王建国'), shown with its
    number instead of the number alone ('审核人（编号） 3' reads '审核人
    王建国（#3）')."""
    if not values:
        return []
    columns = model.__table__.c if model is not None else {}
    shown = []
    for key, value in values.items():
        if key in HIDDEN:
            continue
        field = label_of(model, key) if model is not None else None
        column = columns.get(key) if model is not None else None
        label = field.label if field else key
        table = referenced_table(column)
        name = (names or {}).get((table, value)) if isinstance(value, int) else None
        if name:
            shown.append(Shown(key, label.removesuffix(NUMBERED), f"{name}（#{value}）"))
            continue
        if table is not None and value is None:  # no record referred to: no number to read
            label = label.removesuffix(NUMBERED)
        shown.append(Shown(key, label, show_value(column.type if column is not None else None, key,
                                                  field, value)))
    return shown
