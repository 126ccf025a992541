"""The one place that reads the wall clock, so tests can move it.

Times are stored as naive UTC and shown as Beijing time (China Standard
Time, UTC+8 all year: every cooperative this serves is in it, and it has no
daylight saving, so a fixed offset needs no time-zone database).

"Today" is the date in Beijing whatever the server's own time zone: it is
derived from ``utcnow()``, so a server kept on UTC still turns the day at
midnight in Beijing, and a test that moves ``utcnow`` moves ``today`` too.

``system_utcnow`` is the only reader of the machine's clock; the test suite
fixes it (tests/conftest.py). ``replaying`` runs a block as of a past moment:
the demo records its history with the times it happened.
"""
from __future__ import annotations

import contextlib
import contextvars
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterator

LOCAL_TZ = timezone(timedelta(hours=8), "北京时间")

_replayed: contextvars.ContextVar[datetime | None] = contextvars.ContextVar(
    "coop_clock_replayed", default=None)


def system_utcnow() -> datetime:
    """The machine's clock as naive UTC."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def utcnow() -> datetime:
    """Naive UTC, as stored in the database."""
    replayed = _replayed.get()
    return replayed if replayed is not None else system_utcnow()


def today() -> date:
    """The date in Beijing now."""
    return local(utcnow()).date()


def future_error(day: date | None, what: str, today_: date | None = None) -> str | None:
    """What a record dated after today is told: '<what>不能晚于今天（YYYY-MM-DD）'
    (today in Beijing, or ``today_`` when the caller holds one); None for a
    day not after it, or no day."""
    now = today() if today_ is None else today_
    if day is not None and day > now:
        return f"{what}不能晚于今天（{now.isoformat()}）"
    return None


def local(moment: datetime) -> datetime:
    """A stored (naive UTC) time as the wall-clock time in Beijing (naive)."""
    return moment.replace(tzinfo=timezone.utc).astimezone(LOCAL_TZ).replace(tzinfo=None)


def local_day(moment: datetime | None) -> date | None:
    """The day in Beijing of a stored (naive UTC) time; None for None."""
    return None if moment is None else local(moment).date()


def utc_of_local(moment: datetime) -> datetime:
    """A wall-clock time in Beijing (naive) as a stored (naive UTC) time."""
    return moment.replace(tzinfo=LOCAL_TZ).astimezone(timezone.utc).replace(tzinfo=None)


def utc_start_of(day: date) -> datetime:
    """The stored (naive UTC) time at which ``day`` begins in Beijing."""
    return utc_of_local(datetime.combine(day, time.min))


@contextlib.contextmanager
def replaying(day: date, at: time = time(9, 0)) -> Iterator[None]:
    """Demo data only: inside the block it is ``day`` at ``at`` in Beijing, so
    what is recorded there carries the time it happened. A moment still to
    come is replayed as now: the clock never runs ahead of the real one.
    """
    moment = min(utc_of_local(datetime.combine(day, at)), system_utcnow())
    token = _replayed.set(moment)
    try:
        yield
    finally:
        _replayed.reset(token)
