"""Arithmetic of the service ledger. Pure: no Flask, no database, integers only.

Areas are hundredths of a mu, prices fen per mu, amounts fen.
"""
from __future__ import annotations

from datetime import date

from coop.money import AREA_SCALE, round_half_up_div

FUEL_SCALE = 100  # hundredths of a litre

AGING_BUCKETS = (("0_30", "0–30 天"), ("31_90", "31–90 天"), ("over_90", "90 天以上"))


def order_amount(area_cmu: int, price_fen_per_mu: int) -> int:
    """Area x price, half-up to the fen: 12.35 mu x 45.50 yuan = 561.93 yuan
    (1235 x 4550 / 100 = 56192.5 -> 56193 fen). Negative areas (reversals) round
    away from zero, symmetrically."""
    return round_half_up_div(area_cmu * price_fen_per_mu, AREA_SCALE)


def aging_bucket(order_date: date, as_of: date) -> str:
    """The aging bucket of a receivable: days from the order date to ``as_of``.
    0-30 days (an order of today is 0 days old), 31-90, over 90."""
    days = (as_of - order_date).days
    if days <= 30:
        return "0_30"
    if days <= 90:
        return "31_90"
    return "over_90"
