"""Money and ratios as integers: fen for money, basis points for percentages.

Pure functions: no Flask, no database. Parsing goes through ``Decimal`` from
the user's text, never through ``float``.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

FEN_PER_YUAN = 100
BP_PER_PERCENT = 100  # 1 basis point = 0.01 %
FULL_BP = 100 * BP_PER_PERCENT


class AmountError(ValueError):
    """A user-entered amount or ratio that cannot be taken as it is."""


def _decimal(text: str | int | Decimal, what: str) -> Decimal:
    if isinstance(text, bool):
        raise AmountError(f"{what}不是有效的数字")
    if isinstance(text, (int, Decimal)):
        value = Decimal(text)
    else:
        cleaned = str(text).strip().replace(",", "").replace("，", "")
        if not cleaned:
            raise AmountError(f"请填写{what}")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise AmountError(f"{what}不是有效的数字") from None
    if not value.is_finite():
        raise AmountError(f"{what}不是有效的数字")
    return value


def _scaled(value: Decimal, scale: int, places: int, what: str) -> int:
    scaled = value * scale
    if scaled != scaled.to_integral_value():
        raise AmountError(f"{what}最多保留 {places} 位小数")
    return int(scaled)


def parse_yuan(text: str | int | Decimal, what: str = "金额") -> int:
    """'1,234.5' -> 123450 fen. More than two decimals is refused, not rounded."""
    return _scaled(_decimal(text, what), FEN_PER_YUAN, 2, what)


def parse_percent(text: str | int | Decimal, what: str = "比例") -> int:
    """'65' or '65.00' (percent) -> 6500 basis points."""
    return _scaled(_decimal(text, what), BP_PER_PERCENT, 2, what)


def fen_to_decimal(fen: int) -> Decimal:
    return (Decimal(fen) / FEN_PER_YUAN).quantize(Decimal("0.01"))


def bp_to_decimal(bp: int) -> Decimal:
    return (Decimal(bp) / BP_PER_PERCENT).quantize(Decimal("0.01"))


def format_yuan(fen: int | None, sign: bool = False) -> str:
    """123456789 -> '1,234,567.89' (yuan with thousands separators)."""
    if fen is None:
        return ""
    negative = fen < 0
    whole, part = divmod(abs(fen), FEN_PER_YUAN)
    text = f"{whole:,}.{part:02d}"
    if negative:
        return "-" + text
    return ("+" + text) if sign and fen > 0 else text


def format_percent(bp: int | None) -> str:
    """6500 -> '65.00%'."""
    if bp is None:
        return ""
    negative = bp < 0
    whole, part = divmod(abs(bp), BP_PER_PERCENT)
    return f"{'-' if negative else ''}{whole}.{part:02d}%"


def round_half_up_div(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half away from zero, in integers."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    q, r = divmod(abs(numerator), denominator)
    if 2 * r >= denominator:
        q += 1
    return q if numerator >= 0 else -q


def apply_rate(amount_fen: int, rate_bp: int) -> int:
    """amount x rate, half-up to the fen (DESIGN.md, Dividends step 2)."""
    return round_half_up_div(amount_fen * rate_bp, FULL_BP)
