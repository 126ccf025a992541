"""The statement a disclosure publishes, built from the ledger of the period
and of the year to date, and kept as it was published (``as_dict`` /
``from_dict``: the JSON snapshot of a Disclosure). Pure: no Flask, no
database."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Line:
    label: str
    amount_fen: int


@dataclass(frozen=True)
class MajorItem:
    on: date
    side: str  # 收入 or 支出
    kind: str
    counterparty: str
    amount_fen: int
    note: str = ""


@dataclass(frozen=True)
class Block:
    """Income, expenses and result of a run of days."""

    income: list[Line]
    expenses: list[Line]
    depreciation_fen: int

    @property
    def income_fen(self) -> int:
        return sum(line.amount_fen for line in self.income)

    @property
    def expenses_fen(self) -> int:
        return sum(line.amount_fen for line in self.expenses)

    @property
    def result_fen(self) -> int:
        """Income less expenses less depreciation (收支结余)."""
        return self.income_fen - self.expenses_fen - self.depreciation_fen


def receivables_label(ends_on: date, today: date) -> str:
    """The receivables line's label: at the period's end, or so far while the
    period runs (a draft read before its end shows today's balance)."""
    if today < ends_on:
        return f"截至 {today:%Y-%m-%d}（本期到 {ends_on:%Y-%m-%d} 结束）应收未收作业款"
    return f"{ends_on:%Y-%m-%d} 应收未收作业款"


@dataclass(frozen=True)
class Statement:
    starts_on: date
    ends_on: date
    period: Block
    year_to_date: Block
    received: list[Line]
    paid: list[Line]
    receivables_fen: int
    major_over_fen: int
    major_items: list[MajorItem]

    @property
    def received_fen(self) -> int:
        return sum(line.amount_fen for line in self.received)

    @property
    def paid_fen(self) -> int:
        return sum(line.amount_fen for line in self.paid)

    @property
    def net_cash_fen(self) -> int:
        return self.received_fen - self.paid_fen

    def as_dict(self) -> dict[str, Any]:
        def block(b: Block) -> dict[str, Any]:
            return {"income": [[x.label, x.amount_fen] for x in b.income],
                    "expenses": [[x.label, x.amount_fen] for x in b.expenses],
                    "depreciation_fen": b.depreciation_fen}
        return {
            "starts_on": self.starts_on.isoformat(), "ends_on": self.ends_on.isoformat(),
            "period": block(self.period), "year_to_date": block(self.year_to_date),
            "received": [[x.label, x.amount_fen] for x in self.received],
            "paid": [[x.label, x.amount_fen] for x in self.paid],
            "receivables_fen": self.receivables_fen, "major_over_fen": self.major_over_fen,
            "major_items": [[i.on.isoformat(), i.side, i.kind, i.counterparty, i.amount_fen, i.note]
                            for i in self.major_items],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Statement":
        def lines(rows) -> list[Line]:
            return [Line(label, int(fen)) for label, fen in rows]

        def block(b: dict[str, Any]) -> Block:
            return Block(lines(b["income"]), lines(b["expenses"]), int(b["depreciation_fen"]))
        return cls(
            starts_on=date.fromisoformat(d["starts_on"]), ends_on=date.fromisoformat(d["ends_on"]),
            period=block(d["period"]), year_to_date=block(d["year_to_date"]),
            received=lines(d["received"]), paid=lines(d["paid"]),
            receivables_fen=int(d["receivables_fen"]), major_over_fen=int(d["major_over_fen"]),
            major_items=[MajorItem(date.fromisoformat(on), side, kind, who, int(fen), note)
                         for on, side, kind, who, fen, note in d["major_items"]])
