import pytest
from hypothesis import given, strategies as st

from coop.money import (AmountError, apply_rate, cell_text, format_percent, format_yuan, parse_area,
                        parse_fixed, parse_percent, parse_yuan, round_half_up_div)


@pytest.mark.parametrize("text,fen", [
    ("0", 0), ("1", 100), ("1.5", 150), ("1,234.56", 123456), (" 7000 ", 700000), ("0.01", 1),
    ("-3.20", -320), ("1，000", 100000),
])
def test_parse_yuan(text, fen):
    assert parse_yuan(text) == fen


@pytest.mark.parametrize("text,message", [
    ("", "请填写金额"), ("abc", "不是有效的数字"), ("1.001", "最多保留 2 位小数"),
    ("NaN", "不是有效的数字"), ("Infinity", "不是有效的数字"),
])
def test_parse_yuan_refuses(text, message):
    with pytest.raises(AmountError, match=message):
        parse_yuan(text)


@pytest.mark.parametrize("text,message", [
    ("1e999990", "不是有效的数字"), ("1e5000", "不是有效的数字"), ("1E2", "不是有效的数字"),
    ("-Infinity", "不是有效的数字"), ("1_000", "不是有效的数字"), ("0x10", "不是有效的数字"),
    ("٣", "不是有效的数字"), (",5", "逗号只能用作千位分隔"), ("5,", "逗号只能用作千位分隔"),
    ("9" * 10_000, "数值过大"), ("9" * 16, "数值过大"), ("1." + "0" * 10_000, "最多保留 2 位小数"),
    ("１２３．４５６", "最多保留 2 位小数"),
])
def test_parse_refuses_before_any_arithmetic(text, message):
    import time

    started = time.perf_counter()
    with pytest.raises(AmountError, match=message):
        parse_yuan(text)
    # an expanded exponent takes about 90 s here, a refusal microseconds: the wide
    # bound tells them apart on a loaded machine without being a speed target
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize("text,fen", [("１２３", 12300), ("１，２３４．５", 123450), ("－５", -500),
                                      ("1.500", 150), (".5", 50), ("5.", 500), ("+5", 500)])
def test_parse_reads_full_width_digits_and_harmless_forms(text, fen):
    assert parse_yuan(text) == fen


def test_parse_sign_and_maximum_are_the_callers():
    with pytest.raises(AmountError, match="金额不能为负数"):
        parse_yuan("-1", negative=False)
    assert parse_yuan("-0", negative=False) == 0
    assert parse_fixed("1000", "股数", 0, maximum=1000) == 1000
    with pytest.raises(AmountError, match="股数应为整数"):
        parse_fixed("1.5", "股数", 0)
    with pytest.raises(AmountError, match="面积数值过大，不能超过 10.00"):
        parse_fixed("10.01", "面积", maximum=1000)
    with pytest.raises(AmountError, match="数值过大"):
        parse_yuan(10 ** 5000)


def test_cell_text_writes_floats_plainly():
    assert [cell_text(v) for v in (None, 12.5, 1e-05, 3.0, 7, " x ")] == \
        ["", "12.5", "0.00001", "3.0", "7", "x"]
    for value in (1e300, float("nan"), float("inf")):
        with pytest.raises(AmountError):
            parse_yuan(cell_text(value))


def test_parse_percent():
    assert parse_percent("65") == 6500
    assert parse_percent("4.25") == 425
    with pytest.raises(AmountError):
        parse_percent("4.255")


@pytest.mark.parametrize("fen,text", [(0, "0.00"), (1, "0.01"), (123456789, "1,234,567.89"),
                                      (-150, "-1.50")])
def test_format_yuan(fen, text):
    assert format_yuan(fen) == text


def test_format_percent():
    assert format_percent(6500) == "65.00%"
    assert format_percent(5) == "0.05%"


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_yuan_round_trip(fen):
    assert parse_yuan(format_yuan(fen)) == fen


@pytest.mark.parametrize("n,d,q", [(5, 10, 1), (4, 10, 0), (15, 10, 2), (-5, 10, -1), (25, 10, 3)])
def test_round_half_up(n, d, q):
    assert round_half_up_div(n, d) == q


def test_apply_rate_half_up_to_the_fen():
    assert apply_rate(12345, 1000) == 1235  # 1234.5 -> 1235
    assert apply_rate(12344, 1000) == 1234


@pytest.mark.parametrize("typed", ["12,5", "50,5", "1,2,3", "1,23", ",5", "1,2345", "12，5"])
def test_a_comma_elsewhere_than_between_thousands_is_refused_not_read_as_digits(typed):
    with pytest.raises(AmountError, match="逗号只能用作千位分隔"):
        parse_yuan(typed, "单价")
    with pytest.raises(AmountError, match="逗号只能用作千位分隔"):
        parse_area(typed)


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=99))
def test_thousands_separators_read_back(whole, cents):
    assert parse_yuan(f"{whole:,}.{cents:02d}") == whole * 100 + cents
    assert parse_yuan(f"-{whole:,}") == -whole * 100
