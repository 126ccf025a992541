"""Straight-line monthly depreciation, in integer fen. Pure: no Flask, no database.

Rules (as in Chinese small-enterprise accounting):
- salvage = original value x salvage rate, half-up to the fen; the depreciable
  base is original - salvage;
- a machine is not depreciated in the month it is acquired: the first month
  is the month after;
- every month but the last gets floor(base / life months); the last month of
  the useful life gets the rest, so the schedule adds up to the base exactly;
- a disposed machine is depreciated in the month of disposal, not after.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coop.money import apply_rate


@dataclass(frozen=True)
class Terms:
    original_value_fen: int
    salvage_rate_bp: int
    useful_life_months: int
    acquired_on: date
    disposed_on: date | None = None


@dataclass(frozen=True)
class MonthLine:
    year: int
    month: int
    amount_fen: int
    accumulated_fen: int
    book_value_fen: int


def salvage_fen(terms: Terms) -> int:
    return apply_rate(terms.original_value_fen, terms.salvage_rate_bp)


def base_fen(terms: Terms) -> int:
    return terms.original_value_fen - salvage_fen(terms)


def _month_index(year: int, month: int) -> int:
    return year * 12 + (month - 1)


def first_month(terms: Terms) -> tuple[int, int]:
    """(year, month) of the first month depreciated: the month after acquisition."""
    return first_month_after(terms.acquired_on)


def first_month_after(acquired_on: date) -> tuple[int, int]:
    """(year, month) of the month after ``acquired_on``."""
    idx = _month_index(acquired_on.year, acquired_on.month) + 1
    return divmod(idx, 12)[0], divmod(idx, 12)[1] + 1


def month_amount(terms: Terms, year: int, month: int) -> int:
    """Depreciation of one calendar month."""
    if terms.useful_life_months <= 0:
        raise ValueError("useful life must be positive")
    start = _month_index(terms.acquired_on.year, terms.acquired_on.month) + 1
    k = _month_index(year, month) - start + 1  # 1 for the first depreciated month
    if k < 1 or k > terms.useful_life_months:
        return 0
    if terms.disposed_on is not None and _month_index(year, month) > _month_index(
            terms.disposed_on.year, terms.disposed_on.month):
        return 0
    base = base_fen(terms)
    monthly = base // terms.useful_life_months
    if k < terms.useful_life_months:
        return monthly
    return base - monthly * (terms.useful_life_months - 1)


def year_months(terms: Terms, year: int) -> list[int]:
    """The twelve monthly amounts of one year."""
    return [month_amount(terms, year, m) for m in range(1, 13)]


def year_amount(terms: Terms, year: int) -> int:
    """The year's depreciation: the sum of its ``month_amount`` (the months of
    the year inside the useful life and not after disposal, the last month of
    the life with the rest), counted without walking the months."""
    if terms.useful_life_months <= 0:
        raise ValueError("useful life must be positive")
    start = _month_index(terms.acquired_on.year, terms.acquired_on.month) + 1
    last = start + terms.useful_life_months - 1
    if terms.disposed_on is not None:
        last = min(last, _month_index(terms.disposed_on.year, terms.disposed_on.month))
    first_in, last_in = max(start, year * 12), min(last, year * 12 + 11)
    if first_in > last_in:
        return 0
    base = base_fen(terms)
    monthly = base // terms.useful_life_months
    total = (last_in - first_in + 1) * monthly
    if last_in == start + terms.useful_life_months - 1:  # the life's last month: the rest
        total += base - monthly * terms.useful_life_months
    return total


def accumulated_before(terms: Terms, year: int) -> int:
    """Depreciation of every month before 1 January of ``year``."""
    total = 0
    y, _ = first_month(terms)
    while y < year:
        total += year_amount(terms, y)
        y += 1
    return total


def schedule(terms: Terms) -> list[MonthLine]:
    """Every depreciated month, from the first to the last (or disposal)."""
    lines: list[MonthLine] = []
    accumulated = 0
    start = _month_index(terms.acquired_on.year, terms.acquired_on.month) + 1
    for idx in range(start, start + terms.useful_life_months):
        year, m0 = divmod(idx, 12)
        amount = month_amount(terms, year, m0 + 1)
        if amount == 0 and terms.disposed_on is not None and idx > _month_index(
                terms.disposed_on.year, terms.disposed_on.month):
            break
        accumulated += amount
        lines.append(MonthLine(year, m0 + 1, amount, accumulated,
                               terms.original_value_fen - accumulated))
    return lines


@dataclass(frozen=True)
class YearLine:
    year: int
    opening_book_fen: int
    amount_fen: int
    closing_book_fen: int
    months: int


def yearly_schedule(terms: Terms) -> list[YearLine]:
    """The schedule summed by calendar year."""
    by_year: dict[int, list[MonthLine]] = {}
    for line in schedule(terms):
        by_year.setdefault(line.year, []).append(line)
    out = []
    book = terms.original_value_fen
    for year in sorted(by_year):
        amount = sum(line.amount_fen for line in by_year[year])
        months = sum(1 for line in by_year[year] if line.amount_fen)
        out.append(YearLine(year, book, amount, book - amount, months))
        book -= amount
    return out
