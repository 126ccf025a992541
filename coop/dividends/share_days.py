"""Share-days (股·日) of a holder in a year (docs/rules.md, "The distribution").

Pure: no Flask, no database. The register's rule is that holdings on a date
are the sum of the entries effective up to and including that date. Share-days
of a year are the sum, over every day of the year, of the holdings on that
day; so both ends of a holding period count: shares held from 1 January to
31 December give shares x 365 (366 in a leap year), shares subscribed on
31 December give shares x 1. An exit effective on a date (transfer out,
redemption) means the shares are no longer held on that date: a transfer on
1 July gives the seller 1 January - 30 June and the buyer 1 July - 31 December,
so no day is counted twice and the share-days of the whole register are kept.

The same figure in SQL, for the shares engineer to compute or cross-check:

    SUM(delta * (DATE 'YYYY-12-31' - MAX(effective_date, DATE 'YYYY-01-01') + 1))
    over the entries with effective_date <= 'YYYY-12-31'

(entries before the year count for every day of it, later ones not at all);
:func:`share_days_sql_formula` is that formula in Python.
"""
from __future__ import annotations

import calendar
from datetime import date
from typing import Hashable, Iterable, Mapping, TypeVar

K = TypeVar("K", bound=Hashable)

Entry = tuple[date, int]  # (effective date, signed number of shares)


class ShareDaysError(ValueError):
    """The entries cannot be a holding (message in Chinese)."""


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def _checked(entries: Iterable[Entry]) -> list[Entry]:
    checked = []
    for day, delta in entries:
        if not isinstance(day, date):
            raise TypeError(f"登记日期必须是日期，收到 {day!r}")
        if isinstance(delta, bool) or not isinstance(delta, int):
            raise TypeError(f"股数变动必须是整数，收到 {delta!r}")
        checked.append((day, delta))
    return checked


def holdings_on(entries: Iterable[Entry], on: date) -> int:
    """Shares held on ``on``: the sum of entries effective up to and including it."""
    return sum(delta for day, delta in _checked(entries) if day <= on)


def share_days(entries: Iterable[Entry], year: int) -> int:
    """Share-days of one holder (one class or all classes) in ``year``.

    ``entries`` are the holder's register entries in any order, including
    those before the year (they make the opening holding); entries after the
    year are ignored. A holding that would go below zero on any day (after
    netting all entries of that day) is refused with ShareDaysError.
    """
    first, last = date(year, 1, 1), date(year, 12, 31)
    by_day: dict[date, int] = {}
    held = 0
    for day, delta in _checked(entries):
        if day < first:
            held += delta
        elif day <= last:
            by_day[day] = by_day.get(day, 0) + delta
    if held < 0:
        raise ShareDaysError(f"{year} 年初持股为负数（{held} 股），登记簿有误")
    total = 0
    since = first  # holdings ``held`` apply from ``since`` until the next change
    for day in sorted(by_day):
        total += held * (day - since).days
        held += by_day[day]
        if held < 0:
            raise ShareDaysError(f"{day.isoformat()} 持股为负数（{held} 股），登记簿有误")
        since = day
    total += held * ((last - since).days + 1)
    return total


def share_days_sql_formula(entries: Iterable[Entry], year: int) -> int:
    """The SQL-friendly formula of the module docstring (no negativity check)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    return sum(
        delta * ((last - max(day, first)).days + 1)
        for day, delta in _checked(entries)
        if day <= last
    )


def share_days_by_holder(entries: Mapping[K, Iterable[Entry]], year: int) -> dict[K, int]:
    """:func:`share_days` for each holder: holder -> share-days."""
    return {holder: share_days(items, year) for holder, items in entries.items()}
