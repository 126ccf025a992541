"""What every part of the machinery ledger shares: a year's date range, the
closed years, the checks of a reversing entry, text that must fit its column
and the (label, shown value) of a changed field. The lowest module of the
domain: it imports no other ledger module."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping, NamedTuple

from sqlalchemy import bindparam, select

from coop import clock
from coop.cooperatives.api import YearClose, ensure_date_open
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.labels import LabelledEnum
from coop.money import format_mu, format_percent, format_yuan


def year_bounds(year: int) -> tuple[date, date]:
    """The first and last day of ``year``."""
    return date(year, 1, 1), date(year, 12, 31)


def in_year(column, year: int):
    """SQL: ``column`` (a date) falls in ``year``."""
    return column.between(*year_bounds(year))


# built once: every machinery page reads it
_CLOSED_YEARS = select(YearClose.year).where(YearClose.cooperative_id == bindparam("coop_id"))


def closed_years(coop_id: int) -> set[int]:
    return set(db.session.scalars(_CLOSED_YEARS, {"coop_id": coop_id}))


def get_year_close(coop_id: int, year: int) -> YearClose | None:
    return db.session.scalar(select(YearClose).where(
        YearClose.cooperative_id == coop_id, YearClose.year == year))


def is_year_closed(coop_id: int, year: int) -> bool:
    """The year was closed with its figures. Whether a date may still be
    written is ``coop.cooperatives.closing``'s question: a close locks every
    earlier year too."""
    return db.session.scalar(select(YearClose.id).where(
        YearClose.cooperative_id == coop_id, YearClose.year == year)) is not None


def added(entry):
    """``entry`` added to the session and flushed (its id assigned)."""
    db.session.add(entry)
    db.session.flush()
    return entry


def length_errors(model, values: Mapping[str, Any], labels: dict[str, str]) -> dict[str, str]:
    """Text longer than its column is refused here: PostgreSQL would fail the
    insert with a server error and SQLite would silently keep it."""
    errors: dict[str, str] = {}
    for name, label in labels.items():
        limit = model.__table__.c[name].type.length
        if limit and len(values.get(name) or "") > limit:
            errors[name] = f"{label}不能超过 {limit} 个字"
    return errors


def stripped(values: Mapping[str, Any], fields: tuple[str, ...],
             text: tuple[str, ...]) -> dict[str, Any]:
    """``fields`` of ``values``, the ``text`` ones stripped ('' for None)."""
    out = {k: values.get(k) for k in fields}
    for key in text:
        out[key] = (out.get(key) or "").strip()
    return out


@dataclass(frozen=True)
class FieldLabels:
    """How the stale-edit message shows a record's fields (``check_version``'s
    ``describe``): their labels; the enums whose stored values show as their
    label; yes/no flags; hundredths shown with their unit (亩, 升). Amounts
    (``_fen``) show in yuan, rates (``_bp``) as percentages."""

    labels: dict[str, str]
    enums: dict[str, type[LabelledEnum]] = field(default_factory=dict)
    flags: tuple[str, ...] = ()
    hundredths: dict[str, str] = field(default_factory=dict)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.labels)

    def __call__(self, name: str, value: Any) -> tuple[str, str]:
        label = self.labels.get(name, name)
        if name in self.flags:
            return label, "是" if value else "否"
        if value is None or value == "":
            return label, "（空）"
        if name in self.hundredths:
            return label, f"{format_mu(value)} {self.hundredths[name]}"
        if name.endswith("_fen"):
            return label, format_yuan(value) + " 元"
        if name.endswith("_bp"):
            return label, format_percent(value)
        if name in self.enums:
            return label, self.enums[name].label_of(value)
        return label, str(value)



def reversal_reason(coop_id: int, on: date | None, reason: str | None) -> str:
    """The checks of every reversing entry: its date, today at the latest and
    in an open year, and a reason (returned stripped)."""
    if on is None:
        raise ValidationFailed({"on": "请填写冲销日期，例如 2025-05-03"})
    if message := clock.future_error(on, "冲销日期"):
        raise ValidationFailed({"on": message})
    ensure_date_open(coop_id, on, field="on")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": "请填写冲销原因"})
    return reason


def ensure_reversible(model, row, what: str) -> None:
    """A reversal is not reversed, and an entry is reversed once."""
    if row.reverses_id is not None:
        raise ServiceError("冲销记录不能再冲销")
    if db.session.scalar(select(model.id).where(model.reverses_id == row.id)):
        raise ServiceError(f"该{what}已冲销过")


def reversed_ids(model, coop_id: int) -> set[int]:
    return set(db.session.scalars(select(model.reverses_id).where(
        model.cooperative_id == coop_id, model.reverses_id.is_not(None))))


class EntryLine(NamedTuple):
    """An append-only entry of a list, and whether a later entry reversed it."""

    entry: Any
    reversed: bool

    @property
    def reversible(self) -> bool:
        return not self.entry.is_reversal and not self.reversed


def entry_lines(model, coop_id: int, entries: list) -> list[EntryLine]:
    """``entries`` of ``model`` with whether each was reversed."""
    done = reversed_ids(model, coop_id)
    return [EntryLine(entry, entry.id in done) for entry in entries]
