"""The periods of the financial disclosure and when one is due. Pure: no
Flask, no database.

The law: finances are disclosed to the members regularly (《农村集体经济组织法》
第四十五条); at least once a quarter, monthly where transactions are many, and
major items at once (《村民委员会组织法》第三十条). The charter says month or
quarter.

The deadline: a period is disclosed within 15 days after its end. The day
the period ends is day 0; the 15th day after it is the last day in time
(Q1 ends on 31 March: due on 15 April); from the 16th day (16 April) a
period not yet disclosed is overdue.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cached_property

from coop.clock import future_error

VCOL_30 = "《村民委员会组织法》第三十条"
RCEO_45 = "《农村集体经济组织法》第四十五条"
DUE_DAYS = 15
QUARTER, MONTH = "quarter", "month"
QUARTER_WORDS = ("一", "二", "三", "四")


class PeriodState(StrEnum):
    NOT_ENDED = "not_ended"
    PENDING = "pending"
    DISCLOSED = "disclosed"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return {"not_ended": "未到期", "pending": "待公开", "disclosed": "已公开",
                "overdue": "逾期"}[self.value]


@dataclass(frozen=True, order=True)
class Period:
    """A quarter (``number`` 1-4) or a month (1-12) of a calendar year."""

    year: int
    kind: str
    number: int

    def __post_init__(self) -> None:
        if self.kind not in (QUARTER, MONTH):
            raise ValueError(f"unknown period kind {self.kind!r}")
        if not 1 <= self.number <= (4 if self.kind == QUARTER else 12):
            raise ValueError(f"no {self.kind} {self.number}")

    @property
    def months(self) -> int:
        return 3 if self.kind == QUARTER else 1

    @property
    def first_month(self) -> int:
        return (self.number - 1) * self.months + 1

    @cached_property
    def starts_on(self) -> date:
        return date(self.year, self.first_month, 1)

    @cached_property
    def ends_on(self) -> date:
        last = self.first_month + self.months - 1
        following = date(self.year + 1, 1, 1) if last == 12 else date(self.year, last + 1, 1)
        return following - timedelta(days=1)

    @cached_property
    def due_on(self) -> date:
        """The last day it may be disclosed in time."""
        return self.ends_on + timedelta(days=DUE_DAYS)

    @property
    def key(self) -> str:
        """The period in a URL: q1-q4, m1-m12."""
        return f"{self.kind[0]}{self.number}"

    @property
    def label(self) -> str:
        if self.kind == QUARTER:
            return f"{self.year} 年第{QUARTER_WORDS[self.number - 1]}季度"
        return f"{self.year} 年 {self.number} 月"

    @property
    def year_start(self) -> date:
        return date(self.year, 1, 1)

    def next(self) -> "Period":
        last = 4 if self.kind == QUARTER else 12
        if self.number == last:
            return Period(self.year + 1, self.kind, 1)
        return Period(self.year, self.kind, self.number + 1)

    @classmethod
    def parse(cls, year: int, key: str) -> "Period | None":
        """The period of a URL's ``year`` and ``key``, or None when it is none."""
        kinds = {"q": QUARTER, "m": MONTH}
        if not key or key[0] not in kinds or not key[1:].isascii() or not key[1:].isdigit():
            return None
        try:
            return cls(year, kinds[key[0]], int(key[1:]))
        except ValueError:
            return None

    @classmethod
    def containing(cls, kind: str, day: date) -> "Period":
        months = 3 if kind == QUARTER else 1
        return cls(day.year, kind, (day.month - 1) // months + 1)


def periods_from(kind: str, first_day: date, today: date) -> list[Period]:
    """The periods of ``kind`` from the one containing ``first_day`` to the
    one containing ``today``, oldest first."""
    out: list[Period] = []
    period, last = Period.containing(kind, first_day), Period.containing(kind, today)
    while period <= last:
        out.append(period)
        period = period.next()
    return out


def is_overdue(period: Period, today: date, disclosed: bool) -> bool:
    """Not disclosed and past the 15th day after the period's end."""
    return not disclosed and today > period.due_on


def state_of(period: Period, today: date, disclosed: bool) -> PeriodState:
    if disclosed:
        return PeriodState.DISCLOSED
    if today <= period.ends_on:
        return PeriodState.NOT_ENDED
    return PeriodState.OVERDUE if is_overdue(period, today, disclosed) else PeriodState.PENDING


def covered(period: Period, ranges: list[tuple[date, date]]) -> bool:
    """Every day of ``period`` falls in one of the disclosed ``ranges`` (a
    month within a disclosed quarter is disclosed)."""
    day = period.starts_on
    for start, end in sorted(ranges):
        if start > day:
            break
        if end >= day:
            day = end + timedelta(days=1)
        if day > period.ends_on:
            return True
    return day > period.ends_on


def publish_error(period: Period, *, today: date, published_on: date | None,
                  first_day: date, published_before: date | None, reason: str,
                  correcting: bool, law: str = RCEO_45,
                  period_law: str = VCOL_30) -> tuple[str, str] | None:
    """(field, message) of why ``period`` cannot be published now, or None.

    ``first_day``: the cooperative's first day (its first ledger entry, or
    the day it was set up); ``published_before``: the day the period's current
    disclosure was published, None when it has none; ``correcting``: the
    request is a correction (it must give a reason and have something to correct);
    ``law`` and ``period_law``: what the refusals cite, the cooperative's regime's."""
    if today <= period.ends_on:
        return "_form", (f"{period_law}：财务公开按期进行，{period.label}到 "
                         f"{period.ends_on:%Y-%m-%d} 才结束，期满后才能公开")
    if period.ends_on < first_day:
        return "_form", (f"{period.label}在本社有账目之前（{first_day:%Y-%m-%d} 起有账），"
                         "没有可以公开的财务")
    if published_before is not None and not correcting:
        return "_form", (f"{law}：{period.label}已于 {published_before:%Y-%m-%d} 公开，已公开的内容不能修改；"
                         "数字有误的，请在该期的公开页填写更正原因，另行公开更正")
    if correcting and published_before is None:
        return "_form", f"{period.label}尚未公开，没有可以更正的内容"
    if correcting and not reason.strip():
        return "reason", f"{law}：更正已公开的财务须写明更正原因"
    if published_on is None:
        return "published_on", "请填写公开日期"
    if published_on <= period.ends_on:
        return "published_on", f"公开日期应在{period.label}结束（{period.ends_on:%Y-%m-%d}）之后"
    if message := future_error(published_on, "公开日期", today):
        return "published_on", message
    if published_before is not None and published_on < published_before:
        return "published_on", f"更正的公开日期不能早于原公开日期 {published_before:%Y-%m-%d}"
    return None
