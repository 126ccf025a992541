"""The pure arithmetic of the machinery ledger, against hand-worked examples:
order amounts to the fen, depreciation, aging buckets, surplus, charts."""
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coop.machinery import charts, depreciation as dep
from coop.machinery.ledger import aging_bucket, order_amount
from coop.machinery.surplus import carried_into_next_year, figures, surplus_fen
from coop.money import AmountError, format_mu, parse_area


# ---------------------------------------------------------------- amounts

@pytest.mark.parametrize("area_cmu, price_fen, expected", [
    (1235, 4550, 56193),      # 12.35 mu x 45.50 = 561.925 -> 561.93 (half up)
    (1000, 2500, 25000),      # 10 mu x 25.00 = 250.00
    (3333, 3000, 99990),      # 33.33 mu x 30.00 = 999.90 exactly
    (1, 50, 1),               # 0.01 mu x 0.50 = 0.005 yuan = 0.5 fen -> 1 fen
    (1, 49, 0),               # 0.49 fen -> 0
    (1, 150, 2),              # 1.5 fen -> 2
    (1, 250, 3),              # 2.5 fen -> 3 (half up, not banker's)
    (10_000_000, 46_000, 4_600_000_000),  # 100,000 mu x 460 yuan, no float error
    (-1235, 4550, -56193),    # a reversal rounds symmetrically
])
def test_order_amount_to_the_fen(area_cmu, price_fen, expected):
    assert order_amount(area_cmu, price_fen) == expected


@given(st.integers(0, 10_000_000), st.integers(0, 1_000_000))
def test_order_amount_matches_decimal_half_up(area_cmu, price_fen):
    from decimal import ROUND_HALF_UP, Decimal

    exact = Decimal(area_cmu) / 100 * Decimal(price_fen)
    assert order_amount(area_cmu, price_fen) == int(exact.quantize(Decimal(1), ROUND_HALF_UP))


def test_parse_and_format_mu():
    assert parse_area("12.5") == 1250
    assert parse_area(" 1,200.05 ") == 120005
    assert parse_area("0.01") == 1
    assert format_mu(120005) == "1,200.05"
    assert format_mu(-50) == "-0.50"
    with pytest.raises(AmountError, match="最多保留 2 位小数"):
        parse_area("1.005")
    with pytest.raises(AmountError, match="不是有效的数字"):
        parse_area("十亩")
    with pytest.raises(AmountError, match="请填写面积"):
        parse_area("")


# ---------------------------------------------------------------- depreciation

TERMS = dep.Terms(original_value_fen=1_000_000, salvage_rate_bp=300, useful_life_months=36,
                  acquired_on=date(2024, 3, 15))


def test_salvage_and_base_hand_worked():
    # 10,000.00 yuan, 3% salvage = 300.00; base 9,700.00 over 36 months
    assert dep.salvage_fen(TERMS) == 30_000
    assert dep.base_fen(TERMS) == 970_000


def test_salvage_rounds_half_up():
    t = dep.Terms(1_000_010, 500, 12, date(2024, 1, 1))
    assert dep.salvage_fen(t) == 50_001  # 50,000.5 fen -> 50,001
    t = dep.Terms(1_000_001, 500, 12, date(2024, 1, 1))
    assert dep.salvage_fen(t) == 50_000  # 50,000.05 fen -> 50,000


def test_first_month_is_the_month_after_acquisition():
    assert dep.first_month(TERMS) == (2024, 4)
    assert dep.month_amount(TERMS, 2024, 3) == 0
    assert dep.month_amount(TERMS, 2024, 4) == 26_944  # floor(970000 / 36)
    december = dep.Terms(1_200_000, 0, 12, date(2024, 12, 31))
    assert dep.first_month(december) == (2025, 1)
    assert dep.year_amount(december, 2024) == 0


def test_last_month_takes_the_remainder():
    # 35 months of 269.44 = 9,430.40; the 36th month (March 2027) gets 269.60
    assert dep.month_amount(TERMS, 2027, 2) == 26_944
    assert dep.month_amount(TERMS, 2027, 3) == 26_960
    assert dep.month_amount(TERMS, 2027, 4) == 0
    lines = dep.schedule(TERMS)
    assert len(lines) == 36
    assert (lines[-1].year, lines[-1].month) == (2027, 3)
    assert lines[-1].accumulated_fen == 970_000
    assert lines[-1].book_value_fen == 30_000  # the salvage value stays


def test_year_amounts_hand_worked():
    assert dep.year_amount(TERMS, 2024) == 9 * 26_944  # April - December: 2,424.96
    assert dep.year_amount(TERMS, 2025) == 12 * 26_944
    assert dep.year_amount(TERMS, 2026) == 12 * 26_944
    assert dep.year_amount(TERMS, 2027) == 2 * 26_944 + 26_960
    assert dep.accumulated_before(TERMS, 2026) == 21 * 26_944
    yearly = dep.yearly_schedule(TERMS)
    assert [y.year for y in yearly] == [2024, 2025, 2026, 2027]
    assert [y.months for y in yearly] == [9, 12, 12, 3]
    assert sum(y.amount_fen for y in yearly) == 970_000
    assert yearly[0].opening_book_fen == 1_000_000
    assert yearly[-1].closing_book_fen == 30_000


def test_disposal_month_is_depreciated_then_nothing():
    disposed = dep.Terms(1_000_000, 300, 36, date(2024, 3, 15), disposed_on=date(2025, 6, 10))
    assert dep.month_amount(disposed, 2025, 6) == 26_944
    assert dep.month_amount(disposed, 2025, 7) == 0
    assert dep.year_amount(disposed, 2025) == 6 * 26_944
    assert dep.year_amount(disposed, 2026) == 0
    assert len(dep.schedule(disposed)) == 15  # April 2024 - June 2025


def test_exact_division_has_no_remainder():
    t = dep.Terms(12_000_000, 500, 120, date(2024, 12, 10))
    assert dep.year_months(t, 2025) == [95_000] * 12
    assert sum(line.amount_fen for line in dep.schedule(t)) == 11_400_000


@given(st.integers(1, 10**9), st.integers(0, 10_000), st.integers(1, 240),
       st.dates(date(2000, 1, 1), date(2040, 12, 31)))
def test_schedule_always_sums_to_the_base(value, rate, life, acquired):
    t = dep.Terms(value, rate, life, acquired)
    lines = dep.schedule(t)
    assert len(lines) == life
    assert sum(line.amount_fen for line in lines) == dep.base_fen(t)
    assert all(line.amount_fen >= 0 for line in lines)


# ---------------------------------------------------------------- aging

@pytest.mark.parametrize("order_date, bucket", [
    (date(2026, 3, 31), "0_30"),    # 0 days
    (date(2026, 3, 1), "0_30"),     # 30 days
    (date(2026, 2, 28), "31_90"),   # 31 days
    (date(2025, 12, 31), "31_90"),  # 90 days
    (date(2025, 12, 30), "over_90"),  # 91 days
])
def test_aging_bucket_boundaries(order_date, bucket):
    assert aging_bucket(order_date, date(2026, 3, 31)) == bucket


# ---------------------------------------------------------------- surplus

def test_surplus_hand_worked_example():
    # members 100,000.00 + non-members 250,000.50 + other income 30,000.00
    # - expenses 180,000.25 - depreciation 40,000.00 + carried surplus 5,000.00
    # = 165,000.25; the 50,000.00 grant is not counted
    f = figures(2025, service_income_members_fen=10_000_000,
                service_income_nonmembers_fen=25_000_050, other_income_fen=3_000_000,
                nondistributable_income_fen=5_000_000, expenses_fen=18_000_025,
                depreciation_fen=4_000_000, carried_surplus_fen=500_000, carried_loss_fen=0)
    assert f.surplus_fen == 16_500_025
    assert f.service_income_fen == 35_000_050
    assert f.operating_result_fen == 16_000_025


def test_surplus_with_carried_loss():
    assert surplus_fen(1_000_000, 0, 0, 400_000, 100_000, 0, 700_000) == -200_000


def test_carried_into_next_year_is_what_the_year_did_not_distribute():
    assert carried_into_next_year(-123_456, None) == (0, 123_456)  # a loss carries whole
    assert carried_into_next_year(-123_456, 0) == (0, 123_456)
    assert carried_into_next_year(500_000, 300_000) == (200_000, 0)  # the plan gave out 300,000
    assert carried_into_next_year(500_000, 500_000) == (0, 0)
    assert carried_into_next_year(500_000, None) == (500_000, 0)  # no plan approved (yet)
    with pytest.raises(ValueError):
        carried_into_next_year(500_000, 500_001)


# ---------------------------------------------------------------- charts

def test_charts_are_escaped_svg_without_style():
    svg = charts.horizontal_bars([("<b>村</b>", 123_456), ("亏损", -5_000)], "标题 & 图")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "&lt;b&gt;" in svg and "<b>" not in svg
    assert "标题 &amp; 图" in svg
    assert "style=" not in svg
    assert "1,234.56" in svg
    bars = charts.grouped_bars(["1月", "2月"], [("收入", [100_00, 0], "s-income"),
                                               ("费用", [50_00, 20_00], "s-expense")], "月")
    assert bars.count("<rect") == 2 + 3  # legend swatches + the three non-zero bars
    assert "本年度还没有数据" in charts.grouped_bars(["1月"], [("收入", [0], "s")], "空")


def test_a_long_bar_label_ends_in_an_ellipsis_and_keeps_its_whole_name():
    svg = charts.horizontal_bars([("东方红LX904轮式拖拉机", 100_00), ("大疆T40", 50_00)], "毛利")
    assert ">东方红LX90…<title>东方红LX904轮式拖拉机</title></text>" in svg
    assert ">大疆T40<title>大疆T40</title></text>" in svg


def test_chart_axis_is_nice():
    assert charts._axis(0, 12_345_678) == (0, 150_000, 50_000)
    assert charts._axis(-50_000, 300_000) == (-1000, 3000, 1000)


@given(value=st.integers(0, 10**9), rate=st.integers(0, 10_000), life=st.integers(1, 400),
       acquired=st.dates(date(2000, 1, 1), date(2030, 12, 31)),
       disposed=st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2040, 12, 31))),
       year=st.integers(1999, 2045))
def test_year_amount_is_the_sum_of_its_months(value, rate, life, acquired, disposed, year):
    terms = dep.Terms(value, rate, life, acquired, disposed)
    assert dep.year_amount(terms, year) == sum(
        dep.month_amount(terms, year, m) for m in range(1, 13))
