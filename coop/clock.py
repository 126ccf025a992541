"""The one place that reads the wall clock, so tests can move it."""
from datetime import date, datetime, timezone


def utcnow() -> datetime:
    """Naive UTC, as stored in the database."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def today() -> date:
    return date.today()
