"""Chinese capital numerals for amounts (issue 7), worked out by hand.

The rules chosen (see coop/statements/numerals.py): 整 only after 元 with no
角 and no 分; 壹 before every 拾; one 零 for a run of zeros; 零 after 元 when
角 is zero and 分 is not; no 零元 below one yuan; negative amounts refused.
"""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from coop.statements.numerals import MAX_FEN, capital_yuan

CASES = [
    # amount in fen, expected                      # the amount in yuan
    (0, "零元整"),                                  # 0
    (1, "壹分"),                                    # 0.01  fen only
    (5, "伍分"),                                    # 0.05  fen only, no 零
    (10, "壹角"),                                   # 0.10  jiao only, no 整
    (50, "伍角"),                                   # 0.50
    (15, "壹角伍分"),                               # 0.15
    (99, "玖角玖分"),                               # 0.99
    (100, "壹元整"),                                # 1
    (101, "壹元零壹分"),                            # 1.01  角 zero, 分 not: 元零
    (110, "壹元壹角"),                              # 1.10
    (111, "壹元壹角壹分"),                          # 1.11
    (1_000, "壹拾元整"),                            # 10    壹 before 拾
    (1_001, "壹拾元零壹分"),                        # 10.01
    (1_500, "壹拾伍元整"),                          # 15
    (2_000, "贰拾元整"),                            # 20
    (10_000, "壹佰元整"),                           # 100
    (10_100, "壹佰零壹元整"),                       # 101
    (11_000, "壹佰壹拾元整"),                       # 110
    (32_504, "叁佰贰拾伍元零肆分"),                 # 325.04
    (100_000, "壹仟元整"),                          # 1,000
    (100_100, "壹仟零壹元整"),                      # 1,001
    (140_950, "壹仟肆佰零玖元伍角"),                # 1,409.50
    (168_032, "壹仟陆佰捌拾元叁角贰分"),            # 1,680.32 元 digit zero, 角 not: no 零
    (600_714, "陆仟零柒元壹角肆分"),                # 6,007.14
    (200_003, "贰仟元零叁分"),                      # 2,000.03
    (1_000_000, "壹万元整"),                        # 10,000
    (1_000_500, "壹万零伍元整"),                    # 10,005
    (1_001_000, "壹万零壹拾元整"),                  # 10,010
    (1_010_000, "壹万零壹佰元整"),                  # 10,100
    (1_100_000, "壹万壹仟元整"),                    # 11,000
    (1_234_567, "壹万贰仟叁佰肆拾伍元陆角柒分"),    # 12,345.67
    (1_640_902, "壹万陆仟肆佰零玖元零贰分"),        # 16,409.02
    (10_000_000, "壹拾万元整"),                     # 100,000
    (10_010_000, "壹拾万零壹佰元整"),               # 100,100
    (10_100_000, "壹拾万壹仟元整"),                 # 101,000
    (10_700_053, "壹拾万柒仟元伍角叁分"),           # 107,000.53
    (12_000_000, "壹拾贰万元整"),                   # 120,000
    (100_010_000, "壹佰万零壹佰元整"),              # 1,000,100
    (110_100_000, "壹佰壹拾万壹仟元整"),            # 1,101,000 (group ends in 0, next starts 壹仟)
    (1_010_000_000, "壹仟零壹拾万元整"),            # 10,100,000
    (5_000_000_000, "伍仟万元整"),                  # 50,000,000
    (10_000_000_000, "壹亿元整"),                   # 100,000,000
    (10_000_000_001, "壹亿元零壹分"),               # 100,000,000.01
    (10_000_000_100, "壹亿零壹元整"),               # 100,000,001
    (10_000_100_000, "壹亿零壹仟元整"),             # 100,001,000 (a whole 万 group of zeros)
    (10_001_000_001, "壹亿零壹万元零壹分"),         # 100,010,000.01
    (11_000_000_000, "壹亿壹仟万元整"),             # 110,000,000
    (12_000_000_000, "壹亿贰仟万元整"),             # 120,000,000 (the demo's yearly dividends)
    (120_000_000_000, "壹拾贰亿元整"),              # 1,200,000,000
    (987_654_321_012, "玖拾捌亿柒仟陆佰伍拾肆万叁仟贰佰壹拾元壹角贰分"),  # 9,876,543,210.12
    (10_000_000_000_100, "壹仟亿零壹元整"),         # 100,000,000,001
    (10_000_001_000_000, "壹仟亿零壹万元整"),       # 100,000,010,000
    (100_000_000_000_000, "壹万亿元整"),            # 1,000,000,000,000
    (1_000_000_000_000_000, "壹拾万亿元整"),        # 10,000,000,000,000
]


@pytest.mark.parametrize("fen,expected", CASES, ids=[str(c[0]) for c in CASES])
def test_capital_yuan(fen, expected):
    assert capital_yuan(fen) == expected


def test_table_is_large_and_unique():
    assert len(CASES) >= 30
    assert len({fen for fen, _ in CASES}) == len(CASES)


def test_negative_refused():
    with pytest.raises(ValueError, match="金额为负数（-1 分），不能写成大写金额"):
        capital_yuan(-1)


@pytest.mark.parametrize("value", [1.0, "100", True, None])
def test_non_integer_refused(value):
    with pytest.raises(TypeError, match="以分为单位的整数"):
        capital_yuan(value)


def test_largest_amount_and_beyond():
    assert capital_yuan(MAX_FEN) == (
        "玖仟玖佰玖拾玖万亿玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"
    )
    with pytest.raises(ValueError, match="金额过大"):
        capital_yuan(MAX_FEN + 1)


REVERSE_DIGITS = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}


def parse_capital(text: str) -> int:
    """An independent reader of the numerals, for the round-trip property."""
    fen = 0
    if text.endswith("整"):
        text = text[:-1]
    if "元" in text:
        whole_text, text = text.split("元")
    else:
        whole_text = ""
    for unit, scale in (("角", 10), ("分", 1)):
        if unit in text:
            before, text = text.split(unit)
            fen += REVERSE_DIGITS[before[-1]] * scale
    whole = 0
    for big, scale in (("万亿", 10**12), ("亿", 10**8), ("万", 10**4)):
        if big in whole_text:
            head, whole_text = whole_text.split(big, 1)
            whole += read_group(head) * scale
    whole += read_group(whole_text)
    return whole * 100 + fen


def read_group(text: str) -> int:
    value, digit = 0, 0
    for char in text:
        if char in REVERSE_DIGITS:
            digit = REVERSE_DIGITS[char]
        else:
            value += digit * {"拾": 10, "佰": 100, "仟": 1000}[char]
            digit = 0
    return value + digit


@given(st.integers(min_value=0, max_value=MAX_FEN))
def test_round_trip(fen):
    text = capital_yuan(fen)
    assert parse_capital(text) == fen
    assert "零零" not in text and not text.startswith("零") or text == "零元整"
    assert text.endswith("整") == (fen % 100 == 0)
    assert "拾" not in text or all(text[i - 1] in REVERSE_DIGITS for i, c in enumerate(text) if c == "拾")


def test_numerals_module_imports_nothing_but_the_future():
    import ast
    from pathlib import Path

    import coop.statements.numerals as numerals

    tree = ast.parse(Path(numerals.__file__).read_text(encoding="utf-8"))
    imports = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert [getattr(n, "module", None) for n in imports] == ["__future__"]
