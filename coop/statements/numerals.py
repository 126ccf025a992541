"""Amounts in Chinese capital numerals (中文大写金额), as on vouchers and statements.

Pure: no Flask, no database. Follows the People's Bank of China rules for
filling in vouchers (正确填写票据和结算凭证的基本规定), choosing one form where
they allow two:

- 整 after 元 when the amount has no 角 and no 分 (壹拾元整, 零元整);
  no 整 after 角 (壹元壹角) nor after 分 (壹元壹角伍分).
- 拾 always has its digit: 壹拾元整, 壹拾万元整 (never 拾元整).
- A run of zeros inside the whole-yuan part is one 零 (壹仟零壹元整,
  壹万零伍元整); a whole group of four zeros between two non-zero parts is
  also one 零 (壹亿零壹仟元整); a zero that only ends a group before a
  non-zero thousands digit gives no 零 (壹佰壹拾万壹仟元整, as it is read).
- 角 zero and 分 not zero: 零 after 元 (叁佰贰拾伍元零肆分). 元 digit zero
  and 角 not zero: no 零 (壹仟陆佰捌拾元叁角贰分, the shorter allowed form).
- Less than one yuan: only 角 and 分 (壹角, 伍分, 壹角伍分), no 零元.
- Negative amounts are refused (ValueError): a statement total, dividend or
  payment is never negative, so a negative figure is a mistake to show, not
  to write out.
"""
from __future__ import annotations

DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS_IN_GROUP = ("", "拾", "佰", "仟")
GROUP_UNITS = ("", "万", "亿", "万亿")
MAX_FEN = 10 ** (4 * len(GROUP_UNITS)) * 100 - 1  # 9999万亿 9999万 9999 元 9角9分


def _group(value: int) -> str:
    """0 < value < 10000 in capital numerals with inner zeros as one 零."""
    text = []
    zero_pending = False
    for position in range(3, -1, -1):
        digit = value // 10**position % 10
        if digit == 0:
            if text:
                zero_pending = True
            continue
        if zero_pending:
            text.append(DIGITS[0])
            zero_pending = False
        text.append(DIGITS[digit] + UNITS_IN_GROUP[position])
    return "".join(text)


def _yuan(whole: int) -> str:
    """whole > 0 yuan, without the 元."""
    groups = []
    while whole:
        whole, group = divmod(whole, 10000)
        groups.append(group)
    text = []
    gap = False  # a zero group (or zeros) between what was written and what comes next
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            if text:
                gap = True
            continue
        if text and (gap or group < 1000):
            text.append(DIGITS[0])
        text.append(_group(group) + GROUP_UNITS[index])
        gap = False
    return "".join(text)


def capital_yuan(fen: int) -> str:
    """123456 (fen) -> '壹仟贰佰叁拾肆元伍角陆分'; 0 -> '零元整'.

    Raises ValueError for a negative amount or one of 10**16 yuan or more,
    TypeError for anything but an int (never a float).
    """
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"金额必须是以分为单位的整数，收到 {fen!r}")
    if fen < 0:
        raise ValueError(f"金额为负数（{fen} 分），不能写成大写金额")
    if fen > MAX_FEN:
        raise ValueError(f"金额过大（{fen} 分），超出大写金额的写法范围")
    whole, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    if whole == 0 and cents == 0:
        return "零元整"
    text = _yuan(whole) + "元" if whole else ""
    if cents == 0:
        return text + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif whole:
        text += DIGITS[0]  # 元零伍分
    if fen_digit:
        text += DIGITS[fen_digit] + "分"
    return text
