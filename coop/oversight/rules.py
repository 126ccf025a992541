"""The warning rules of the township and county view. Pure: dates and
figures in, a verdict out; no Flask, no database. Each names the rule it
applies."""
from __future__ import annotations

from datetime import date

# a year's books are closed by 31 March of the next year
CLOSE_BY = (3, 31)
# the distribution plan of a year is approved by 30 June of the next year
APPROVE_BY = (6, 30)
# a meeting's failed resolution is shown for a year after the meeting
FAILED_RESOLUTION_DAYS = 365
# default thresholds (app settings OVERSIGHT_OLD_RECEIVABLES_FEN, OVERSIGHT_LARGE_CASH_FEN)
OLD_RECEIVABLES_FEN = 1_000_000     # 10,000 yuan
LARGE_CASH_FEN = 5_000_000          # 50,000 yuan


def close_deadline(year: int) -> date:
    return date(year + 1, *CLOSE_BY)


def plan_deadline(year: int) -> date:
    return date(year + 1, *APPROVE_BY)


def year_due_for_close(today: date) -> int:
    """The latest year whose close is due by ``today`` (its deadline passed)."""
    return today.year - 1 if today > close_deadline(today.year - 1) else today.year - 2


def year_due_for_plan(today: date) -> int:
    """The latest year whose plan is due by ``today``."""
    return today.year - 1 if today > plan_deadline(today.year - 1) else today.year - 2


def close_overdue(year: int, closed: bool, first_year: int, today: date) -> bool:
    """The year is not closed after 31 March of the next year (a cooperative
    whose records begin after the year, ``first_year``, has nothing to close)."""
    return not closed and first_year <= year and today > close_deadline(year)


def plan_overdue(year: int, approved: bool, to_distribute_fen: int | None, first_year: int,
                 today: date) -> bool:
    """No approved plan for the year after 30 June of the next year; not when
    the year was closed with nothing to distribute (``to_distribute_fen`` <= 0;
    None while the year is open), nor when the cooperative's records begin
    after the year (``first_year``)."""
    if approved or first_year > year or today <= plan_deadline(year):
        return False
    return to_distribute_fen is None or to_distribute_fen > 0


def old_receivables_over(old_fen: int, threshold_fen: int) -> bool:
    """Receivables over a year old at or above the threshold."""
    return old_fen > 0 and old_fen >= threshold_fen


def cash_payment_large(amount_fen: int, threshold_fen: int) -> bool:
    return amount_fen >= threshold_fen


def failed_resolution_recent(meeting_on: date, today: date) -> bool:
    return 0 <= (today - meeting_on).days <= FAILED_RESOLUTION_DAYS
