"""Share-days (股·日) across joins and exits, counting both ends (DESIGN.md Dividends step 4)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings, strategies as st

from coop.dividends.share_days import (ShareDaysError, days_in_year, holdings_on, share_days,
                                       share_days_by_holder, share_days_sql_formula)

D = date


def test_days_in_year():
    assert days_in_year(2025) == 365
    assert days_in_year(2024) == 366
    assert days_in_year(2000) == 366
    assert days_in_year(1900) == 365


@pytest.mark.parametrize("entries,year,expected", [
    # Held all year (subscribed in an earlier year): shares x days of the year.
    ([(D(2024, 6, 1), 100)], 2025, 100 * 365),
    ([(D(2023, 6, 1), 100)], 2024, 100 * 366),  # leap year
    # Joined on 1 January: the whole year. Joined on 31 December: one day.
    ([(D(2025, 1, 1), 100)], 2025, 100 * 365),
    ([(D(2025, 12, 31), 50)], 2025, 50 * 1),
    ([(D(2024, 12, 31), 50)], 2024, 50 * 1),
    # Joined 1 July: July..December = 31+31+30+31+30+31 = 184 days.
    ([(D(2025, 7, 1), 100)], 2025, 100 * 184),
    # Joined on 29 February 2024: 366 - (31 + 28) = 307 days left, the 29th included.
    ([(D(2024, 2, 29), 10)], 2024, 10 * 307),
    # Left (transfer out) effective 1 July: held 1 January..30 June =
    # 31+28+31+30+31+30 = 181 days (2025), 182 days in 2024.
    ([(D(2020, 1, 1), 100), (D(2025, 7, 1), -100)], 2025, 100 * 181),
    ([(D(2020, 1, 1), 100), (D(2024, 7, 1), -100)], 2024, 100 * 182),
    # Left effective 1 January: not a single day; effective 31 December: 364 days.
    ([(D(2020, 1, 1), 100), (D(2025, 1, 1), -100)], 2025, 0),
    ([(D(2020, 1, 1), 100), (D(2025, 12, 31), -100)], 2025, 100 * 364),
    # Bought 300 on 1 March, sold 200 on 1 July (2024): 1 Mar..30 Jun held
    # 300, 1 Jul..31 Dec held 100.
    ([(D(2024, 3, 1), 300), (D(2024, 7, 1), -200)], 2024, 300 * 122 + 100 * 184),
    # Joined and left within the year: 1 March .. 31 May = 31+30+31 = 92 days (exit 1 June).
    ([(D(2025, 3, 1), 40), (D(2025, 6, 1), -40)], 2025, 40 * 92),
    # Several movements: 100 from 2024; +50 on 1 April; -30 on 1 October.
    # 1 Jan..31 Mar = 90 days x 100 = 9,000; 1 Apr..30 Sep = 183 days x 150 = 27,450;
    # 1 Oct..31 Dec = 92 days x 120 = 11,040; total 47,490 (90 + 183 + 92 = 365).
    ([(D(2025, 10, 1), -30), (D(2024, 3, 3), 100), (D(2025, 4, 1), 50)], 2025, 47_490),
    # Entries after the year don't count; nothing at all is 0.
    ([(D(2026, 1, 1), 100)], 2025, 0),
    ([], 2025, 0),
    # Same-day in and out net to nothing, whatever order they are listed in.
    ([(D(2025, 3, 1), -100), (D(2025, 3, 1), 100)], 2025, 0),
])
def test_share_days(entries, year, expected):
    assert share_days(entries, year) == expected
    assert share_days_sql_formula(entries, year) == expected


def test_transfer_conserves_share_days():
    # A sells 100 shares to B effective 1 July 2024 (leap year): A 182 days, B 184 days.
    seller = [(D(2019, 5, 1), 100), (D(2024, 7, 1), -100)]
    buyer = [(D(2024, 7, 1), 100)]
    result = share_days_by_holder({"A": seller, "B": buyer}, 2024)
    assert result == {"A": 18_200, "B": 18_400}
    assert sum(result.values()) == 100 * 366


def test_holdings_on_counts_the_day_itself():
    entries = [(D(2025, 7, 1), 100), (D(2025, 9, 1), -40)]
    assert holdings_on(entries, D(2025, 6, 30)) == 0
    assert holdings_on(entries, D(2025, 7, 1)) == 100
    assert holdings_on(entries, D(2025, 8, 31)) == 100
    assert holdings_on(entries, D(2025, 9, 1)) == 60


@pytest.mark.parametrize("entries,message", [
    ([(D(2025, 5, 1), -10)], "2025-05-01 持股为负数（-10 股）"),
    ([(D(2024, 5, 1), -10)], "2025 年初持股为负数（-10 股）"),
    ([(D(2025, 1, 1), 10), (D(2025, 2, 1), -5), (D(2025, 3, 1), -6)], "2025-03-01 持股为负数（-1 股）"),
])
def test_negative_holding_refused(entries, message):
    with pytest.raises(ShareDaysError, match=message):
        share_days(entries, 2025)


@pytest.mark.parametrize("entries", [[("2025-01-01", 1)], [(D(2025, 1, 1), 1.5)], [(D(2025, 1, 1), True)]])
def test_bad_types_refused(entries):
    with pytest.raises(TypeError):
        share_days(entries, 2025)


# Random registers that never go below zero: the walk, the SQL formula and a
# day-by-day sum of holdings agree.
@st.composite
def registers(draw):
    year = draw(st.sampled_from([2023, 2024, 2025]))
    start = date(year - 1, 1, 1)
    days = draw(st.lists(st.integers(0, 3 * 366), max_size=8))
    entries, held = [], 0
    for offset in sorted(days):
        delta = draw(st.integers(-held, 500))
        held += delta
        entries.append((start + timedelta(days=offset), delta))
    draw(st.randoms(use_true_random=False)).shuffle(entries)
    return year, entries


@settings(max_examples=60)
@given(registers())
def test_agrees_with_day_by_day_sum(register):
    year, entries = register
    day, total = date(year, 1, 1), 0
    while day.year == year:
        total += holdings_on(entries, day)
        day += timedelta(days=1)
    assert share_days(entries, year) == total
    assert share_days_sql_formula(entries, year) == total
