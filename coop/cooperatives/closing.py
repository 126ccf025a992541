"""The closed period of a cooperative's books: the one place that says which dates are locked.

The machinery ledger computes a year's figures and closes it (``YearClose``).
A close locks more than that year: every day on or before the last day of the
latest closed year is a closed fact, including earlier years that never had a
ledger. Every service that writes a dated record (share entries of every kind,
service orders, payments, expenses, other incomes, member join and status
dates) asks ``ensure_date_open`` or ``closed_date_error``; corrections go
into the open year. Importers read ``latest_closed_year`` once and check each
row with ``period_error``.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, func, select

from coop import clock
from coop.cooperatives.models import YearClose
from coop.errors import ServiceError
from coop.extensions import db


# built once: every write dated in a year asks it
_LATEST_CLOSED = select(func.max(YearClose.year)).where(YearClose.cooperative_id == bindparam("coop_id"))


def latest_closed_year(coop_id: int) -> int | None:
    return db.session.scalar(_LATEST_CLOSED, {"coop_id": coop_id})


def latest_closed_year_end(coop_id: int) -> date | None:
    """The last locked day, or None while no year is closed."""
    year = latest_closed_year(coop_id)
    return None if year is None else date(year, 12, 31)


def is_year_locked(coop_id: int, year: int) -> bool:
    """Every day of ``year`` is in the closed period."""
    latest = latest_closed_year(coop_id)
    return latest is not None and year <= latest


def _open_period(latest_closed: int) -> str:
    open_year = latest_closed + 1
    if open_year == clock.today().year:
        return f"本年度（{open_year}）"
    return f"未结账年度（{open_year} 年起）"


def period_error(latest_closed: int | None, on: date | None) -> str | None:
    """The message refusing a new record dated ``on``, or None when ``on`` is open."""
    if on is None or latest_closed is None or on.year > latest_closed:
        return None
    return (f"{latest_closed} 年度已结账，不能登记 {latest_closed}-12-31 及以前的日期；"
            f"请按{_open_period(latest_closed)}的日期登记")


def locked_record_error(latest_closed: int | None, on: date | None, what: str,
                        reversible: bool = False) -> str | None:
    """The message refusing to change a record (or a date) that lies in the closed
    period; ``reversible`` records are corrected by a reversal in the open period."""
    if on is None or latest_closed is None or on.year > latest_closed:
        return None
    message = f"{latest_closed} 年度已结账，{on.isoformat()} 的{what}属于已结账期间，不能再更改"
    if reversible:
        message += f"；更正请按{_open_period(latest_closed)}的日期登记冲销"
    return message


def closed_date_error(coop_id: int, on: date | None) -> str | None:
    return period_error(latest_closed_year(coop_id), on) if on is not None else None


def ensure_date_open(coop_id: int, on: date | None, field: str | None = None) -> None:
    """Raise ``ServiceError`` (on ``field``) when ``on`` is in the closed period."""
    if message := closed_date_error(coop_id, on):
        raise ServiceError(message, field=field)


def ensure_record_editable(coop_id: int, on: date, what: str) -> None:
    """Refuse editing or deleting a reversible record dated ``on`` in the closed period."""
    if message := locked_record_error(latest_closed_year(coop_id), on, what, reversible=True):
        raise ServiceError(message)
