import pytest
from hypothesis import given, strategies as st

from coop.money import (AmountError, apply_rate, format_percent, format_yuan, parse_percent,
                        parse_yuan, round_half_up_div)


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
