"""The periods of the financial disclosure and the overdue rule (pure).

The boundary: a period is due by the 15th day after its end (the end is day
0). Q1 2026 ends on 31 March, due on 15 April: on 15 April it is not overdue,
on 16 April it is."""
from datetime import date

import pytest
from hypothesis import given, settings, strategies as st

from coop.disclosure.rules import (Period, PeriodState, covered, is_overdue, periods_from,
                                   publish_error, state_of)

Q1 = Period(2026, "quarter", 1)


def test_a_quarter_and_a_month_have_their_days_and_labels():
    assert (Q1.starts_on, Q1.ends_on, Q1.due_on) == (date(2026, 1, 1), date(2026, 3, 31),
                                                      date(2026, 4, 15))
    assert Q1.label == "2026 年第一季度" and Q1.key == "q1"
    feb = Period(2024, "month", 2)
    assert feb.ends_on == date(2024, 2, 29) and feb.label == "2024 年 2 月" and feb.key == "m2"
    assert Period(2025, "quarter", 4).ends_on == date(2025, 12, 31)
    assert Period(2025, "month", 12).next() == Period(2026, "month", 1)


def test_day_15_after_the_end_is_in_time_and_day_16_is_overdue():
    assert not is_overdue(Q1, date(2026, 4, 15), disclosed=False)
    assert is_overdue(Q1, date(2026, 4, 16), disclosed=False)
    assert not is_overdue(Q1, date(2026, 12, 1), disclosed=True)
    month = Period(2026, "month", 4)  # ends 30 April: due 15 May
    assert not is_overdue(month, date(2026, 5, 15), False) and is_overdue(month, date(2026, 5, 16), False)


def test_states_of_a_period():
    assert state_of(Q1, date(2026, 3, 31), False) == PeriodState.NOT_ENDED
    assert state_of(Q1, date(2026, 4, 1), False) == PeriodState.PENDING
    assert state_of(Q1, date(2026, 4, 15), False) == PeriodState.PENDING
    assert state_of(Q1, date(2026, 4, 16), False) == PeriodState.OVERDUE
    assert state_of(Q1, date(2026, 4, 16), True) == PeriodState.DISCLOSED
    assert [s.label for s in PeriodState] == ["未到期", "待公开", "已公开", "逾期"]


def test_parse_refuses_what_is_not_a_period():
    assert Period.parse(2026, "q4") == Period(2026, "quarter", 4)
    assert Period.parse(2026, "m12") == Period(2026, "month", 12)
    for key in ("q0", "q5", "m13", "x1", "q", "", "q١", "m-1"):
        assert Period.parse(2026, key) is None, key


def test_periods_from_the_first_day_to_today():
    got = periods_from("quarter", date(2025, 11, 20), date(2026, 6, 15))
    assert [p.key for p in got] == ["q4", "q1", "q2"] and got[0].year == 2025


def test_a_month_of_a_disclosed_quarter_is_covered():
    ranges = [(date(2026, 1, 1), date(2026, 3, 31))]
    assert covered(Period(2026, "month", 2), ranges)
    assert not covered(Period(2026, "month", 4), ranges)
    months = [(Period(2026, "month", m).starts_on, Period(2026, "month", m).ends_on) for m in (1, 2, 3)]
    assert covered(Q1, months) and not covered(Q1, months[:2])


@settings(deadline=None)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
       st.sampled_from(["quarter", "month"]))
def test_every_day_lies_in_exactly_its_period(day, kind):
    period = Period.containing(kind, day)
    assert period.starts_on <= day <= period.ends_on
    assert (period.next().starts_on - period.ends_on).days == 1


def _error(**kwargs):
    base = dict(today=date(2026, 6, 15), published_on=date(2026, 4, 10), first_day=date(2025, 1, 1),
                published_before=None, reason="", correcting=False)
    return publish_error(Q1, **{**base, **kwargs})


def test_refusals_name_the_law_and_the_field():
    assert _error() is None
    field, message = _error(today=date(2026, 3, 31))
    assert field == "_form" and "《村民委员会组织法》第三十条" in message and "2026-03-31" in message
    field, message = _error(first_day=date(2026, 4, 2))
    assert "之前" in message
    field, message = _error(published_before=date(2026, 4, 3))
    assert "《农村集体经济组织法》第四十五条" in message and "更正原因" in message
    assert _error(published_before=date(2026, 4, 3), correcting=True)[0] == "reason"
    assert _error(correcting=True, reason="漏记")[1].endswith("没有可以更正的内容")
    assert _error(published_on=date(2026, 3, 31))[0] == "published_on"
    assert _error(published_on=date(2026, 6, 16))[1] == "公开日期不能晚于今天（2026-06-15）"
    assert _error(published_on=None)[1] == "请填写公开日期"
    assert _error(published_before=date(2026, 4, 12), correcting=True, reason="漏记")[0] == "published_on"


@pytest.mark.parametrize("kind", ["quarter", "month"])
def test_a_period_rejects_a_number_out_of_range(kind):
    with pytest.raises(ValueError):
        Period(2026, kind, 13)
