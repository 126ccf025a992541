"""A paid line as its member reads it: the day, and what went by the
payment's method. Where the plan turned part of the line into capital
(盈余转增, 农民专业合作社法第四十四条第三款) only the rest was paid by that
method, so the two parts are named apart: a member looking for the whole
on their card would not find it. Pure: reads the line only."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coop.dividends.models import DividendLine
from coop.money import format_yuan

CONVERTED = "转为出资"


@dataclass(frozen=True)
class PaidPart:
    """One part of a paid line: by the payment's method, or turned into capital."""

    label: str
    fen: int
    note: str = ""  # the shares a conversion became

    @property
    def text(self) -> str:
        note = f"（{self.note}）" if self.note else ""
        return f"{self.label} {format_yuan(self.fen)} 元{note}"


@dataclass(frozen=True)
class Paid:
    paid_on: date
    method: str  # the payment method's label ('' when none was recorded)
    parts: list[PaidPart]  # empty when the whole line went by the method

    @property
    def badge(self) -> str:
        """'已发放 2026-03-25（惠农一卡通）', without the method when the line is split."""
        method = f"（{self.method}）" if self.method and not self.parts else ""
        return f"已发放 {self.paid_on:%Y-%m-%d}{method}"

    @property
    def text(self) -> str:
        """The day and the method, and each part where the line is split."""
        if not self.parts:
            return f"{self.paid_on:%Y-%m-%d}" + (f"（{self.method}）" if self.method else "")
        return f"{self.paid_on:%Y-%m-%d}，" + "，".join(p.text for p in self.parts)


def paid_of(line: DividendLine) -> Paid | None:
    """How ``line`` was paid, or None while it is not."""
    if line.paid_on is None:
        return None
    method = line.payment_method_label
    parts = []
    if line.converted_fen:
        parts = [PaidPart(method or "发放", line.cash_fen),
                 PaidPart(CONVERTED, line.converted_fen, f"{line.converted_shares:,} 股")]
    return Paid(line.paid_on, method, parts)
