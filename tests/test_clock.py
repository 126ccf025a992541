"""coop.clock: "today" is the date in Beijing whatever the server's zone, and
the test suite runs on a fixed clock (tests/conftest.py)."""
import os
import time
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from coop import clock
from coop.extensions import db
from coop.idcodes import resident_id_check_char, resident_id_error


@pytest.fixture
def server_zone():
    """Run the block with the process in another time zone (as a server kept
    on New York or UTC time would be), then put the zone back."""
    saved = os.environ.get("TZ")

    def set_zone(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield set_zone
    if saved is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved
    time.tzset()


def test_today_is_the_beijing_date_of_utcnow(monkeypatch):
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2026, 12, 31, 17, 0))
    assert clock.today() == date(2027, 1, 1)
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2026, 12, 31, 15, 59))
    assert clock.today() == date(2026, 12, 31)


@pytest.mark.parametrize("zone", ["America/New_York", "UTC", "Asia/Shanghai", "Pacific/Kiritimati"])
def test_today_does_not_follow_the_server_zone(monkeypatch, server_zone, zone):
    """On a server kept in any zone, at 2026-12-31 17:00 UTC it is already
    1 January in Beijing (date.today() there would still say 31 December)."""
    server_zone(zone)
    monkeypatch.setattr(clock, "system_utcnow", lambda: datetime(2026, 12, 31, 17, 0))
    assert clock.today() == date(2027, 1, 1)
    assert clock.utcnow() == datetime(2026, 12, 31, 17, 0)


def test_the_real_clock_gives_the_beijing_date(monkeypatch):
    monkeypatch.undo()  # the machine's own clock, not the suite's fixed one
    real = datetime.now(clock.LOCAL_TZ).date()
    assert clock.today() in (real, datetime.now(clock.LOCAL_TZ).date())
    utc = datetime.now(timezone.utc).replace(tzinfo=None)
    assert abs((clock.utcnow() - utc).total_seconds()) < 5


def test_the_suite_runs_on_a_fixed_beijing_time():
    assert clock.today() == date(2026, 6, 15)
    assert clock.local(clock.utcnow()).hour == 10
    first = clock.utcnow()
    assert clock.utcnow() >= first  # it still runs, so stamps keep their order


@pytest.mark.now("2028-02-29 23:30")
def test_a_test_sets_its_own_time_with_a_marker():
    assert clock.today() == date(2028, 2, 29)
    assert clock.utcnow().date() == date(2028, 2, 29) and clock.utcnow().hour == 15


def test_a_test_moves_the_clock(wall_clock):
    wall_clock.set(date(2027, 1, 1))
    assert clock.today() == date(2027, 1, 1)
    wall_clock.set(datetime(2027, 1, 1, 7, 59))
    assert clock.utcnow() >= datetime(2026, 12, 31, 23, 59)


def test_replaying_runs_a_block_on_a_past_day_never_ahead_of_now():
    with clock.replaying(date(2025, 3, 15)):
        assert clock.today() == date(2025, 3, 15)
        assert clock.utcnow() == datetime(2025, 3, 15, 1, 0)  # 09:00 in Beijing
    assert clock.today() == date(2026, 6, 15)
    with clock.replaying(date(2030, 1, 1)):
        assert clock.today() == date(2026, 6, 15)


def test_an_id_number_born_after_today_is_refused_by_the_clocks_date(wall_clock):
    first17 = "15020320260620001"
    number = first17 + resident_id_check_char(first17)
    assert resident_id_error(number) == "身份证号中的出生日期不合理"
    wall_clock.set(date(2026, 6, 20))
    assert resident_id_error(number) is None


def test_created_at_defaults_come_from_the_clock(app, create_coop, wall_clock):
    from coop.cooperatives.models import Cooperative

    wall_clock.set(datetime(2027, 1, 1, 0, 30))
    create_coop("t1")
    with app.app_context():
        created = db.session.scalar(select(Cooperative.created_at).where(Cooperative.code == "t1"))
    assert datetime(2026, 12, 31, 16, 30) <= created < datetime(2026, 12, 31, 16, 31)


def test_a_day_after_today_is_refused_by_beijings_date(monkeypatch):
    """One message for every record dated after today, naming today."""
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2026, 6, 15, 23, 0))  # 07:00 on the 16th
    assert clock.future_error(date(2026, 6, 16), "作业日期") is None
    assert clock.future_error(date(2026, 6, 17), "作业日期") == "作业日期不能晚于今天（2026-06-16）"
    assert clock.future_error(None, "作业日期") is None
    assert clock.future_error(date(2026, 6, 17), "入社日期", date(2026, 6, 17)) is None
    assert clock.future_error(date(2026, 6, 18), "入社日期", date(2026, 6, 17)) == (
        "入社日期不能晚于今天（2026-06-17）")
