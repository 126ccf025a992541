"""The one place that reads the wall clock, so tests can move it.

Times are stored as naive UTC and shown as Beijing time (China Standard
Time, UTC+8 all year: every cooperative this serves is in it, and it has no
daylight saving, so a fixed offset needs no time-zone database).
"""
from datetime import date, datetime, time, timedelta, timezone

LOCAL_TZ = timezone(timedelta(hours=8), "北京时间")


def utcnow() -> datetime:
    """Naive UTC, as stored in the database."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def today() -> date:
    return date.today()


def local(moment: datetime) -> datetime:
    """A stored (naive UTC) time as the wall-clock time in Beijing (naive)."""
    return moment.replace(tzinfo=timezone.utc).astimezone(LOCAL_TZ).replace(tzinfo=None)


def utc_start_of(day: date) -> datetime:
    """The stored (naive UTC) time at which ``day`` begins in Beijing."""
    start = datetime.combine(day, time.min, tzinfo=LOCAL_TZ)
    return start.astimezone(timezone.utc).replace(tzinfo=None)
