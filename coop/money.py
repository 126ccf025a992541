"""Money and ratios as integers: fen for money, basis points for percentages.

Pure functions: no Flask, no database. Typed numbers are read by one strict
parser (``parse_fixed``) straight into integers: no ``float``, no ``Decimal``.
"""
from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

FEN_PER_YUAN = 100
BP_PER_PERCENT = 100  # 1 basis point = 0.01 %
FULL_BP = 100 * BP_PER_PERCENT


class AmountError(ValueError):
    """A user-entered amount or ratio that cannot be taken as it is."""


AREA_SCALE = 100  # areas in hundredths of a mu (and fuel in hundredths of a litre)
AREA_SCALE_PLACES = 2
MAX_WHOLE_DIGITS = 15  # 10**15 yuan in fen still fits a 64-bit column
MAX_DECIMALS_TYPED = 12  # trailing zeros accepted after the allowed decimals

# Chinese input methods in full-width mode type these; they mean the ASCII ones.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－＋", "0123456789.,-+")
# ASCII digits only (``\d`` would take any script's digits); thousands
# separators between digits are ignored. No exponent, NaN or underscores.
# a comma only between groups of three digits (1,234,567.50): '12,5' typed
# for 12.5 is refused rather than read as 125
_NUMBER = re.compile(r"(?P<sign>[+-]?)(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+|)"
                     r"(?:\.(?P<frac>[0-9]*))?")


def parse_fixed(text: str | int, what: str, places: int = 2, *, negative: bool = True,
                maximum: int | None = None) -> int:
    """A typed number as an integer count of 10**-places: ('12.5', places=2) -> 1250.

    The text is checked against a strict pattern before any arithmetic, so no
    input (an exponent such as 1e999990, a 10,000-digit string, NaN) costs
    more than a pass over its characters. Full-width digits, point, comma and
    sign are read as their ASCII forms. More decimals than ``places`` are
    refused, not rounded; a minus sign only when ``negative``; ``maximum``
    (in the same units as the result) bounds the absolute value."""
    if isinstance(text, bool):
        raise AmountError(f"{what}不是有效的数字")
    if isinstance(text, int):
        # an int past the digit limit is cut short, not converted (str() of a
        # huge int is itself slow); it is refused as too large below
        sign, frac = ("-" if text < 0 else ""), ""
        whole = str(min(abs(text), 10 ** (MAX_WHOLE_DIGITS + 1)))
    else:
        cleaned = str(text).strip().translate(_FULL_WIDTH)
        if not cleaned:
            raise AmountError(f"请填写{what}")
        match = _NUMBER.fullmatch(cleaned)
        if match is None and "," in cleaned and _NUMBER.fullmatch(cleaned.replace(",", "")):
            raise AmountError(f"{what}中的逗号只能用作千位分隔，例如 1,234.50；小数请用小数点，例如 12.5")
        if match is None or not (match["whole"] or match["frac"]):
            raise AmountError(f"{what}应为整数" if places == 0 else
                              f"{what}不是有效的数字，请只填写数字和小数点，例如 1234.5")
        sign, whole, frac = match["sign"], match["whole"].replace(",", ""), match["frac"] or ""
    whole = whole.lstrip("0")
    if sign == "-" and not negative and (whole or frac.strip("0")):
        raise AmountError(f"{what}不能为负数")
    if len(frac) > places and (frac[places:].strip("0") or len(frac) > MAX_DECIMALS_TYPED):
        raise AmountError(f"{what}应为整数" if places == 0 else f"{what}最多保留 {places} 位小数")
    limit = maximum if maximum is not None else 10 ** (MAX_WHOLE_DIGITS + places) - 1
    if len(whole) > MAX_WHOLE_DIGITS:
        raise AmountError(f"{what}数值过大，不能超过 {format_fixed(limit, places)}")
    value = int(whole or "0") * 10 ** places + int(frac[:places].ljust(places, "0") or "0")
    if value > limit:
        raise AmountError(f"{what}数值过大，不能超过 {format_fixed(limit, places)}")
    return -value if sign == "-" else value


def format_fixed(value: int, places: int = 2) -> str:
    """1250 (places=2) -> '12.50'; thousands separated."""
    whole, part = divmod(abs(value), 10 ** places)
    text = f"{whole:,}" + (f".{part:0{places}d}" if places else "")
    return ("-" if value < 0 else "") + text


def parse_yuan(text: str | int, what: str = "金额", **limits: Any) -> int:
    """'1,234.5' -> 123450 fen. More than two decimals is refused, not rounded."""
    return parse_fixed(text, what, 2, **limits)


def parse_percent(text: str | int, what: str = "比例", **limits: Any) -> int:
    """'65' or '65.00' (percent) -> 6500 basis points."""
    return parse_fixed(text, what, 2, **limits)


def parse_area(text: str | int, what: str = "面积", **limits: Any) -> int:
    """'12.5' mu -> 1250 hundredths of a mu (also litres of fuel, in hundredths)."""
    return parse_fixed(text, what, AREA_SCALE_PLACES, **limits)


def format_mu(hundredths: int | None) -> str:
    """An area (or fuel) in hundredths: 1250 -> '12.50', None -> ''."""
    return "" if hundredths is None else format_fixed(hundredths, AREA_SCALE_PLACES)


def mu_decimal(hundredths: int) -> Decimal:
    """An area in hundredths as an exact Decimal of mu (for a spreadsheet cell)."""
    return Decimal(hundredths).scaleb(-AREA_SCALE_PLACES)


def cell_words(value: object) -> str:
    """The text of a spreadsheet cell that holds words or an identifier (a
    member number, a phone): a whole number Excel stored as 12.0 reads '12'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def cell_text(value: object) -> str:
    """The text of a spreadsheet cell for the parsers above: a float that
    Excel stored (12.5, 1e-05) in plain notation without binary noise, so
    the strict pattern can read it; anything else as its text."""
    if value is None:
        return ""
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) >= 1e30:
            return repr(value)  # refused by the pattern
        return format(Decimal(repr(value)), "f")
    return str(value).strip()


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
    """amount x rate, half-up to the fen (docs/rules.md, "The distribution" step 2)."""
    return round_half_up_div(amount_fen * rate_bp, FULL_BP)
